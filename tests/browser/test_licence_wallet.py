"""The licence wallet in Chromium, on a phone: a verified citizen with a marriage certificate
signs in, opens the wallet and the licence, shows its QR code, and the verify page the code
points to says the licence is genuine and valid. Every page on the way is checked with axe-core
and for horizontal scrolling."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll
from yiwang.identity import services as identity_services
from yiwang.identity.models import Person
from yiwang.licences.tests.factories import (
    citizen,
    make_department,
    make_licence,
    make_licence_type,
    marriage_face,
)

pytestmark = pytest.mark.browser

PHONE = "13912345678"
PASSWORD = "Passw0rd!x"  # the identity user factory's


def check(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_citizen_shows_a_licence_qr_code_and_it_verifies(
    page: Page, verified_person: Callable[[str], Person]
) -> None:
    person = verified_person("何晓梅")
    identity_services.account_set_phone(user=person.user, phone=PHONE, verified=True)
    licence = make_licence(
        holder=citizen(person),
        licence_type=make_licence_type(name="结婚证"),
        issuer=make_department(name="示范市民政局"),
        face=marriage_face(spouse_name="孙志强"),
    )

    # Signing in from the wallet's address comes back to the wallet.
    page.goto("/licences/wallet/")
    assert "/accounts/login/" in page.url
    page.get_by_label("手机号码或邮箱").fill(PHONE)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/licences/wallet/")
    assert page.get_by_role("heading", level=1).inner_text() == "我的电子证照"
    assert page.get_by_role("heading", name="本人").is_visible()
    card = page.locator("article.licence-card")
    assert card.count() == 1
    assert "有效" in card.inner_text()
    assert licence.number in card.inner_text()
    check(page)

    card.get_by_role("link", name="结婚证").click()
    page.wait_for_url(f"**/licences/wallet/{licence.pk}/")
    main = page.locator("main").inner_text()
    assert "孙志强" in main
    assert person.citizen_id not in page.content()
    qr = page.locator(".licence-qr svg")
    assert not qr.is_visible()
    check(page)

    page.get_by_text("出示二维码").click()
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= 250  # large enough to scan from a phone screen
    assert box["width"] <= 390
    assert licence.identifier in page.locator(".licence-qr").inner_text()
    check(page)

    link = page.locator("[data-verify-url]")
    verify_url = link.get_attribute("data-verify-url")
    assert verify_url is not None
    assert verify_url.endswith(f"/licences/verify/{licence.identifier}/")
    assert link.get_attribute("href") == verify_url

    # Whoever scans the code needs no account: a browser of their own, on their own phone.
    browser = page.context.browser
    assert browser is not None
    scanner = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    try:
        other = scanner.new_page()
        other.goto(verify_url)
        assert other.get_by_role("heading", name="真实有效").is_visible()
        assert "证照真实有效。" in other.locator(".verdict").inner_text()
        details = other.locator("main").inner_text()
        assert "何**" in details
        assert "何晓梅" not in details
        assert "孙志强" not in details
        check(other)
    finally:
        scanner.close()


def test_the_verify_form_checks_a_typed_identifier(
    page: Page, verified_person: Callable[[str], Person]
) -> None:
    licence = make_licence(holder=citizen(verified_person("常乐")))
    page.goto("/licences/verify/")
    check(page)
    page.get_by_role("textbox", name="证照标识").fill(licence.identifier.lower())
    page.get_by_role("button", name="核验").click()
    page.wait_for_url(f"**/licences/verify/{licence.identifier}/")
    assert page.get_by_role("heading", name="真实有效").is_visible()

    page.get_by_role("textbox", name="证照标识").fill(licence.identifier[:-1] + "#")
    page.get_by_role("button", name="核验").click()
    assert page.get_by_role("heading", name="标识格式不正确").is_visible()
    check(page)
