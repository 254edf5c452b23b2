"""Pages every visitor may meet: the friendly 404, sign-in, and the elder mode (长辈版) switch."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_unknown_page_shows_the_friendly_chinese_404(page: Page) -> None:
    response = page.goto("/no-such-page/")
    assert response is not None
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    assert "您要找的页面不存在" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="返回首页").get_attribute("href") == "/"
    assert "Traceback" not in page.content()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_sign_in_page_renders_accessibly(page: Page) -> None:
    response = page.goto("/accounts/login/")
    assert response is not None
    assert response.status == 200
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.locator("h1").count() == 1
    assert page.locator("form input[type=password]").count() == 1
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_elder_mode_switch_persists_across_pages_and_switches_back(page: Page) -> None:
    page.goto("/")
    switch = page.get_by_role("button", name="长辈版")
    assert page.get_attribute("html", "class") in (None, "")
    assert switch.get_attribute("aria-pressed") == "false"
    font_size_before = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")

    with page.expect_navigation():
        switch.click()
    assert page.url.endswith("/")
    assert page.get_attribute("html", "class") == "elder"
    assert page.get_by_role("button", name="长辈版").get_attribute("aria-pressed") == "true"
    font_size_after = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    assert (font_size_before, font_size_after) == ("16px", "20px")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    # Another page, reached by following a link: still the elder mode.
    account_nav = page.get_by_role("navigation", name="账户")
    with page.expect_navigation():
        account_nav.get_by_role("link", name="登录").click()
    assert page.url.endswith("/accounts/login/")
    assert page.get_attribute("html", "class") == "elder"
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    # Switched off where the user is; they stay on that page.
    with page.expect_navigation():
        page.get_by_role("button", name="长辈版").click()
    assert page.url.endswith("/accounts/login/")
    assert page.get_attribute("html", "class") in (None, "")
    assert page.get_by_role("button", name="长辈版").get_attribute("aria-pressed") == "false"
    page.goto("/")
    assert page.get_attribute("html", "class") in (None, "")
