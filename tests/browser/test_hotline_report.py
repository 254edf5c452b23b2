"""A city leader reads the 12345 figures in Chromium: signs in with a TOTP code, opens the
monthly hotspot report on a phone (390 px) and the metrics page on a desktop; every page is
checked with axe-core and for sideways scrolling (wide tables scroll inside their wrapper)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, current_totp
from yiwang.analytics.tests.factories import (
    City,
    at,
    callback,
    dispatch,
    make_city,
    register,
    reply,
    sign,
)
from yiwang.identity import services
from yiwang.identity.models import StaffRole

pytestmark = pytest.mark.browser

PASSWORD = "Lingdao2026"
PHONE = "13900000088"
SECRET = "JBSWY3DPEHPK3PXP"


def check(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def _november() -> City:
    city = make_city()
    noise = {
        "ticket_type": "complaint",
        "category_code": city.noise.code,
        "content": "夜间施工噪声扰民。",
        "address": "清溪路88号工地附近",
    }
    for day in range(3, 9):
        register(city, at(2026, 11, day), latitude=24.505, longitude=118.105, **noise)
    ticket = register(city, at(2026, 11, 2))
    dispatch(city, ticket, city.roads, at(2026, 11, 2))
    sign(city.road_handler, ticket, at(2026, 11, 2, 10))
    reply(city, city.road_handler, ticket, at(2026, 11, 4))
    callback(city, ticket, at(2026, 11, 5), "satisfied", "resolved")
    return city


def _sign_in_as_leader(page: Page, city: City) -> None:
    user = services.staff_account_create(
        username="leader",
        password=PASSWORD,
        display_name="王市长",
        department=city.centre,
        role=StaffRole.LEADER,
        phone=PHONE,
    )
    services.staff_second_factor_activate(user=user, secret=SECRET)
    page.goto("/accounts/login/")
    page.get_by_label("手机号码或邮箱").fill(PHONE)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.locator("input[name=code]").fill(current_totp(SECRET))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def test_leader_reads_the_hotspot_report_on_a_phone(page: Page) -> None:
    city = _november()
    _sign_in_as_leader(page, city)

    page.goto("/workbench/")
    page.get_by_role("link", name="12345热点分析月报").click()
    page.wait_for_url("**/analytics/hotline/hotspots/")
    check(page)

    page.get_by_label("报告月份", exact=True).fill("2026-11")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**/hotspots/?month=2026-11")
    assert page.title().startswith("12345热点分析月报（2026年11月）")
    main = page.locator("main").inner_text()
    assert "本月登记工单 7 件" in main
    assert "噪声扰民" in main
    assert "清溪路88号工地附近" in main  # six complaints at one place
    check(page)

    # Printed for the city leadership: no navigation, no buttons, the month in the title.
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.get_by_role("button", name="打印").is_visible()
    assert page.locator("h1").inner_text().endswith("2026年11月")
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载Excel").click()
    assert download.value.suggested_filename == "12345热点分析月报-2026-11.xlsx"

    page.goto("/analytics/hotline/hotspots/?month=2026-13")
    assert "请按“年-月”填写月份" in page.locator("main").inner_text()
    check(page)


def test_leader_reads_the_metrics_on_a_desktop(desktop_page: Page) -> None:
    page = desktop_page
    city = _november()
    _sign_in_as_leader(page, city)

    page.goto("/analytics/hotline/?month=2026-11")
    main = page.locator("main")
    assert "总体指标（2026年11月）" in main.inner_text()
    satisfaction = page.locator(".metric-card", has_text="满意率").first
    assert "100.00%（1/1）" in satisfaction.inner_text()
    assert "有评价的回访数" in satisfaction.inner_text()
    assert page.get_by_role("region", name="按承办单位").is_visible()
    assert page.get_by_role("region", name="近12个月趋势").is_visible()
    check(page)

    page.get_by_label("受理渠道").select_option(label="随手拍")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**channel=app**")
    assert "登记工单 7 件" in main.inner_text()
    check(page)


def test_the_metrics_page_fits_a_phone(page: Page) -> None:
    city = _november()
    _sign_in_as_leader(page, city)
    page.goto("/analytics/hotline/?month=2026-11")
    region = page.get_by_role("region", name="近12个月趋势")
    # The wide table scrolls inside its wrapper, never the page.
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    check(page)
