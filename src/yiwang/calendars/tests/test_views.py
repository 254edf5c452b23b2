from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.calendars import services
from yiwang.calendars.selectors import DayKind
from yiwang.calendars.tests.factories import seed

pytestmark = pytest.mark.django_db


def test_the_year_page_lists_holidays_and_make_up_days_in_accessible_tables(client):
    seed(2025)
    response = client.get("/calendar/2025/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>2025年放假与调休安排</h1>" in html
    assert "2025年放假安排</caption>" in html
    assert '<th scope="col">放假日期</th>' in html
    assert '<th scope="row">国庆节、中秋节</th>' in html
    assert "10月1日（星期三）" in html
    assert "10月8日（星期三）" in html
    assert "8天" in html
    assert '<time datetime="2025-10-11">2025年10月11日</time>' in html
    assert "暂定" not in html


def test_an_unknown_year_carries_a_provisional_warning(client):
    seed(2026)
    response = client.get("/calendar/2027/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "2027年的工作日历尚未录入完成" in html
    assert "该年度尚未录入放假安排。" in html


@time_machine.travel(datetime(2026, 2, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_calendar_opens_on_the_current_year(client):
    seed(2026)
    html = client.get("/calendar/").content.decode()
    assert "<h1>2026年放假与调休安排</h1>" in html
    assert "春节" in html


def test_a_region_page_shows_its_own_days(client):
    seed(2025)
    services.calendar_override_add(
        region_code="222400", on=date(2025, 9, 3), kind=DayKind.HOLIDAY, name="自治州成立纪念日"
    )
    html = client.get("/calendar/2025/", {"region": "222401"}).content.decode()
    assert "本地区调整" in html
    assert "自治州成立纪念日" in html
    assert 'href="/calendar/2024/?region=222401"' in html


def test_a_malformed_region_code_gives_a_friendly_error_page(client):
    response = client.get("/calendar/2025/", {"region": "abc"})
    assert response.status_code == 422
    assert "行政区划代码应为6位、9位或12位数字" in response.content.decode()


def test_a_year_out_of_range_gives_a_friendly_error_page(client):
    response = client.get("/calendar/1800/")
    assert response.status_code == 422
    assert "年度应在1900年至2199年之间" in response.content.decode()
