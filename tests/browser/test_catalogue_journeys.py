"""Catalogue journeys in Chromium (JOURNEYS.md, citizen 3): find “开饭店” from the home page on
a phone, open the guide, download a blank form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll
from yiwang.catalog.models import Synonym
from yiwang.catalog.search import search_index_rebuild
from yiwang.catalog.tests.public_fixtures import build_mini_catalogue

pytestmark = pytest.mark.browser


def check(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_citizen_finds_open_a_restaurant_opens_the_guide_and_downloads_a_form(page: Page) -> None:
    build_mini_catalogue()
    Synonym.objects.create(term="开饭店", expansion="食品经营许可 餐饮")
    search_index_rebuild()

    page.goto("/")
    check(page)
    page.get_by_label("搜索办事服务").fill("开饭店")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url("**/services/search/?q=*")
    results = page.locator(".search-hits .item-name")
    assert results.first.inner_text() == "食品经营许可证核发"
    check(page)

    results.first.click()
    page.wait_for_url("**/services/items/*/")
    assert page.locator("h1").inner_text() == "食品经营许可证核发"
    main = page.locator("main").inner_text()
    assert "不见面" in main
    assert "承诺5个工作日" in main
    check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载空白表格：食品经营许可申请书").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert download.path().read_bytes() == b"PK\x03\x04demo"


def test_guide_is_readable_at_desktop_width(desktop_page: Page) -> None:
    mini = build_mini_catalogue()
    desktop_page.goto(f"/services/items/{mini.id_card.pk}/")
    assert "工本费" in desktop_page.locator("main").inner_text()
    check(desktop_page)
    desktop_page.goto("/services/")
    check(desktop_page)
    desktop_page.goto("/services/items/?visits=at_most_one")
    check(desktop_page)
