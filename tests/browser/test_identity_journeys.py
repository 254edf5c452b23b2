"""Identity journeys in Chromium (JOURNEYS.md, citizen 2; window clerk 1):

- a new citizen registers with a phone code, verifies identity (a wrong check digit is
  explained and the form keeps what was typed), signs out and signs in again;
- a staff member signs in with a TOTP second factor and reaches the workbench.
Every page on the way is checked with axe-core and for horizontal scrolling.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, current_totp
from yiwang.identity import services
from yiwang.identity.models import Person, StaffRole, User
from yiwang.org.models import Department
from yiwang.platform.selectors import latest_sandbox_code
from yiwang.platform.services import SandboxPersonData, sandbox_registry_add_people
from yiwang.project.demo.accounts import NEWCOMER_NAME, demo_person

pytestmark = pytest.mark.browser

PASSWORD = "Qingxi2026"
NEWCOMER = demo_person(NEWCOMER_NAME)


def check(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_new_citizen_registers_verifies_signs_out_and_in(page: Page) -> None:
    sandbox_registry_add_people(
        [SandboxPersonData(name=NEWCOMER.name, citizen_id=NEWCOMER.citizen_id)]
    )
    page.goto("/")
    check(page)
    page.get_by_role("link", name="手机号注册").click()
    check(page)
    page.get_by_label("手机号码").fill(NEWCOMER.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="注册并获取验证码").click()

    page.wait_for_url("**/accounts/phone/verify/")
    check(page)
    code = latest_sandbox_code(f"+86{NEWCOMER.phone}")
    assert code is not None
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name="确认").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert User.objects.get(phone_index__isnull=False).phone_verified is True

    page.goto("/me/verify/")
    check(page)
    wrong = NEWCOMER.citizen_id[:17] + ("1" if NEWCOMER.citizen_id[17] != "1" else "2")
    page.get_by_label("姓名").fill(NEWCOMER.name)
    page.get_by_label("公民身份号码").fill(wrong)
    page.get_by_role("button", name="提交认证").click()
    summary = page.get_by_role("alert")
    assert "身份证号码最后一位校验码不正确" in summary.inner_text()
    assert page.get_by_label("姓名").input_value() == NEWCOMER.name
    assert page.get_by_label("公民身份号码").input_value() == wrong
    check(page)

    page.get_by_label("公民身份号码").fill(NEWCOMER.citizen_id)
    page.get_by_role("button", name="提交认证").click()
    page.wait_for_url("**/me/")
    main = page.locator("main").inner_text()
    assert "实名认证成功" in page.content()
    assert "二级（公安核验）" in main
    assert NEWCOMER.citizen_id not in page.content()
    assert NEWCOMER.citizen_id[:4] + "**********" + NEWCOMER.citizen_id[-4:] in main
    check(page)
    assert Person.objects.get().name == NEWCOMER.name

    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()
    if "/accounts/logout/" in page.url:  # allauth may ask to confirm
        page.get_by_role("button").filter(has_text="退出").last.click()
    page.goto("/me/")
    assert "/accounts/login/" in page.url

    page.get_by_label("手机号码或邮箱").fill(NEWCOMER.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/")
    assert "林**，您好" in page.locator("main").inner_text()
    check(page)


def test_staff_signs_in_with_a_totp_code(desktop_page: Page) -> None:
    page = desktop_page
    department = Department.objects.first()
    if department is None:
        from yiwang.org.models import DepartmentLevel, Region, RegionLevel

        city = Region.objects.create(code="359900", name="示范市", level=RegionLevel.CITY)
        department = Department.objects.create(
            name="示范市行政审批局",
            uscc="11359900MB1234567E",
            level=DepartmentLevel.CITY,
            region=city,
        )
    secret = "JBSWY3DPEHPK3PXP"
    user = services.staff_account_create(
        username="clerk",
        password=PASSWORD,
        display_name="刘窗口",
        department=department,
        role=StaffRole.WINDOW_CLERK,
        phone="13900000001",
    )
    services.staff_second_factor_activate(user=user, secret=secret)

    page.goto("/accounts/login/")
    page.get_by_label("手机号码或邮箱").fill("13900000001")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    check(page)
    page.locator("input[name=code]").fill(current_totp(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/" not in url)

    page.goto("/workbench/")
    assert page.locator("h1").inner_text() == "工作台"
    assert "示范市行政审批局 · 窗口人员" in page.locator("main").inner_text()
    check(page)
