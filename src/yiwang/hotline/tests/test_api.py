"""The hotline API: the reporter's intake and tickets, staff lists and details, one POST per
lifecycle action; who may do what (and nothing changes on a refusal); query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from yiwang.hotline.models import ExtensionRequest, Ticket, TicketAssignment, TicketStep
from yiwang.hotline.services import ticket_dispatch
from yiwang.hotline.tests.factories import HotlineSetup, make_hotline, make_staff, make_user, report
from yiwang.hotline.workflow import AssignmentRole, TicketStatus, TicketType
from yiwang.identity.models import StaffRole, User

pytestmark = pytest.mark.django_db

API = "/api/v1/hotline"


@pytest.fixture
def setup() -> HotlineSetup:
    return make_hotline()


def as_user(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(user: User | None, path: str, body: dict[str, Any] | None = None) -> Any:
    return as_user(user).post(f"{API}{path}", body or {}, content_type="application/json")


def get(user: User | None, path: str, **query: Any) -> Any:
    return as_user(user).get(f"{API}{path}", query)


def lead_of(ticket: Ticket) -> TicketAssignment:
    return TicketAssignment.objects.get(ticket=ticket, role=AssignmentRole.LEAD, is_active=True)


def snapshot(ticket: Ticket) -> tuple[Any, ...]:
    ticket.refresh_from_db()
    return (
        ticket.status,
        ticket.lead_department_id,
        ticket.reply,
        TicketStep.objects.filter(ticket=ticket).count(),
        TicketAssignment.objects.filter(ticket=ticket).count(),
        ExtensionRequest.objects.filter(assignment__ticket=ticket).count(),
    )


def dispatched(setup: HotlineSetup, **overrides: Any) -> Ticket:
    ticket = report(setup, **overrides)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    return ticket


# --- the reporter ----------------------------------------------------------------------------


def test_a_citizen_reports_and_follows_their_ticket(setup):
    citizen = make_user()
    body = {
        "ticket_type": TicketType.HELP,
        "category_code": setup.manhole.code,
        "content": "清溪路井盖破损。",
        "latitude": 24.505,
        "longitude": 118.105,
        "reporter_name": "张明华",
        "reporter_phone": "13800000001",
    }
    response = post(citizen, "/tickets", body)
    assert response.status_code == 201, response.json()
    created = response.json()
    ticket = Ticket.objects.get(pk=created["id"])
    assert (ticket.reporter_user, ticket.channel) == (citizen, "app")
    assert created["number"] == ticket.number
    assert [s["action"] for s in created["steps"]] == ["register"]

    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher, note="内部")
    mine = get(citizen, "/tickets/mine").json()
    assert mine["count"] == 1
    assert mine["items"][0]["status"] == TicketStatus.DISPATCHED
    detail = get(citizen, f"/tickets/mine/{ticket.pk}").json()
    assert detail["lead_department_name"] == "示范市城市管理局"
    assert [s["action"] for s in detail["steps"]] == ["register", "dispatch"]
    assert "actor_label" not in detail["steps"][0]


def test_intake_problems_are_422_and_register_nothing(setup):
    response = post(
        make_user(), "/tickets", {"ticket_type": "help", "category_code": "nope", "content": " "}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert {e["field"] for e in body["errors"]} >= {"category_code", "content"}
    assert post(make_user(), "/tickets", {**_intake(setup), "channel": "phone"}).status_code == 422
    assert Ticket.objects.count() == 0


def _intake(setup: HotlineSetup) -> dict[str, Any]:
    return {"ticket_type": "help", "category_code": setup.manhole.code, "content": "井盖破损"}


def test_signing_in_is_needed_and_others_tickets_are_404(setup):
    assert post(None, "/tickets", _intake(setup)).status_code == 401
    assert get(None, "/tickets/mine").status_code == 401
    owner, other = make_user(), make_user()
    ticket = report(setup, reporter_user=owner)
    assert get(other, f"/tickets/mine/{ticket.pk}").status_code == 404
    assert get(other, "/tickets/mine").json()["count"] == 0
    assert get(owner, f"/tickets/mine/{ticket.pk}").status_code == 200


# --- staff reads -----------------------------------------------------------------------------


def test_staff_lists_respect_who_sees_what_and_filter(setup):
    to_roads = dispatched(setup)
    waiting = report(setup, content="路灯不亮")
    operator = get(setup.operator, "/tickets").json()
    assert {t["id"] for t in operator["items"]} == {to_roads.pk, waiting.pk}
    assert operator["count"] == 2
    roads = get(setup.road_handler, "/tickets").json()
    assert [t["id"] for t in roads["items"]] == [to_roads.pk]
    assert get(setup.light_handler, "/tickets").json()["count"] == 0
    assert get(make_user(), "/tickets").json()["count"] == 0
    by_status = get(setup.operator, "/tickets", status="received").json()
    assert [t["id"] for t in by_status["items"]] == [waiting.pk]
    by_unit = get(setup.operator, "/tickets", department=setup.roads.pk).json()
    assert [t["id"] for t in by_unit["items"]] == [to_roads.pk]
    assert get(setup.operator, "/tickets", status="lost").status_code == 422
    page = get(setup.operator, "/tickets", page=2, page_size=1).json()
    assert (page["count"], len(page["items"])) == (2, 1)


def test_the_staff_list_costs_the_same_queries_for_1_or_10_tickets(
    setup, django_assert_max_num_queries
):
    client = as_user(setup.operator)
    report(setup)
    client.get(f"{API}/tickets")  # warm the session and permission caches
    with django_assert_max_num_queries(12) as few:
        client.get(f"{API}/tickets")
    for n in range(9):
        report(setup, content=f"井盖破损 {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{API}/tickets")
    assert response.json()["count"] == 10


def test_the_detail_shows_contact_only_to_whoever_may_see_it(setup):
    plain = dispatched(setup)
    secret = dispatched(setup, confidential=True)
    staff = get(setup.operator, f"/tickets/{secret.pk}").json()
    assert staff["contact"]["reporter_name"] == "张明华"
    assert staff["contact"]["reporter_phone"] == "+8613800000001"
    assert [a["department_name"] for a in staff["assignments"]] == ["示范市城市管理局"]
    assert [s["action"] for s in staff["steps"]] == ["register", "dispatch"]
    unit_plain = get(setup.road_handler, f"/tickets/{plain.pk}").json()
    assert unit_plain["contact"]["reporter_name"] == "张明华"
    unit_secret = get(setup.road_handler, f"/tickets/{secret.pk}")
    assert unit_secret.status_code == 200
    assert unit_secret.json()["contact"] is None
    assert "13800000001" not in unit_secret.content.decode()
    assert get(setup.light_handler, f"/tickets/{plain.pk}").status_code == 404
    assert get(make_user(), f"/tickets/{plain.pk}").status_code == 404


# --- the lifecycle through the API -----------------------------------------------------------


def test_a_ticket_goes_through_its_whole_life_by_the_api(setup):
    ticket = report(setup)
    sent = post(
        setup.dispatcher, f"/tickets/{ticket.pk}/dispatch", {"lead_department_id": setup.roads.pk}
    )
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "dispatched"
    lead = lead_of(ticket)
    assert post(setup.road_handler, f"/assignments/{lead.pk}/sign").json()["status"] == "signed"
    assert post(setup.road_handler, f"/assignments/{lead.pk}/start", {}).json()["status"] == (
        "handling"
    )
    extension = post(
        setup.road_handler, f"/assignments/{lead.pk}/extension", {"days": 2, "reason": "需要采购"}
    )
    assert extension.status_code == 201
    decided = post(
        setup.dispatcher,
        f"/extensions/{extension.json()['id']}/decision",
        {"approve": True},
    )
    assert decided.json()["status"] == "approved"
    replied = post(setup.road_handler, f"/assignments/{lead.pk}/reply", {"reply": "已更换井盖。"})
    assert replied.json()["status"] == "replied"
    reviewed = post(setup.dispatcher, f"/tickets/{ticket.pk}/review", {"approve": True})
    assert reviewed.json()["status"] == "reviewed"
    closed = post(
        setup.operator,
        f"/tickets/{ticket.pk}/callback",
        {"contacted": True, "satisfaction": "satisfied", "resolution": "resolved"},
    )
    assert closed.json()["status"] == "closed"
    reopened = post(setup.dispatcher, f"/tickets/{ticket.pk}/reopen", {"note": "井盖又坏了"})
    assert reopened.json()["status"] == "handling"


def test_co_handlers_report_and_returns_go_back_to_the_dispatcher(setup):
    ticket = report(setup)
    post(
        setup.dispatcher,
        f"/tickets/{ticket.pk}/dispatch",
        {"lead_department_id": setup.roads.pk, "co_department_ids": [setup.lights.pk]},
    )
    co = TicketAssignment.objects.get(ticket=ticket, role=AssignmentRole.CO)
    post(setup.light_handler, f"/assignments/{co.pk}/sign")
    reported = post(setup.light_handler, f"/assignments/{co.pk}/co-report", {"report": "已检修"})
    assert reported.status_code == 200
    lead = lead_of(ticket)
    returned = post(
        setup.road_handler,
        f"/assignments/{lead.pk}/return",
        {"reason_code": "wrong_area", "note": "不属于本辖区"},
    )
    assert returned.json()["status"] == "received"


def test_direct_answers_merges_contact_release_and_leader_reading(setup, enterprise_of):
    first, second = report(setup), report(setup)
    answered = post(setup.operator, f"/tickets/{first.pk}/answer-directly", {"answer": "已答复"})
    assert answered.json()["status"] == "closed"
    third = report(setup)
    merged = post(setup.operator, f"/tickets/{second.pk}/merge", {"master_number": third.number})
    assert merged.json()["status"] == "merged"
    assert (
        post(setup.operator, f"/tickets/{third.pk}/merge", {"master_number": "x"}).status_code
        == 404
    )
    secret = report(setup, confidential=True)
    released = post(
        setup.dispatcher,
        f"/tickets/{secret.pk}/release-contact",
        {"department_id": setup.roads.pk, "reason": "需要现场联系"},
    )
    assert released.status_code == 200
    assert released.json()["department_id"] == setup.roads.pk
    company = enterprise_of("王建国")
    flagged = report(
        setup,
        channel="enterprise",
        enterprise=company,
        flag_for_leader=True,
        reporter_user=company.legal_representative.user,
    )
    leader = make_staff(setup.centre, StaffRole.LEADER)
    read = post(leader, f"/tickets/{flagged.pk}/leader-read", {"note": "请尽快协调"})
    assert read.status_code == 200
    assert post(leader, f"/tickets/{first.pk}/leader-read", {"note": "阅"}).status_code == 404


def test_a_wrong_state_is_409_in_the_api_error_shape(setup):
    ticket = dispatched(setup)
    response = post(setup.dispatcher, f"/tickets/{ticket.pk}/review", {"approve": True})
    assert response.status_code == 409
    assert set(response.json()) == {"code", "message", "errors"}


# --- the permission matrix: refused, and nothing changed -------------------------------------


def _matrix_cases(setup: HotlineSetup) -> list[tuple[str, User | None, str, dict[str, Any], int]]:
    received = report(setup)
    ticket = dispatched(setup)
    lead = lead_of(ticket)
    stranger = make_user()
    return [
        ("dispatch by an operator", setup.operator, f"/tickets/{received.pk}/dispatch",
         {"lead_department_id": setup.roads.pk}, 403),
        ("dispatch by a unit", setup.road_handler, f"/tickets/{received.pk}/dispatch",
         {"lead_department_id": setup.roads.pk}, 404),
        ("dispatch by a citizen", stranger, f"/tickets/{received.pk}/dispatch",
         {"lead_department_id": setup.roads.pk}, 404),
        ("dispatch signed out", None, f"/tickets/{received.pk}/dispatch",
         {"lead_department_id": setup.roads.pk}, 401),
        ("sign by another unit", setup.light_handler, f"/assignments/{lead.pk}/sign", {}, 404),
        ("sign by the dispatcher", setup.dispatcher, f"/assignments/{lead.pk}/sign", {}, 404),
        ("reply by another unit", setup.light_handler, f"/assignments/{lead.pk}/reply",
         {"reply": "好"}, 404),
        ("extension by another unit", setup.light_handler, f"/assignments/{lead.pk}/extension",
         {"days": 2, "reason": "x"}, 404),
        ("return by a citizen", stranger, f"/assignments/{lead.pk}/return",
         {"reason_code": "other", "note": "x"}, 404),
        ("review by the unit", setup.road_handler, f"/tickets/{ticket.pk}/review",
         {"approve": True}, 403),
        ("callback by the unit", setup.road_handler, f"/tickets/{ticket.pk}/callback",
         {"contacted": False}, 403),
        ("answer by a unit", setup.road_handler, f"/tickets/{ticket.pk}/answer-directly",
         {"answer": "x"}, 403),
        ("answer by a citizen", stranger, f"/tickets/{received.pk}/answer-directly",
         {"answer": "x"}, 404),
        ("release by an operator", setup.operator, f"/tickets/{ticket.pk}/release-contact",
         {"department_id": setup.roads.pk, "reason": "x"}, 403),
        ("reopen by the unit", setup.road_handler, f"/tickets/{ticket.pk}/reopen",
         {"note": "x"}, 403),
        ("merge by the unit", setup.road_handler, f"/tickets/{ticket.pk}/merge",
         {"master_number": received.number}, 404),
        ("leader read by a dispatcher", setup.dispatcher, f"/tickets/{ticket.pk}/leader-read",
         {"note": "x"}, 404),
    ]  # fmt: skip


def test_every_refused_action_changes_nothing(setup):
    cases = _matrix_cases(setup)
    tickets = list(Ticket.objects.all())
    before = [snapshot(t) for t in tickets]
    for name, user, path, body, status in cases:
        response = post(user, path, body)
        assert response.status_code == status, (name, response.json())
        assert set(response.json()) == {"code", "message", "errors"}, name
    assert [snapshot(t) for t in tickets] == before
