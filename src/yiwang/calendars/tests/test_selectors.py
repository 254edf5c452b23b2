from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.calendars import selectors, services
from yiwang.calendars.models import CalendarDay, CalendarRevision
from yiwang.calendars.selectors import DayKind, Pause
from yiwang.calendars.tests.factories import seed
from yiwang.platform.errors import InvalidInput

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- The worked example against the stored calendar -----------------------------------------------


def test_the_worked_example_from_the_stored_calendar():
    seed(2025)
    assert selectors.working_days_add(start=date(2025, 9, 30), days=5).due_on == date(2025, 10, 14)
    special_procedure = Pause(date(2025, 10, 13), date(2025, 10, 15))
    deadline = selectors.deadline_compute(
        start=date(2025, 9, 30), limit_working_days=5, pauses=[special_procedure]
    )
    assert deadline == selectors.Deadline(
        due_on=date(2025, 10, 16), provisional=False, unknown_years=()
    )


def test_an_instant_starts_the_period_on_its_beijing_date():
    seed(2025)
    # 16:30 UTC on 30 September is already 1 October in Beijing (a holiday).
    accepted_at = datetime(2025, 9, 30, 16, 30, tzinfo=UTC)
    assert selectors.working_days_add(start=accepted_at, days=1).due_on == date(2025, 10, 9)


def test_without_any_calendar_every_deadline_is_provisional_on_weekends_alone():
    deadline = selectors.working_days_add(start=date(2025, 9, 30), days=5)
    assert deadline == selectors.Deadline(
        due_on=date(2025, 10, 7), provisional=True, unknown_years=(2025,)
    )


def test_counting_working_days_between_two_dates():
    seed(2025)
    result = selectors.working_days_count(start=date(2025, 9, 30), end=date(2025, 10, 14))
    assert (result.count, result.provisional) == (5, False)


def test_a_calendar_day_period_from_the_stored_calendar():
    seed(2025)
    deadline = selectors.calendar_days_add(start=date(2025, 9, 2), days=30)
    assert deadline.due_on == date(2025, 10, 9)


def test_unknown_years_of_a_range_are_listed():
    seed(2025, 2026)
    assert selectors.calendar_unknown_years(start=date(2025, 1, 1), end=date(2026, 12, 31)) == ()
    assert selectors.calendar_unknown_years(start=date(2026, 6, 1), end=date(2028, 1, 1)) == (
        2027,
        2028,
    )
    assert selectors.calendar_year_is_known(year=2026)
    assert not selectors.calendar_year_is_known(year=2027)


# --- Input errors a person can cause --------------------------------------------------------------


@pytest.mark.parametrize("days", [-1, 3651])
def test_days_outside_0_to_3650_are_refused(days):
    with pytest.raises(InvalidInput) as raised:
        selectors.working_days_add(start=date(2025, 9, 30), days=days)
    assert raised.value.message == "天数应为0至3650之间的整数，请检查后重新填写。"
    assert raised.value.errors[0].field == "days"


def test_an_end_before_the_start_is_refused():
    with pytest.raises(InvalidInput) as raised:
        selectors.working_days_count(start=date(2025, 10, 14), end=date(2025, 9, 30))
    assert raised.value.code == "end_before_start"


def test_dates_far_outside_the_calendar_are_refused_rather_than_overflowing():
    with pytest.raises(InvalidInput) as raised:
        selectors.working_days_add(start=date(9999, 12, 30), days=5)
    assert raised.value.code == "date_out_of_range"


# --- The per-process cache ------------------------------------------------------------------------


def test_a_snapshot_is_reused_while_the_calendar_is_unchanged(django_assert_num_queries):
    seed(2025)
    first = selectors.calendar_snapshot()
    with django_assert_num_queries(1):  # the revision token, nothing else
        assert selectors.calendar_snapshot() is first


def test_regions_without_overrides_share_the_national_snapshot():
    seed(2025)
    assert selectors.calendar_snapshot(region_code="350400") is selectors.calendar_snapshot()


def test_a_change_made_by_another_process_is_seen_once_it_renews_the_token():
    seed(2025)
    assert selectors.working_day_get(on=date(2025, 10, 9)).kind == DayKind.WORKDAY
    # Another process writes through its own services: the rows change, then the token.
    CalendarDay.objects.filter(date=date(2025, 10, 9)).update(kind=DayKind.HOLIDAY)
    assert selectors.working_day_get(on=date(2025, 10, 9)).kind == DayKind.WORKDAY  # cached
    CalendarRevision.objects.filter(pk=1).update(token="renewed-elsewhere")
    assert selectors.working_day_get(on=date(2025, 10, 9)).kind == DayKind.HOLIDAY


# --- The October warning --------------------------------------------------------------------------


@time_machine.travel(datetime(2026, 9, 30, 23, 59, tzinfo=SHANGHAI), tick=False)
def test_no_warning_before_october_when_this_year_is_known():
    seed(2026)
    assert selectors.missing_next_year_warning() is None


@time_machine.travel(datetime(2026, 9, 30, 16, 0, tzinfo=UTC), tick=False)
def test_administrators_are_warned_from_october_1_in_beijing_while_next_year_is_missing():
    seed(2026)
    warning = selectors.missing_next_year_warning()
    assert warning is not None
    assert warning.startswith("2027年的全国工作日历尚未录入。")
    assert "暂按周一至周五为工作日计算" in warning


@time_machine.travel(datetime(2026, 12, 31, 12, 0, tzinfo=SHANGHAI), tick=False)
def test_the_warning_stops_once_next_year_is_complete():
    seed(2026)
    services.calendar_year_complete(year=2027)
    assert selectors.missing_next_year_warning() is None


@time_machine.travel(datetime(2026, 10, 8, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_an_open_but_unfinished_next_year_still_warns():
    seed(2026)
    services.calendar_year_open(year=2027)
    assert selectors.missing_next_year_warning() is not None


def test_a_missing_current_year_warns_in_any_month():
    warning = selectors.missing_next_year_warning(date(2027, 3, 1))
    assert warning is not None
    assert warning.startswith("2027年（本年度）的全国工作日历尚未录入完成。")


# --- The year overview ----------------------------------------------------------------------------


def test_the_overview_groups_consecutive_days_off_into_holidays():
    seed(2025)
    overview = selectors.calendar_year_overview(year=2025)
    national_day = overview.holiday_periods[-1]
    assert (national_day.first, national_day.last, national_day.days) == (
        date(2025, 10, 1),
        date(2025, 10, 8),
        8,
    )
    assert national_day.name == "国庆节、中秋节"
    assert [p.name for p in overview.holiday_periods] == [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "国庆节、中秋节",
    ]
    assert [d.on for d in overview.makeup_workdays] == [
        date(2025, 1, 26),
        date(2025, 2, 8),
        date(2025, 4, 27),
        date(2025, 9, 28),
        date(2025, 10, 11),
    ]
    assert overview.known
    assert overview.warning is None


def test_the_overview_of_an_unknown_year_warns_that_it_is_provisional():
    overview = selectors.calendar_year_overview(year=2027)
    assert not overview.known
    assert overview.warning is not None
    assert "暂定" in overview.warning
    assert overview.holiday_periods == ()


def test_the_overview_of_a_region_shows_its_own_days():
    seed(2025)
    services.calendar_override_add(
        region_code="222400", on=date(2025, 9, 3), kind=DayKind.HOLIDAY, name="自治州成立纪念日"
    )
    overview = selectors.calendar_year_overview(year=2025, region_code="222401")
    assert [(d.on, d.name, d.region_code) for d in overview.regional_days] == [
        (date(2025, 9, 3), "自治州成立纪念日", "222400")
    ]
    assert any(p.name == "自治州成立纪念日" for p in overview.holiday_periods)
