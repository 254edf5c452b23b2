"""12345 reports in Chromium.

- A citizen on a 390 px phone picks the problem's place on the offline map of the city, once
  with the keyboard (arrow keys, Enter; each move announced) and once with a tap; the ticket
  saved has the coordinates under the pin and the right area. The phone's position outside the
  city is refused kindly and fills nothing.
- A city leader reads the 12345 figures: signs in with a TOTP code, opens the monthly hotspot
  report on a phone (390 px) and the metrics page on a desktop.
Every page is checked with axe-core and for sideways scrolling (wide tables scroll inside
their wrapper)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

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
from yiwang.hotline.models import Area, Ticket
from yiwang.hotline.tests.factories import HotlineSetup, make_hotline, make_user
from yiwang.identity import services
from yiwang.identity.models import StaffRole
from yiwang.org.models import Region, RegionLevel

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


# ── The citizen's map picker ─────────────────────────────────────────────────────────────────


def _area(name: str, region_code: str, west: float, east: float) -> Area:
    south, north = 24.5, 24.6
    return Area.objects.create(
        name=name,
        region_code=region_code,
        polygon=[[west, south], [east, south], [east, north], [west, north]],
        min_longitude=west,
        max_longitude=east,
        min_latitude=south,
        max_latitude=north,
    )


def _city_of_two_streets() -> tuple[HotlineSetup, Area, Area]:
    """Two streets side by side, 府前街道 the wider, so that the map's centre (118.1, 24.55)
    lies in it and four steps east cross into 南湖街道."""
    setup = make_hotline()
    setup.area.delete()
    city, _ = Region.objects.get_or_create(
        code="359900", defaults={"name": "示范市", "level": RegionLevel.CITY}
    )
    Region.objects.create(code="359902", name="东城区", level=RegionLevel.COUNTY, parent=city)
    Region.objects.create(code="359903", name="南湖区", level=RegionLevel.COUNTY, parent=city)
    west = _area("府前街道", "359902001000", 118.0, 118.12)
    east = _area("南湖街道", "359903001000", 118.12, 118.2)
    return setup, west, east


def _citizen_opens_the_report_page(page: Page, live_server: LiveServer) -> None:
    client = Client()
    client.force_login(make_user())
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/hotline/report/")
    expect(page.locator("#map-picker")).to_be_visible()


def test_a_citizen_picks_the_place_on_the_map_with_the_keyboard(
    page: Page, live_server: LiveServer
) -> None:
    setup, _, east = _city_of_two_streets()
    _citizen_opens_the_report_page(page, live_server)
    check(page)
    status = page.locator("#location-status")
    page.get_by_label("问题描述").fill("路口井盖破损，晚上很危险")
    page.get_by_label("问题分类").select_option(setup.manhole.code)

    # Tab reaches the map; the first arrow key puts the pin in the middle of the map.
    page.get_by_label("问题描述").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "city-map":
            break
    expect(page.locator("#city-map")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(status).to_have_text("您选择的位置在 东城区 府前街道")
    expect(page.locator("#map-pin")).to_be_visible()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(status).to_have_text("您选择的位置在 南湖区 南湖街道")
    page.keyboard.press("Enter")
    expect(status).to_contain_text("已确认位置：南湖区 南湖街道")
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    assert 118.12 < longitude < 118.13
    assert latitude == pytest.approx(24.55, abs=0.001)
    check(page)

    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/hotline/mine/*/")
    ticket = Ticket.objects.get()
    assert (ticket.latitude, ticket.longitude, ticket.area) == (latitude, longitude, east)


def test_a_citizen_taps_the_place_on_the_map(page: Page, live_server: LiveServer) -> None:
    setup, west, _ = _city_of_two_streets()
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 39.9, "longitude": 116.4})
    _citizen_opens_the_report_page(page, live_server)
    status = page.locator("#location-status")

    # The phone is in another city: said so, nothing filled.
    page.get_by_role("button", name="使用我的位置").click()
    expect(status).to_contain_text("您现在的位置不在本市范围内")
    assert page.locator("#id_latitude").input_value() == ""

    # A tap in the middle of 府前街道 (118.0–118.12 × 24.5–24.6).
    page.locator('path[data-region="359902001000"]').tap()
    expect(status).to_have_text("您选择的位置在 东城区 府前街道")
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    # One CSS pixel is about 0.0006° here.
    assert longitude == pytest.approx(118.06, abs=0.002)
    assert latitude == pytest.approx(24.55, abs=0.002)

    page.get_by_role("button", name="放大").click()
    expect(page.locator("#map-pin")).to_be_visible()
    page.get_by_label("问题描述").fill("人行道井盖缺失")
    page.get_by_label("问题分类").select_option(setup.manhole.code)
    check(page)
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/hotline/mine/*/")
    ticket = Ticket.objects.get()
    assert (ticket.latitude, ticket.longitude, ticket.area) == (latitude, longitude, west)
