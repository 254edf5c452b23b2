from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from yiwang.calendars import selectors, services
from yiwang.calendars.events import CalendarDayChanged, CalendarYearCompleted, CalendarYearReopened
from yiwang.calendars.models import (
    CalendarDay,
    CalendarDayChange,
    CalendarYear,
    DaySource,
    YearSource,
)
from yiwang.calendars.selectors import DayKind
from yiwang.calendars.tests.factories import seed
from yiwang.platform.errors import InvalidInput, RuleViolated

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return get_user_model().objects.create_user(username="admin-0001", password="x")


def kind_of(on: date, region_code: str = "") -> str:
    return CalendarDay.objects.get(date=on, region_code=region_code).kind


# --- Seeding --------------------------------------------------------------------------------------


def test_seeding_stores_every_day_of_each_year_with_its_kind(
    published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert seed(2025, 2026) == 365 + 365
    assert kind_of(date(2025, 10, 1)) == DayKind.HOLIDAY
    assert kind_of(date(2025, 10, 11)) == DayKind.MAKEUP_WORKDAY
    assert kind_of(date(2025, 10, 12)) == DayKind.WEEKEND
    assert kind_of(date(2025, 10, 13)) == DayKind.WORKDAY
    assert CalendarDay.objects.get(date=date(2025, 10, 6)).name == "中秋节"
    assert CalendarDay.objects.get(date=date(2025, 10, 11)).name == "国庆节调休"
    years = CalendarYear.objects.order_by("year")
    assert [(y.year, y.region_code, y.source, y.is_complete) for y in years] == [
        (2025, "", YearSource.PACKAGE, True),
        (2026, "", YearSource.PACKAGE, True),
    ]
    assert published == [
        CalendarYearCompleted(year=2025, region_code=""),
        CalendarYearCompleted(year=2026, region_code=""),
    ]


def test_seeding_twice_writes_nothing_and_publishes_nothing(
    published, django_capture_on_commit_callbacks
):
    seed(2025)
    with django_capture_on_commit_callbacks(execute=True):
        assert seed(2025) == 0
    assert published == []
    assert CalendarDay.objects.count() == 365


def test_seeding_keeps_what_administrators_entered(administrator):
    seed(2025)
    services.calendar_day_set(
        on=date(2025, 10, 13), kind=DayKind.HOLIDAY, name="特别假日", changed_by=administrator
    )
    seed(2025)
    assert kind_of(date(2025, 10, 13)) == DayKind.HOLIDAY


def test_seeding_corrects_a_year_only_prefilled_by_the_weekend_rule(administrator):
    services.calendar_year_open(year=2026, changed_by=administrator)
    assert kind_of(date(2026, 10, 1)) == DayKind.WORKDAY
    seed(2026)
    assert kind_of(date(2026, 10, 1)) == DayKind.HOLIDAY
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).source == DaySource.PACKAGE


def test_seeding_refuses_years_the_package_does_not_know():
    with pytest.raises(InvalidInput) as raised:
        seed(2027)
    assert raised.value.code == "year_not_in_package"
    assert "2027年请由管理员录入" in raised.value.message
    assert not CalendarDay.objects.exists()


def test_the_package_knows_2004_to_2026():
    years = services.package_years()
    assert (years[0], years[-1]) == (2004, 2026)


# --- Editing days ---------------------------------------------------------------------------------


def test_an_administrators_edit_is_audited_with_who_and_why(administrator):
    seed(2025)
    services.calendar_day_set(
        on=date(2025, 10, 13),
        kind=DayKind.HOLIDAY,
        name="补休",
        note="依据通知",
        changed_by=administrator,
    )
    day = CalendarDay.objects.get(date=date(2025, 10, 13), region_code="")
    assert (day.kind, day.source, day.changed_by) == (
        DayKind.HOLIDAY,
        DaySource.ADMIN,
        "admin-0001",
    )
    change = CalendarDayChange.objects.get()
    assert (change.old_kind, change.new_kind, change.new_name) == ("workday", "holiday", "补休")
    assert (change.note, change.changed_by) == ("依据通知", "admin-0001")


def test_setting_a_day_to_what_it_already_is_leaves_no_audit_row():
    seed(2025)
    services.calendar_day_set(on=date(2025, 10, 1), kind=DayKind.HOLIDAY, name="国庆节")
    assert not CalendarDayChange.objects.exists()


def test_an_edit_changes_deadlines_at_once():
    seed(2025)
    assert selectors.working_days_add(start=date(2025, 9, 30), days=5).due_on == date(2025, 10, 14)
    services.calendar_day_set(on=date(2025, 10, 9), kind=DayKind.HOLIDAY)
    assert selectors.working_days_add(start=date(2025, 9, 30), days=5).due_on == date(2025, 10, 15)


def test_an_edit_to_a_known_year_is_published(published, django_capture_on_commit_callbacks):
    seed(2025)
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_set(on=date(2025, 10, 9), kind=DayKind.HOLIDAY)
    assert published == [CalendarDayChanged(on=date(2025, 10, 9), region_code="", kind="holiday")]


def test_an_edit_to_a_year_nobody_completed_is_not_published(
    published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_set(on=date(2027, 10, 1), kind=DayKind.HOLIDAY, name="国庆节")
    assert published == []


@pytest.mark.parametrize(
    ("on", "kind", "message"),
    [
        (date(2025, 10, 13), DayKind.MAKEUP_WORKDAY, "“调休上班日”只能是星期六或星期日。"),
        (
            date(2025, 10, 13),
            DayKind.WEEKEND,
            "“休息日”只能是星期六或星期日；工作日放假请选择“节假日”。",
        ),
        (date(2025, 10, 12), DayKind.WORKDAY, "星期六、星期日上班请选择“调休上班日”。"),
    ],
)
def test_a_kind_must_fit_the_day_of_the_week(on, kind, message):
    with pytest.raises(InvalidInput) as raised:
        services.calendar_day_set(on=on, kind=kind)
    assert raised.value.message == message
    assert raised.value.errors[0].field == "kind"
    assert not CalendarDay.objects.exists()


# --- Regional overrides ---------------------------------------------------------------------------


def test_a_regional_holiday_applies_to_the_region_and_the_counties_inside_it(administrator):
    seed(2025)
    # 延边朝鲜族自治州 (222400) keeps 3 September, the prefecture's founding day, as a holiday.
    services.calendar_override_add(
        region_code="222400",
        on=date(2025, 9, 3),
        kind=DayKind.HOLIDAY,
        name="自治州成立纪念日",
        changed_by=administrator,
    )
    assert selectors.working_day_get(on=date(2025, 9, 3), region_code="222400").kind == "holiday"
    assert selectors.working_day_get(on=date(2025, 9, 3), region_code="222401").kind == "holiday"
    assert selectors.working_day_get(on=date(2025, 9, 3), region_code="").kind == "workday"
    assert selectors.working_day_get(on=date(2025, 9, 3), region_code="350400").kind == "workday"
    assert CalendarDayChange.objects.get().region_code == "222400"


def test_the_most_specific_region_wins():
    seed(2025)
    services.calendar_override_add(region_code="220000", on=date(2025, 9, 3), kind=DayKind.HOLIDAY)
    services.calendar_override_add(region_code="222401", on=date(2025, 9, 3), kind=DayKind.WORKDAY)
    assert selectors.working_day_get(on=date(2025, 9, 3), region_code="222402").kind == "holiday"
    assert selectors.working_day_get(on=date(2025, 9, 3), region_code="222401").kind == "workday"


def test_removing_an_override_restores_the_enclosing_calendar():
    seed(2025)
    services.calendar_override_add(region_code="222400", on=date(2025, 9, 3), kind=DayKind.HOLIDAY)
    services.calendar_override_remove(region_code="222400", on=date(2025, 9, 3), note="撤销")
    assert selectors.working_day_get(on=date(2025, 9, 3), region_code="222400").kind == "workday"
    removal = CalendarDayChange.objects.order_by("-id").first()
    assert removal is not None
    assert (removal.old_kind, removal.new_kind, removal.note) == ("holiday", "", "撤销")


def test_an_override_needs_a_valid_region_code():
    with pytest.raises(InvalidInput) as raised:
        services.calendar_override_add(region_code="", on=date(2025, 9, 3), kind=DayKind.HOLIDAY)
    assert raised.value.code == "region_required"
    with pytest.raises(InvalidInput) as raised:
        services.calendar_override_add(
            region_code="35-04", on=date(2025, 9, 3), kind=DayKind.HOLIDAY
        )
    assert raised.value.code == "region_code_invalid"


def test_full_width_region_codes_are_accepted():
    services.calendar_override_add(
        region_code="２２２４００", on=date(2025, 9, 3), kind=DayKind.HOLIDAY
    )
    assert CalendarDay.objects.get().region_code == "222400"


# --- Years ----------------------------------------------------------------------------------------


def test_completing_a_year_publishes_the_recompute_event_once(
    administrator, published, django_capture_on_commit_callbacks
):
    services.calendar_year_open(year=2027, changed_by=administrator)
    services.calendar_day_set(on=date(2027, 10, 1), kind=DayKind.HOLIDAY, name="国庆节")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record = services.calendar_year_complete(year=2027, changed_by=administrator)
    assert len(callbacks) == 1
    assert published == [CalendarYearCompleted(year=2027, region_code="")]
    assert (record.is_complete, record.completed_by) == (True, "admin-0001")
    assert record.completed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_year_complete(year=2027, changed_by=administrator)
    assert len(published) == 1


def test_no_event_is_published_when_the_transaction_rolls_back(
    published, django_capture_on_commit_callbacks
):
    def complete_then_fail() -> None:
        with transaction.atomic():
            services.calendar_year_complete(year=2027)
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        complete_then_fail()
    assert callbacks == []
    assert published == []
    assert not CalendarYear.objects.exists()


def test_a_completed_year_is_filled_by_the_weekend_rule_where_nothing_was_entered():
    services.calendar_year_complete(year=2027)
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    assert kind_of(date(2027, 1, 2)) == DayKind.WEEKEND
    assert CalendarDay.objects.get(date=date(2027, 1, 4)).source == DaySource.WEEKEND_RULE


def test_days_entered_in_an_open_year_count_only_once_it_is_completed():
    seed(2026)
    services.calendar_year_open(year=2027)
    services.calendar_day_set(on=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    provisional = selectors.working_days_add(start=date(2026, 12, 31), days=1)
    assert (provisional.due_on, provisional.provisional) == (date(2027, 1, 1), True)
    services.calendar_year_complete(year=2027)
    final = selectors.working_days_add(start=date(2026, 12, 31), days=1)
    assert (final.due_on, final.provisional) == (date(2027, 1, 4), False)


def test_reopening_a_year_makes_its_deadlines_provisional_again(
    published, django_capture_on_commit_callbacks
):
    seed(2025)
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_year_reopen(year=2025, note="国务院调整安排")
    assert published == [CalendarYearReopened(year=2025, region_code="")]
    assert selectors.working_days_add(start=date(2025, 9, 30), days=5).provisional


def test_reopening_needs_a_reason_and_a_completed_year():
    with pytest.raises(InvalidInput):
        services.calendar_year_reopen(year=2025, note=" ")
    with pytest.raises(RuleViolated):
        services.calendar_year_reopen(year=2025, note="调整")


def test_a_region_revising_its_year_has_provisional_deadlines_until_it_completes_it(
    published, django_capture_on_commit_callbacks
):
    seed(2025)
    services.calendar_year_open(year=2025, region_code="222400")
    services.calendar_override_add(region_code="222400", on=date(2025, 9, 3), kind=DayKind.HOLIDAY)
    during = selectors.working_days_add(start=date(2025, 9, 2), days=1, region_code="222401")
    assert (during.due_on, during.provisional) == (date(2025, 9, 3), True)
    assert not selectors.working_days_add(start=date(2025, 9, 2), days=1).provisional
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_year_complete(year=2025, region_code="222400")
    assert published[-1] == CalendarYearCompleted(year=2025, region_code="222400")
    after = selectors.working_days_add(start=date(2025, 9, 2), days=1, region_code="222401")
    assert (after.due_on, after.provisional) == (date(2025, 9, 4), False)


def test_years_outside_the_supported_range_are_refused():
    with pytest.raises(InvalidInput) as raised:
        services.calendar_year_open(year=1850)
    assert raised.value.message == "年度应在1900年至2199年之间，请检查。"
