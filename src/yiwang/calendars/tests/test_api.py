from __future__ import annotations

from datetime import date

import pytest

from yiwang.calendars import services
from yiwang.calendars.selectors import DayKind
from yiwang.calendars.tests.factories import seed

pytestmark = pytest.mark.django_db
API = "/api/v1/calendar"


@pytest.fixture
def calendar_2025_2026():
    seed(2025, 2026)


def test_a_make_up_saturday_is_a_working_day(client, calendar_2025_2026):
    response = client.get(f"{API}/working-day", {"date": "2025-10-11"})
    assert response.status_code == 200
    assert response.json() == {
        "date": "2025-10-11",
        "is_working_day": True,
        "kind": "makeup_workday",
        "provisional": False,
    }


def test_a_national_day_holiday_is_not_a_working_day(client, calendar_2025_2026):
    response = client.get(f"{API}/working-day", {"date": "2026-10-05", "region": ""})
    assert response.json() == {
        "date": "2026-10-05",
        "is_working_day": False,
        "kind": "holiday",
        "provisional": False,
    }


def test_a_day_in_an_unknown_year_is_answered_provisionally(client, calendar_2025_2026):
    response = client.get(f"{API}/working-day", {"date": "2027-01-01"})
    assert response.json() == {
        "date": "2027-01-01",
        "is_working_day": True,
        "kind": "workday",
        "provisional": True,
    }


def test_adding_working_days_gives_the_worked_example(client, calendar_2025_2026):
    response = client.get(f"{API}/add-working-days", {"start": "2025-09-30", "days": 5})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2025-09-30",
        "days": 5,
        "due_on": "2025-10-14",
        "provisional": False,
    }


def test_adding_working_days_into_an_unknown_year_is_provisional(client, calendar_2025_2026):
    response = client.get(f"{API}/add-working-days", {"start": "2026-12-25", "days": 10})
    assert response.json() == {
        "start": "2026-12-25",
        "days": 10,
        "due_on": "2027-01-08",
        "provisional": True,
    }


def test_counting_working_days(client, calendar_2025_2026):
    response = client.get(f"{API}/count-working-days", {"start": "2025-09-30", "end": "2025-10-14"})
    assert response.status_code == 200
    assert response.json() == {"count": 5, "provisional": False}


def test_counting_across_the_2026_spring_festival(client, calendar_2025_2026):
    # 14 Feb (Sat, worked), 15–23 Feb off, 24–27 Feb, 28 Feb (Sat, worked).
    response = client.get(f"{API}/count-working-days", {"start": "2026-02-13", "end": "2026-02-28"})
    assert response.json() == {"count": 6, "provisional": False}


def test_a_regional_holiday_is_answered_for_the_region(client, calendar_2025_2026):
    services.calendar_override_add(region_code="222400", on=date(2025, 9, 3), kind=DayKind.HOLIDAY)
    regional = client.get(f"{API}/working-day", {"date": "2025-09-03", "region": "222401"})
    national = client.get(f"{API}/working-day", {"date": "2025-09-03"})
    assert regional.json()["kind"] == "holiday"
    assert national.json()["kind"] == "workday"


# --- Bad input: 422 with a Chinese message, never a 500 -------------------------------------------


def test_a_malformed_date_is_a_422_that_says_how_to_write_it(client):
    response = client.get(f"{API}/working-day", {"date": "2025-13-45"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["errors"] == [{"field": "date", "message": "请填写正确的日期，例如 2026-11-22。"}]


def test_a_missing_date_is_a_422(client):
    response = client.get(f"{API}/working-day")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "date", "message": "此项为必填项。"}]


@pytest.mark.parametrize("days", ["-1", "3651", "100000"])
def test_negative_or_huge_day_counts_are_a_422(client, days):
    response = client.get(f"{API}/add-working-days", {"start": "2025-09-30", "days": days})
    assert response.status_code == 422
    assert response.json() == {
        "code": "days_out_of_range",
        "message": "天数应为0至3650之间的整数，请检查后重新填写。",
        "errors": [{"field": "days", "message": "天数应为0至3650之间的整数，请检查后重新填写。"}],
    }


def test_a_day_count_that_is_not_a_number_is_a_422(client):
    response = client.get(f"{API}/add-working-days", {"start": "2025-09-30", "days": "五"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "days", "message": "请填写整数。"}]


def test_an_end_before_the_start_is_a_422(client):
    response = client.get(f"{API}/count-working-days", {"start": "2025-10-14", "end": "2025-09-30"})
    assert response.status_code == 422
    assert response.json() == {
        "code": "end_before_start",
        "message": "结束日期不能早于开始日期，请检查。",
        "errors": [{"field": "end", "message": "结束日期不能早于开始日期，请检查。"}],
    }


def test_a_malformed_region_code_is_a_422(client):
    response = client.get(f"{API}/working-day", {"date": "2025-10-11", "region": "福州"})
    assert response.status_code == 422
    assert response.json()["code"] == "region_code_invalid"
    assert response.json()["errors"][0]["field"] == "region"


def test_a_date_beyond_the_calendar_is_a_422_not_an_overflow(client):
    response = client.get(f"{API}/add-working-days", {"start": "9999-12-30", "days": 5})
    assert response.status_code == 422
    assert response.json()["code"] == "date_out_of_range"


def test_the_endpoints_are_documented_in_chinese(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/calendar/add-working-days"]["get"]
    assert operation["tags"] == ["工作日历"]
    assert operation["summary"] == "计算若干个工作日后的截止日期"
