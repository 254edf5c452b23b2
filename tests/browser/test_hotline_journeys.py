"""12345 journeys in Chromium (JOURNEYS.md: citizen 7; operator, dispatcher, handler 1-4):

- on a 390 px phone a citizen snaps a broken manhole cover (a JPEG carrying EXIF) with the
  phone's location and an address; the dispatcher sends it to the roads unit the routing rule
  suggests; the handler signs and replies; the dispatcher approves the reply; the operator
  calls back, the citizen is unsatisfied and the ticket goes back for rework; the handler
  replies again, the reply is approved, and the citizen sees every step and rates it;
- an operator answers a question directly from the knowledge base in three key presses after
  typing the search.
Every page on the way is checked with axe-core and for horizontal scrolling.
"""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll
from yiwang.hotline.models import KnowledgeArticle, RoutingRule, Ticket, TicketAttachment
from yiwang.hotline.tests.factories import HotlineSetup, make_hotline, make_user
from yiwang.hotline.workflow import TicketStatus
from yiwang.identity import services as identity_services
from yiwang.identity.models import User

pytestmark = pytest.mark.browser

SECRET = "JBSWY3DPEHPK3PXP"


def check(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def sign_in(context: BrowserContext, live_server: LiveServer, user: User) -> None:
    """Staff have a TOTP authenticator (the second-factor middleware asks for one); the
    session is made by the test client and handed to the browser."""
    if user.is_staff:
        identity_services.staff_second_factor_activate(user=user, secret=SECRET)
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def staff_page(browser: Browser, live_server: LiveServer, user: User) -> Page:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(10_000)
    sign_in(context, live_server, user)
    return context.new_page()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (320, 240), (90, 90, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def open_ticket_from_list(page: Page, path: str, title: str) -> None:
    page.goto(path)
    check(page)
    page.get_by_role("link", name=title).first.click()
    page.wait_for_load_state()
    check(page)


def unit_replies(page: Page, title: str, reply: str, *, sign: bool) -> None:
    open_ticket_from_list(page, "/hotline/unit/", title)
    if sign:
        page.get_by_role("button", name="签收").click()
        expect(page.locator(".messages")).to_contain_text("已签收")
        check(page)
    page.get_by_label("答复内容").fill(reply)
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".messages")).to_contain_text("已答复")


def hotline_approves(page: Page, title: str) -> None:
    open_ticket_from_list(page, "/hotline/dispatch/?list=review", title)
    page.get_by_label("审核通过").check()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages")).to_contain_text("审核通过")


def test_a_snapped_manhole_is_routed_handled_called_back_reworked_and_rated(
    page: Page, live_server: LiveServer
) -> None:
    setup: HotlineSetup = make_hotline()
    RoutingRule.objects.create(
        name="井盖破损交城管", category=setup.manhole, lead_department=setup.roads
    )
    citizen = make_user()
    sign_in(page.context, live_server, citizen)
    browser = page.context.browser
    assert browser is not None

    # The citizen, on the phone: photo, location from the phone, an address, the category.
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 24.505, "longitude": 118.105})
    page.goto("/hotline/report/")
    check(page)
    page.get_by_label("现场照片").set_input_files(
        {"name": "manhole.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif()}
    )
    page.get_by_label("问题描述").fill("清溪路口的井盖缺失破损，晚上有人差点踩空。")
    page.get_by_role("button", name="使用我的位置").click()
    expect(page.locator("#location-status")).to_contain_text("已取得位置")
    page.get_by_label("地点").fill("清溪路与园区路交叉口")
    expect(page.locator("#category-suggestion")).to_contain_text("井盖缺失破损")
    page.get_by_role("button", name="使用此分类").click()
    expect(page.get_by_label("问题分类")).to_have_value(setup.manhole.code)
    page.get_by_label("联系电话").fill("13800000001")
    check(page)
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/hotline/mine/*/")
    ticket = Ticket.objects.get()
    assert (ticket.area, ticket.category, ticket.latitude) == (setup.area, setup.manhole, 24.505)
    attachment = TicketAttachment.objects.get(ticket=ticket)
    with attachment.public_file.open("rb") as f, Image.open(f) as public:
        assert not public.getexif()
    expect(page.locator("main")).to_contain_text(ticket.number)
    expect(page.get_by_role("img", name="现场照片 1")).to_be_visible()
    check(page)
    title = ticket.title

    dispatcher = staff_page(browser, live_server, setup.dispatcher)
    handler = staff_page(browser, live_server, setup.road_handler)
    operator = staff_page(browser, live_server, setup.operator)
    try:
        # The dispatcher: the routing rule's suggestion is prefilled; dispatch.
        open_ticket_from_list(dispatcher, "/hotline/dispatch/", title)
        expect(dispatcher.locator("#rule-suggestion")).to_contain_text("示范市城市管理局")
        dispatcher.get_by_role("button", name="派单", exact=True).click()
        expect(dispatcher.locator(".messages")).to_contain_text("已派单")
        check(dispatcher)

        # The roads unit signs and replies; the dispatcher approves the reply.
        unit_replies(handler, title, "已设置围挡，明日更换井盖。", sign=True)
        check(handler)
        hotline_approves(dispatcher, title)

        # The operator calls back: the citizen is unsatisfied, the ticket goes back.
        operator.goto(f"/hotline/tickets/{ticket.pk}/")
        check(operator)
        operator.get_by_label("已联系上").check()
        operator.get_by_label("不满意", exact=True).check()
        operator.get_by_label("未解决").check()
        operator.get_by_label("回访记录").fill("只设了围挡，井盖还没换")
        operator.get_by_label("诉求人不满意，退回重办").check()
        operator.get_by_role("button", name="记录回访").click()
        expect(operator.locator(".messages")).to_contain_text("已记录回访")
        check(operator)
        ticket.refresh_from_db()
        assert (ticket.status, ticket.rework_count) == (TicketStatus.HANDLING, 1)

        # Rework: the unit replies again, the dispatcher approves.
        unit_replies(handler, title, "井盖已更换，路面已恢复。", sign=False)
        hotline_approves(dispatcher, title)
    finally:
        for other in (dispatcher, handler, operator):
            other.context.close()

    # The citizen sees every step and rates the handling.
    page.goto("/hotline/mine/")
    check(page)
    page.get_by_role("link", name=title).click()
    timeline = page.locator(".ticket-timeline")
    for text in ("登记", "已转交示范市城市管理局办理", "签收", "已设置围挡", "回访", "退回重办"):
        expect(timeline).to_contain_text(text)
    expect(page.locator("#rate")).to_contain_text("井盖已更换，路面已恢复。")
    check(page)
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("已解决").check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".messages")).to_contain_text("工单已办结")
    expect(page.locator("#ticket-status")).to_have_text("已办结")
    check(page)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction, ticket.resolution) == (
        TicketStatus.CLOSED,
        "satisfied",
        "resolved",
    )


def test_an_operator_answers_from_the_knowledge_base_in_three_key_presses(
    desktop_page: Page, live_server: LiveServer
) -> None:
    page = desktop_page
    setup = make_hotline()
    article = KnowledgeArticle.objects.create(
        title="社保卡补办",
        body="社保卡丢失可在“示范市人社”小程序挂失补办，新卡 7 个工作日内寄到。",
        keywords="社保卡,补卡,挂失",
        category=setup.road,
    )
    KnowledgeArticle.objects.create(title="公积金提取", body="……", keywords="公积金")
    sign_in(page.context, live_server, setup.operator)

    # The caller's number arrives with the call; the search box has the focus.
    page.goto("/hotline/console/?phone=13800000002")
    check(page)
    assert page.evaluate("document.activeElement.id") == "kb-q"
    page.keyboard.type("社保卡丢了怎么补")
    results = page.locator("#kb-results .kb-answer")
    expect(results).to_have_count(1)
    check(page)

    presses = ["ArrowDown", "Enter", "Enter"]
    page.keyboard.press(presses[0])
    page.keyboard.press(presses[1])
    page.wait_for_url("**/hotline/console/answer/")
    expect(page.get_by_role("heading", name="确认直接答复")).to_be_visible()
    check(page)
    page.keyboard.press(presses[2])
    page.wait_for_url("**/hotline/console/")
    assert len(presses) < 5
    expect(page.locator(".messages")).to_contain_text("已直接答复并办结")
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.direct_answer, ticket.knowledge_article_id) == (
        TicketStatus.CLOSED,
        True,
        article.pk,
    )
    check(page)
