"""Staff pages of the hotline: the console (history, knowledge base, direct answer, register,
unregistered calls), the dispatcher's lists and ticket page, the unit's work and actions.
Permissions: another unit's ticket is a 404, denied POSTs change nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yiwang.hotline.models import (
    ExtensionRequest,
    KnowledgeArticle,
    RoutingRule,
    Ticket,
    TicketAssignment,
    UnregisteredContact,
)
from yiwang.hotline.services import (
    ticket_dispatch,
    ticket_extension_request,
    ticket_reply,
    ticket_review,
    ticket_sign,
)
from yiwang.hotline.tests.factories import HotlineSetup, make_hotline, report
from yiwang.hotline.workflow import AssignmentRole, TicketStatus
from yiwang.identity import services as identity_services
from yiwang.identity.models import User

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXP"


def login(client: Client, user: User) -> Client:
    identity_services.staff_second_factor_activate(user=user, secret=SECRET)
    client.force_login(user)
    return client


@pytest.fixture
def setup() -> HotlineSetup:
    return make_hotline()


def _lead(ticket: Ticket) -> TicketAssignment:
    return TicketAssignment.objects.get(ticket=ticket, role=AssignmentRole.LEAD, is_active=True)


def _article(setup: HotlineSetup) -> KnowledgeArticle:
    return KnowledgeArticle.objects.create(
        title="社保卡补办",
        body="社保卡丢失可在“示范市人社”小程序挂失并补办，补办卡 7 个工作日内寄到。",
        keywords="社保卡,补卡,挂失",
        category=setup.road,
        department_name="示范市人力资源和社会保障局",
    )


def test_the_console_is_only_for_operators(client, setup):
    login(client, setup.road_handler)
    assert client.get("/hotline/console/").status_code == 404
    login(client, setup.operator)
    page = client.get("/hotline/console/").content.decode()
    assert "12345 话务台" in page
    assert 'accesskey="k"' in page


def test_caller_history_finds_earlier_tickets_by_phone(client, setup):
    earlier = report(setup, reporter_phone="13800000009")
    login(client, setup.operator)
    page = client.get("/hotline/console/history/", {"reporter_phone": "138 0000 0009"})
    assert earlier.number in page.content.decode()
    other = client.get("/hotline/console/history/", {"reporter_phone": "13800000008"})
    assert earlier.number not in other.content.decode()
    assert "没有历史工单" in other.content.decode()
    garbage = client.get("/hotline/console/history/", {"reporter_phone": "abc<script>"})
    assert garbage.status_code == 200


def test_knowledge_search_scores_titles_and_keywords(client, setup):
    article = _article(setup)
    KnowledgeArticle.objects.create(title="公积金提取", body="提取公积金需要……", keywords="公积金")
    login(client, setup.operator)
    page = client.get("/hotline/console/knowledge/", {"q": "社保卡丢了怎么补办"}).content.decode()
    assert article.title in page
    assert "公积金提取" not in page
    assert f'value="{article.pk}"' in page
    empty = client.get("/hotline/console/knowledge/", {"q": "火星移民"}).content.decode()
    assert "没有与“火星移民”相关" in empty


def test_direct_answer_asks_to_confirm_then_closes_the_ticket(client, setup):
    article = _article(setup)
    login(client, setup.operator)
    data = {"reporter_phone": "13800000011", "ticket_type": "consultation", "article": article.pk}
    confirm = client.post("/hotline/console/answer/", data)
    assert confirm.status_code == 200
    assert "确认答复并办结" in confirm.content.decode()
    assert Ticket.objects.count() == 0
    data.update({"confirmed": "True", "answer": article.body, "category_code": setup.road.code})
    done = client.post("/hotline/console/answer/", data)
    assert done.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.direct_answer, ticket.knowledge_article) == (
        TicketStatus.CLOSED,
        True,
        article,
    )
    article.refresh_from_db()
    assert article.use_count == 1


def test_a_direct_answer_without_caller_shows_the_error_and_registers_nothing(client, setup):
    article = _article(setup)
    login(client, setup.operator)
    data = {"ticket_type": "consultation", "article": article.pk, "confirmed": "True"}
    response = client.post("/hotline/console/answer/", data)
    assert response.status_code == 422
    assert "请填写诉求人姓名或联系电话" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_registering_keeps_what_was_typed_after_an_error(client, setup):
    login(client, setup.operator)
    response = client.post(
        "/hotline/console/",
        {"reporter_phone": "12345", "ticket_type": "help", "content": "路灯不亮了"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "请选择问题分类" in page
    assert "路灯不亮了" in page
    assert Ticket.objects.count() == 0
    ok = client.post(
        "/hotline/console/",
        {
            "reporter_phone": "13800000012",
            "ticket_type": "help",
            "category_code": setup.manhole.code,
            "content": "井盖坏了",
            "reply_wanted": "on",
        },
    )
    assert ok.status_code == 302
    assert Ticket.objects.get().operator == setup.operator


def test_unregistered_calls_are_recorded(client, setup):
    login(client, setup.operator)
    client.post("/hotline/console/unregistered/", {"kind": "silent"})
    client.post("/hotline/console/unregistered/", {"kind": "nonsense"})
    assert list(UnregisteredContact.objects.values_list("kind", flat=True)) == ["silent"]


def test_dispatch_page_prefills_the_rule_and_dispatches(client, setup):
    rule = RoutingRule.objects.create(
        name="井盖归城管", category=setup.manhole, lead_department=setup.roads
    )
    rule.co_departments.add(setup.lights)
    ticket = report(setup)
    login(client, setup.dispatcher)
    listing = client.get("/hotline/dispatch/").content.decode()
    assert ticket.number in listing
    page = client.get(f"/hotline/tickets/{ticket.pk}/").content.decode()
    assert "建议主办单位：示范市城市管理局" in page
    assert f'<option value="{setup.roads.pk}" selected>' in page
    bad = client.post(f"/hotline/tickets/{ticket.pk}/dispatch/", {"lead": "999999"})
    assert bad.status_code == 422
    assert "请从列表中选择主办单位" in bad.content.decode()
    done = client.post(
        f"/hotline/tickets/{ticket.pk}/dispatch/",
        {"lead": setup.roads.pk, "co_handlers": [setup.lights.pk]},
    )
    assert done.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DISPATCHED
    assert TicketAssignment.objects.filter(ticket=ticket).count() == 2


def test_the_dispatcher_sees_likely_duplicates_of_a_new_ticket(client, setup):
    first = report(setup)
    second = report(setup, reporter_name="李秀英", reporter_phone="13800000002")
    login(client, setup.dispatcher)
    page = client.get(f"/hotline/tickets/{second.pk}/").content.decode()
    assert 'id="duplicate-candidates"' in page
    assert f"{first.number}：{first.title}（相距约 0 米，内容相似度 100%）" in page


def test_operators_cannot_dispatch_and_nothing_changes(client, setup):
    ticket = report(setup)
    login(client, setup.operator)
    assert client.get("/hotline/dispatch/").status_code == 404
    response = client.post(f"/hotline/tickets/{ticket.pk}/dispatch/", {"lead": setup.roads.pk})
    assert response.status_code in (403, 422)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RECEIVED


def test_units_cannot_open_hotline_pages_or_other_units_tickets(client, setup):
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    lead = _lead(ticket)
    login(client, setup.light_handler)
    assert client.get(f"/hotline/tickets/{ticket.pk}/").status_code == 404
    assert client.get(f"/hotline/unit/{lead.pk}/").status_code == 404
    assert client.post(f"/hotline/unit/{lead.pk}/sign/").status_code == 404
    lead.refresh_from_db()
    assert lead.signed_at is None


def test_unit_signs_starts_and_replies(client, setup):
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    lead = _lead(ticket)
    login(client, setup.road_handler)
    listing = client.get("/hotline/unit/").content.decode()
    assert ticket.title in listing
    assert "待签收" in listing
    page = client.get(f"/hotline/unit/{lead.pk}/").content.decode()
    assert "13800000001" in page  # not confidential: the unit sees the reporter
    assert client.post(f"/hotline/unit/{lead.pk}/sign/").status_code == 302
    assert client.post(f"/hotline/unit/{lead.pk}/start/", {"note": ""}).status_code == 302
    empty = client.post(f"/hotline/unit/{lead.pk}/reply/", {"reply": " "})
    assert empty.status_code == 422
    assert "请填写答复内容" in empty.content.decode()
    done = client.post(f"/hotline/unit/{lead.pk}/reply/", {"reply": "已更换井盖。"})
    assert done.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REPLIED


def test_a_confidential_reporter_is_hidden_from_the_unit(client, setup):
    ticket = report(setup, ticket_type="report")
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    login(client, setup.road_handler)
    page = client.get(f"/hotline/unit/{_lead(ticket).pk}/").content.decode()
    assert "联系方式由热线中心保管" in page
    assert "13800000001" not in page
    assert "张明华" not in page


def test_return_needs_a_reason_and_goes_back_to_the_dispatcher(client, setup):
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    lead = _lead(ticket)
    login(client, setup.road_handler)
    bad = client.post(f"/hotline/unit/{lead.pk}/return/", {"reason_code": "", "note": "x"})
    assert bad.status_code == 422
    assert "请选择退单原因" in bad.content.decode()
    ok = client.post(
        f"/hotline/unit/{lead.pk}/return/", {"reason_code": "wrong_area", "note": "不在本区"}
    )
    assert ok.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RECEIVED


def test_extension_requested_by_the_unit_and_decided_by_the_dispatcher(client, setup):
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    lead = _lead(ticket)
    ticket_sign(assignment=lead, actor=setup.road_handler)
    login(client, setup.road_handler)
    response = client.post(f"/hotline/unit/{lead.pk}/extension/", {"days": "40", "reason": "x"})
    assert response.status_code == 422
    assert "延期天数应为 1 至 30 天" in response.content.decode()
    client.post(f"/hotline/unit/{lead.pk}/extension/", {"days": "3", "reason": "需采购井盖"})
    request = ExtensionRequest.objects.get()
    dispatcher = login(Client(), setup.dispatcher)
    listing = dispatcher.get("/hotline/dispatch/", {"list": "extensions"}).content.decode()
    assert "需采购井盖" in listing
    dispatcher.post(f"/hotline/extensions/{request.pk}/decide/", {"decision": "refuse"})
    request.refresh_from_db()
    assert request.status == "pending"  # refusing needs a reason
    dispatcher.post(f"/hotline/extensions/{request.pk}/decide/", {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == "approved"


def test_review_and_callback_from_the_ticket_page(client, setup):
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    lead = _lead(ticket)
    ticket_sign(assignment=lead, actor=setup.road_handler)
    ticket_reply(assignment=lead, reply="已修复。", actor=setup.road_handler)
    login(client, setup.dispatcher)
    assert ticket.number in client.get("/hotline/dispatch/?list=review").content.decode()
    back = client.post(f"/hotline/tickets/{ticket.pk}/review/", {"decision": "send_back"})
    assert back.status_code == 422
    assert "退回重办时请说明原因" in back.content.decode()
    client.post(f"/hotline/tickets/{ticket.pk}/review/", {"decision": "approve"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REVIEWED
    assert ticket.number in client.get("/hotline/dispatch/?list=callback").content.decode()
    missing = client.post(f"/hotline/tickets/{ticket.pk}/callback/", {"contacted": "1"})
    assert "请选择满意程度" in missing.content.decode()
    client.post(
        f"/hotline/tickets/{ticket.pk}/callback/",
        {"contacted": "1", "satisfaction": "satisfied", "resolution": "resolved"},
    )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED


def test_merge_into_a_master_ticket(client, setup):
    master = report(setup)
    duplicate = report(setup, reporter_phone="13800000002")
    login(client, setup.dispatcher)
    wrong = client.post(f"/hotline/tickets/{duplicate.pk}/merge/", {"master_number": "nope"})
    assert "没有找到该编号的工单" in wrong.content.decode()
    client.post(f"/hotline/tickets/{duplicate.pk}/merge/", {"master_number": master.number})
    duplicate.refresh_from_db()
    assert duplicate.master == master


def test_bad_page_numbers_are_not_server_errors(client, setup):
    login(client, setup.dispatcher)
    assert client.get("/hotline/dispatch/?page=abc").status_code == 422
    assert client.get("/hotline/dispatch/?page=999").status_code == 200
    assert client.get("/hotline/dispatch/?list=nonsense").status_code == 200


def test_work_lists_take_the_same_queries_for_more_rows(client, setup):
    login(client, setup.dispatcher)

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    for _ in range(2):
        ticket_dispatch(ticket=report(setup), lead=setup.roads, actor=setup.dispatcher)
        report(setup)
    dispatch_few, unit_few = count("/hotline/dispatch/"), None
    unit_client = login(Client(), setup.road_handler)
    with CaptureQueriesContext(connection) as queries:
        unit_client.get("/hotline/unit/")
    unit_few = len(queries)
    for _ in range(5):
        ticket_dispatch(ticket=report(setup), lead=setup.roads, actor=setup.dispatcher)
        report(setup)
    assert count("/hotline/dispatch/") == dispatch_few
    with CaptureQueriesContext(connection) as queries:
        unit_client.get("/hotline/unit/")
    assert len(queries) == unit_few


def test_extension_request_after_reply_is_refused(client, setup):
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    lead = _lead(ticket)
    ticket_sign(assignment=lead, actor=setup.road_handler)
    ticket_extension_request(assignment=lead, days=2, reason="等材料", actor=setup.road_handler)
    ticket_reply(assignment=lead, reply="已修复。", actor=setup.road_handler)
    ticket_review(ticket=ticket, approve=True, note="", actor=setup.dispatcher)
    login(client, setup.road_handler)
    response = client.post(f"/hotline/unit/{lead.pk}/extension/", {"days": "2", "reason": "再等"})
    assert response.status_code == 422
    assert ExtensionRequest.objects.count() == 1
