"""Assertions every browser test uses: accessibility (axe-core) and layout."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA (UI.md: "WCAG 2.1 AA and GB/T 37668-2019").
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def _save_screenshot(page: Page, name: str) -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _slug(page: Page) -> str:
    path = page.url.split("//", 1)[-1].split("/", 1)[-1] or "home"
    width = page.viewport_size["width"] if page.viewport_size else 0
    return "".join(c if c.isalnum() else "_" for c in path).strip("_")[:60] + f"-{width}px"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe-core's WCAG 2.1 A/AA rules on the current page; returns serious/critical ones."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (or `make node_modules/.installed`).")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {json.dumps(node['target'], ensure_ascii=False)}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """No serious or critical WCAG 2.1 A/AA violation on the page as it is now."""
    violations = axe_violations(page)
    if violations:
        shot = _save_screenshot(page, f"axe-{_slug(page)}")
        pytest.fail(
            f"{len(violations)} accessibility violation(s) on {page.url} (screenshot {shot}):\n"
            + format_violations(violations),
            pytrace=False,
        )


def assert_no_horizontal_scroll(page: Page) -> None:
    """The page fits the window's width: nothing makes it scroll sideways."""
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    if widths["scroll"] > widths["inner"]:
        culprits = page.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                     + (el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))"""
        )
        shot = _save_screenshot(page, f"scroll-{_slug(page)}")
        pytest.fail(
            f"{page.url} scrolls sideways: content is {widths['scroll']} px wide in a "
            f"{widths['inner']} px window; widest elements: {culprits} (screenshot {shot})",
            pytrace=False,
        )


def current_totp(secret: str) -> str:
    """The authenticator app's code for now, never one about to expire: the server checks the
    current 30-second window only, so a code read in its last seconds may arrive too late."""
    if 30 - time.time() % 30 < 6:
        time.sleep(30 - time.time() % 30 + 0.5)
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
