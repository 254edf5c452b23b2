from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from yiwang.calendars.events import CalendarYearCompleted
from yiwang.calendars.models import CalendarDay, CalendarDayChange, CalendarYear
from yiwang.calendars.tests.factories import seed

pytestmark = pytest.mark.django_db
OCTOBER_5_2026 = datetime(2026, 10, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser(username="admin-0001", password="x")
    # Staff need a second factor before anything else (StaffSecondFactorMiddleware).
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@time_machine.travel(OCTOBER_5_2026, tick=False)
@pytest.mark.parametrize("model", ["calendarday", "calendaryear", "calendardaychange"])
def test_the_calendar_lists_warn_from_october_while_next_year_is_missing(admin_client, model):
    seed(2026)
    response = admin_client.get(f"/admin/calendars/{model}/")
    assert response.status_code == 200
    assert any(m.startswith("2027年的全国工作日历尚未录入。") for m in messages_of(response))


@time_machine.travel(OCTOBER_5_2026, tick=False)
def test_the_lists_are_quiet_once_next_year_is_complete(admin_client):
    seed(2026)
    admin_client.post(
        "/admin/calendars/calendaryear/add/", {"year": "2027", "region_code": "", "note": ""}
    )
    year = CalendarYear.objects.get(year=2027)
    admin_client.post(
        "/admin/calendars/calendaryear/",
        {"action": "mark_complete", "_selected_action": [str(year.pk)]},
    )
    response = admin_client.get("/admin/calendars/calendarday/")
    assert not any("尚未录入" in m for m in messages_of(response))


def test_an_administrators_edit_goes_through_the_audited_service(admin_client):
    seed(2025)
    day = CalendarDay.objects.get(date=date(2025, 10, 13), region_code="")
    response = admin_client.post(
        f"/admin/calendars/calendarday/{day.pk}/change/",
        {"kind": "holiday", "name": "特别假日", "note": "依据通知"},
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.kind, day.changed_by) == ("holiday", "admin-0001")
    change = CalendarDayChange.objects.get()
    assert (change.old_kind, change.new_kind, change.note) == ("workday", "holiday", "依据通知")


def test_a_make_up_day_on_a_weekday_is_refused_beside_the_field(admin_client):
    response = admin_client.post(
        "/admin/calendars/calendarday/add/",
        {"date": "2025-10-13", "region_code": "", "kind": "makeup_workday", "name": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["kind"] == [
        "“调休上班日”只能是星期六或星期日。"
    ]
    assert not CalendarDay.objects.exists()


def test_a_regional_override_is_added_with_a_canonical_code(admin_client):
    response = admin_client.post(
        "/admin/calendars/calendarday/add/",
        {"date": "2025-09-03", "region_code": "２２２４００", "kind": "holiday", "name": "纪念日"},
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get().region_code == "222400"


def test_completing_a_year_from_the_admin_publishes_the_event(
    admin_client, published, django_capture_on_commit_callbacks
):
    admin_client.post(
        "/admin/calendars/calendaryear/add/", {"year": "2027", "region_code": "", "note": "录入中"}
    )
    year = CalendarYear.objects.get()
    assert not year.is_complete
    assert CalendarDay.objects.filter(date__year=2027).count() == 365  # pre-filled
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/calendars/calendaryear/",
            {"action": "mark_complete", "_selected_action": [str(year.pk)]},
        )
    year.refresh_from_db()
    assert (year.is_complete, year.completed_by) == (True, "admin-0001")
    assert published == [CalendarYearCompleted(year=2027, region_code="")]


def test_days_and_the_audit_cannot_be_deleted(admin_client):
    seed(2025)
    day = CalendarDay.objects.first()
    assert day is not None
    assert admin_client.get(f"/admin/calendars/calendarday/{day.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/calendars/calendardaychange/add/").status_code == 403
