"""Browser fixtures: one Chromium per test session (Debian's, not Playwright's downloads), a
fresh context per test at phone width (`page`) or desktop width (`desktop_page`), pointed at
pytest-django's live server. A failing test leaves a screenshot in `test-artifacts/`.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.browser.helpers import ARTIFACTS_DIR

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking switches Chromium's own connections are refused on a closed
# network and page loads stall behind them.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, Any]:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run scripts/system-deps.sh (or `make system-deps`).")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _screenshot_name(item: pytest.Item, suffix: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])
    return ARTIFACTS_DIR / f"{safe}{suffix}.png"


def _new_context(browser: Browser, live_server: LiveServer, *, phone: bool) -> BrowserContext:
    # Chinese users' browsers ask for Chinese; Django's LocaleMiddleware honours Accept-Language.
    common: dict[str, Any] = {
        "base_url": live_server.url,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }
    if phone:
        return browser.new_context(
            **common,
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
    return browser.new_context(**common, viewport={"width": 1280, "height": 800})


def _open_page(
    browser: Browser,
    live_server: LiveServer,
    request: pytest.FixtureRequest,
    *,
    phone: bool,
) -> Iterator[Page]:
    context = _new_context(browser, live_server, phone=phone)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            name = _screenshot_name(request.node, "" if phone else "-desktop")
            page.screenshot(path=str(name), full_page=True)
        context.close()


@pytest.fixture
def page(
    browser: Browser,
    live_server: LiveServer,
    transactional_db: None,
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A phone: 390 × 844 CSS pixels, touch, double density."""
    yield from _open_page(browser, live_server, request, phone=True)


@pytest.fixture
def desktop_page(
    browser: Browser,
    live_server: LiveServer,
    transactional_db: None,
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A desktop browser window: 1280 × 800."""
    yield from _open_page(browser, live_server, request, phone=False)
