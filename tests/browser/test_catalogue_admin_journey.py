"""Catalogue manager journey in Chromium, on a phone: revise a published item in the admin,
publishing is refused with the rule violations listed, fix them, publish, and the old version
still shows in the history."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll
from yiwang.catalog.models import ServiceItemVersion
from yiwang.catalog.tests.factories import (
    make_catalogue_manager,
    make_department,
    make_published_version,
)

pytestmark = pytest.mark.browser


def check(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def sign_in(page: Page, live_server: LiveServer) -> ServiceItemVersion:
    department = make_department(name="示范市市场监督管理局")
    live = make_published_version(department=department, name="食品经营许可证核发")
    manager = make_catalogue_manager(department, username="market-catalogue")
    client = Client()
    client.force_login(manager)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return live


def test_manager_revises_a_published_item_fixes_the_refusal_and_publishes(
    page: Page, live_server: LiveServer
) -> None:
    live = sign_in(page, live_server)

    page.goto(f"/admin/catalog/serviceitem/{live.item_id}/change/")
    assert "第1版" in page.locator("#content-main").inner_text()
    check(page)
    page.get_by_role("button", name="新建修订版本").click()
    page.wait_for_url("**/serviceitemversion/*/change/")
    assert "发布前检查：已符合全部发布规则" in page.locator("#content").inner_text()
    check(page)

    # A change that breaks two rules: fully online, yet two visits, and charged without fees.
    page.get_by_label("网上办理深度").select_option("4")
    page.get_by_label("到办事现场次数").fill("2")
    page.locator("#id_charged").check()
    page.get_by_role("button", name="保存并发布").click()
    page.wait_for_url("**/serviceitemversion/*/change/")
    messages = page.locator(".messagelist").inner_text()
    assert "修改已保存，但未发布。" in messages
    assert (
        "到办事现场次数：网上办理深度为四级（全程网办）的事项，到办事现场次数应为 0。" in messages
    )
    assert "收费依据：收费事项须填写收费依据" in messages
    assert "收费项目：" in messages
    summary = page.locator("#publication-check")
    assert "有 4 处不符合发布规则" in summary.inner_text()
    check(page)
    assert ServiceItemVersion.objects.get(pk=live.pk).status == "published"

    # The summary links to the field; fix each rule and publish.
    summary.get_by_role("link", name="到办事现场次数").click()
    page.get_by_label("到办事现场次数").fill("0")
    page.locator("#id_charged").uncheck()
    page.get_by_label("修订说明").fill("改为全程网办，不收费")
    page.get_by_role("button", name="保存并发布").click()
    # (the fragment of the link followed above stays on the URL through the redirect)
    page.wait_for_url(lambda url: f"/serviceitem/{live.item_id}/change/" in url)
    assert "第2版已发布" in page.locator(".messagelist").inner_text()

    history = page.locator(".catalog-history").inner_text()
    assert "第1版" in history
    assert "已停用" in history
    assert "第2版" in history
    assert "改为全程网办，不收费" in history
    check(page)

    page.get_by_role("link", name="查看修订内容").first.click()
    page.wait_for_url("**/diff/")
    changes = page.locator("#content-main").inner_text()
    assert "网上办理深度" in changes
    assert "四级（全程网办）" in changes
    check(page)
