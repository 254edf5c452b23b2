"""The home page, on a phone and on a desktop (JOURNEYS.md, citizen 1: first visit)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


def _check_home(page: Page) -> None:
    response = page.goto("/")
    assert response is not None
    assert response.status == 200
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().strip() != ""
    assert page.title().endswith("一网通办")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_home_page_on_a_phone_is_accessible_and_fits_the_screen(page: Page) -> None:
    _check_home(page)


def test_home_page_on_a_desktop_is_accessible_and_fits_the_window(desktop_page: Page) -> None:
    _check_home(desktop_page)


def test_skip_link_moves_keyboard_focus_to_the_main_content(desktop_page: Page) -> None:
    desktop_page.goto("/")
    desktop_page.keyboard.press("Tab")
    skip = desktop_page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.inner_text() == "跳到主要内容"
    desktop_page.keyboard.press("Enter")
    assert desktop_page.evaluate("() => document.activeElement.id") == "main"
