from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.calendars.services import calendar_seed_from_package
from yiwang.hotline.models import (
    ContactRelease,
    Ticket,
    TicketAssignment,
    TicketStep,
    TimeLimitRule,
)
from yiwang.hotline.selectors import (
    contact_visible_to,
    ticket_for_staff,
    tickets_visible_to,
)
from yiwang.hotline.services import (
    TicketIntake,
    ticket_answer_directly,
    ticket_callback,
    ticket_co_report,
    ticket_dispatch,
    ticket_dispatch_by_rules,
    ticket_extension_decide,
    ticket_extension_request,
    ticket_leader_read,
    ticket_merge,
    ticket_register,
    ticket_release_contact,
    ticket_reopen,
    ticket_reply,
    ticket_return,
    ticket_review,
    ticket_sign,
    ticket_start,
)
from yiwang.hotline.tests.factories import make_hotline, make_staff, report
from yiwang.hotline.workflow import (
    AssignmentRole,
    Channel,
    LimitUnit,
    StepAction,
    TicketStatus,
    TicketType,
    Urgency,
)
from yiwang.identity.models import StaffRole
from yiwang.platform.errors import (
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
    RuleViolated,
)
from yiwang.platform.models import OutboxMessage

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _lead(ticket: Ticket) -> TicketAssignment:
    return TicketAssignment.objects.get(ticket=ticket, role=AssignmentRole.LEAD, is_active=True)


def _actions(ticket: Ticket) -> list[str]:
    return list(TicketStep.objects.filter(ticket=ticket).values_list("action", flat=True))


def test_a_snapped_manhole_is_routed_handled_called_back_and_closed():
    setup = make_hotline()
    ticket = report(setup)
    assert ticket.number.startswith("359900")
    assert len(ticket.number) == 20
    assert (ticket.status, ticket.area, ticket.region_code) == (
        TicketStatus.RECEIVED,
        setup.area,
        "359902",
    )
    assert ticket.is_public is True
    ticket_dispatch_by_rules(ticket=ticket)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.lead_department) == (TicketStatus.DISPATCHED, setup.roads)
    lead = _lead(ticket)
    ticket_sign(assignment=lead, actor=setup.road_handler)
    ticket_start(assignment=lead, actor=setup.road_handler)
    ticket_reply(assignment=lead, reply="已更换井盖并设置警示。", actor=setup.road_handler)
    ticket_review(ticket=ticket, approve=True, note="", actor=setup.dispatcher)
    ticket_callback(
        ticket=ticket,
        contacted=True,
        satisfaction="satisfied",
        resolution="resolved",
        note="",
        rework=False,
        actor=setup.operator,
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction, ticket.reply) == (
        TicketStatus.CLOSED,
        "satisfied",
        "已更换井盖并设置警示。",
    )
    assert _actions(ticket) == [
        StepAction.REGISTER,
        StepAction.DISPATCH,
        StepAction.SIGN,
        StepAction.START,
        StepAction.REPLY,
        StepAction.REVIEW,
        StepAction.CALLBACK,
        StepAction.CLOSE,
    ]
    bodies = [
        m.payload["body"]
        for m in OutboxMessage.objects.filter(payload__template="hotline").order_by("id")
    ]
    assert bodies == [
        f"【12345】您反映的问题已登记，工单编号 {ticket.number}，我们会尽快转交办理。",
        f"【12345】您的工单 {ticket.number} 已由示范市城市管理局答复，请留意回访。",
        f"【12345】您的工单 {ticket.number} 已办结，感谢您的监督。",
    ]


def test_intake_reports_every_problem_together_and_writes_nothing():
    setup = make_hotline()
    with pytest.raises(InvalidInput) as raised:
        ticket_register(
            data=TicketIntake(
                channel=Channel.PHONE,
                ticket_type="gossip",
                category_code="nope",
                content="",
                reporter_phone="12345",
                latitude=24.5,
            ),
            actor=setup.operator,
        )
    assert [e.field for e in raised.value.errors] == [
        "ticket_type",
        "category_code",
        "content",
        "reporter_phone",
        "reporter_name",
        "latitude",
    ]
    assert Ticket.objects.count() == 0


def test_phone_tickets_are_registered_by_operators_only_and_anonymity_only_where_allowed():
    setup = make_hotline()
    with pytest.raises(Forbidden):
        report(setup, channel=Channel.PHONE, actor=setup.road_handler)
    with pytest.raises(InvalidInput) as raised:
        report(setup, channel=Channel.PHONE, anonymous=True, actor=setup.operator)
    assert raised.value.errors[0].message == "该渠道不受理匿名反映，请留下姓名和联系电话"
    anonymous = report(setup, anonymous=True)
    assert (anonymous.reporter_name, anonymous.reporter_phone, anonymous.confidential) == (
        "",
        "",
        True,
    )
    assert Ticket.objects.count() == 1


def test_a_repeated_submission_with_the_same_key_makes_one_ticket():
    setup = make_hotline()
    first = report(setup, idempotency_key="tap-1")
    second = report(setup, idempotency_key="tap-1")
    assert first.pk == second.pk
    assert Ticket.objects.count() == 1


def test_an_operator_answers_directly_and_the_ticket_closes_at_intake():
    setup = make_hotline()
    ticket = report(
        setup, channel=Channel.PHONE, ticket_type=TicketType.CONSULTATION, actor=setup.operator
    )
    ticket_answer_directly(ticket=ticket, answer="可在政务服务网办理。", actor=setup.operator)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.direct_answer, ticket.closed_at is not None) == (
        TicketStatus.CLOSED,
        True,
        True,
    )
    with pytest.raises(InvalidTransition):
        ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)


def test_the_lead_replies_only_after_every_co_handler_reported():
    setup = make_hotline()
    ticket = report(setup)
    ticket_dispatch(
        ticket=ticket, lead=setup.roads, co_handlers=[setup.lights], actor=setup.dispatcher
    )
    lead = _lead(ticket)
    co = TicketAssignment.objects.get(ticket=ticket, role=AssignmentRole.CO)
    ticket_sign(assignment=lead, actor=setup.road_handler)
    with pytest.raises(RuleViolated, match="示范市住房和城乡建设局"):
        ticket_reply(assignment=lead, reply="已修复。", actor=setup.road_handler)
    with pytest.raises(Forbidden):
        ticket_co_report(assignment=co, report="已检查路灯。", actor=setup.road_handler)
    ticket_sign(assignment=co, actor=setup.light_handler)
    ticket_co_report(assignment=co, report="已检查路灯。", actor=setup.light_handler)
    ticket_reply(assignment=lead, reply="已修复。", actor=setup.road_handler)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REPLIED


def test_a_return_goes_back_to_the_dispatcher_and_three_transfers_escalate():
    setup = make_hotline()
    ticket = report(setup)
    for attempt in range(3):
        ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
        with pytest.raises(InvalidInput):
            ticket_return(
                assignment=_lead(ticket),
                reason_code="not_our_duty",
                note=" ",
                actor=setup.road_handler,
            )
        ticket_return(
            assignment=_lead(ticket),
            reason_code="not_our_duty",
            note="井盖属燃气公司",
            actor=setup.road_handler,
        )
        ticket.refresh_from_db()
        assert (ticket.status, ticket.transfer_count) == (TicketStatus.RECEIVED, attempt + 1)
    assert ticket.escalated_at is not None
    assert _actions(ticket)[-1] == StepAction.ESCALATE


def test_a_unit_cannot_see_another_units_ticket_or_act_on_it():
    setup = make_hotline()
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    assert ticket_for_staff(setup.road_handler, ticket.pk) == ticket
    with pytest.raises(NotFound):
        ticket_for_staff(setup.light_handler, ticket.pk)
    assert list(tickets_visible_to(setup.light_handler)) == []
    before = list(TicketStep.objects.values_list("id", flat=True))
    with pytest.raises(Forbidden):
        ticket_sign(assignment=_lead(ticket), actor=setup.light_handler)
    assert list(TicketStep.objects.values_list("id", flat=True)) == before
    assert _lead(ticket).signed_at is None


def test_a_confidential_reporter_is_hidden_from_units_until_released_and_the_release_is_logged():
    setup = make_hotline()
    ticket = report(setup, ticket_type=TicketType.REPORT)  # 举报: always confidential
    assert ticket.confidential is True
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    assert contact_visible_to(setup.operator, ticket) is True
    assert contact_visible_to(setup.road_handler, ticket) is False
    with pytest.raises(Forbidden):
        ticket_release_contact(
            ticket=ticket, department=setup.roads, reason="核实现场", actor=setup.operator
        )
    assert ContactRelease.objects.count() == 0
    ticket_release_contact(
        ticket=ticket, department=setup.roads, reason="需与举报人核实现场", actor=setup.dispatcher
    )
    assert contact_visible_to(setup.road_handler, ticket) is True
    assert contact_visible_to(setup.light_handler, ticket) is False
    assert _actions(ticket)[-1] == StepAction.CONTACT_RELEASE


def test_an_unsatisfied_callback_sends_back_and_the_third_rework_escalates():
    setup = make_hotline()
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    lead = _lead(ticket)
    ticket_sign(assignment=lead, actor=setup.road_handler)
    for round_number in range(1, 4):
        ticket_reply(assignment=lead, reply=f"第{round_number}次答复", actor=setup.road_handler)
        ticket_review(ticket=ticket, approve=True, note="", actor=setup.dispatcher)
        with pytest.raises(InvalidInput):
            ticket_callback(
                ticket=ticket,
                contacted=True,
                satisfaction="satisfied",
                resolution="resolved",
                note="",
                rework=True,
                actor=setup.operator,
            )
        ticket_callback(
            ticket=ticket,
            contacted=True,
            satisfaction="unsatisfied",
            resolution="unresolved",
            note="井盖仍松动",
            rework=True,
            actor=setup.operator,
        )
        ticket.refresh_from_db()
        assert (ticket.status, ticket.rework_count) == (TicketStatus.HANDLING, round_number)
    assert ticket.escalated_at is not None


def test_extensions_are_asked_before_the_due_time_and_approved_by_the_centre():
    setup = make_hotline()
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    lead = _lead(ticket)
    ticket_sign(assignment=lead, actor=setup.road_handler)
    due = lead.handling_due_at
    request = ticket_extension_request(
        assignment=lead, days=3, reason="需协调燃气公司", actor=setup.road_handler
    )
    with pytest.raises(RuleViolated):
        ticket_extension_request(assignment=lead, days=1, reason="再申请", actor=setup.road_handler)
    with pytest.raises(Forbidden):
        ticket_extension_decide(request=request, approve=True, note="", actor=setup.road_handler)
    ticket_extension_decide(request=request, approve=True, note="同意", actor=setup.dispatcher)
    lead.refresh_from_db()
    ticket.refresh_from_db()
    assert lead.handling_due_at == ticket.handling_due_at == due + timedelta(days=3)
    with (
        time_machine.travel(lead.handling_due_at + timedelta(minutes=1)),
        pytest.raises(RuleViolated, match="已超过办理期限"),
    ):
        ticket_extension_request(
            assignment=lead, days=1, reason="还需时间", actor=setup.road_handler
        )


def test_time_limits_come_from_the_most_specific_rule_and_working_days_skip_the_holiday():
    setup = make_hotline()
    calendar_seed_from_package(years=[2025])
    TimeLimitRule.objects.create(name="城市管理", category=setup.city, handling_value=5)
    TimeLimitRule.objects.create(
        name="井盖", category=setup.manhole, handling_value=3, handling_unit=LimitUnit.WORKING_DAYS
    )
    TimeLimitRule.objects.create(
        name="紧急",
        urgency=Urgency.URGENT,
        handling_value=0,
        dispatch_value=1,
        dispatch_unit=LimitUnit.HOURS,
    )
    # Dispatched on Tuesday 30 September 2025; 1–8 October are holidays, Saturday 11 October
    # is a make-up working day: 3 working days → 9, 10, 11 October.
    with time_machine.travel(datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        ticket = report(setup)
        assert ticket.dispatch_due_at == datetime(2025, 10, 9, 23, 59, 59, 999000, tzinfo=SHANGHAI)
        ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
        urgent = report(setup, urgency=Urgency.URGENT)
        assert urgent.dispatch_due_at == datetime(2025, 9, 30, 11, 0, tzinfo=SHANGHAI)
        ticket_dispatch(ticket=urgent, lead=setup.roads, actor=setup.dispatcher)
        noise = report(setup, category_code=setup.noise.code)
        ticket_dispatch(ticket=noise, lead=setup.roads, actor=setup.dispatcher)
    ticket.refresh_from_db()
    urgent.refresh_from_db()
    noise.refresh_from_db()
    assert ticket.handling_due_at == datetime(2025, 10, 11, 23, 59, 59, 999000, tzinfo=SHANGHAI)
    assert urgent.handling_due_at == datetime(2025, 9, 30, 23, 59, 59, 999000, tzinfo=SHANGHAI)
    # calendar days run through the holiday
    assert noise.handling_due_at == datetime(2025, 10, 5, 23, 59, 59, 999000, tzinfo=SHANGHAI)
    assert _actions(urgent)[-1] == StepAction.REMIND  # the phone-call task


def test_a_duplicate_is_merged_and_its_reporter_learns_the_outcome():
    setup = make_hotline()
    master = report(setup)
    duplicate = report(setup, reporter_name="李秀英", reporter_phone="13800000002")
    ticket_merge(duplicate=duplicate, master=master, actor=setup.operator)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.master) == (TicketStatus.MERGED, master)
    with pytest.raises(InvalidTransition):
        ticket_merge(duplicate=master, master=duplicate, actor=setup.operator)
    ticket_dispatch(ticket=master, lead=setup.roads, actor=setup.dispatcher)
    lead = _lead(master)
    ticket_sign(assignment=lead, actor=setup.road_handler)
    ticket_reply(assignment=lead, reply="井盖已更换。", actor=setup.road_handler)
    ticket_review(ticket=master, approve=True, note="", actor=setup.dispatcher)
    ticket_callback(
        ticket=master,
        contacted=True,
        satisfaction="satisfied",
        resolution="resolved",
        note="",
        rework=False,
        actor=setup.operator,
    )
    to_duplicate = [
        m.payload["body"]
        for m in OutboxMessage.objects.filter(
            dedupe_key__startswith=f"hotline:{duplicate.pk}:"
        ).order_by("id")
        if m.recipient == "+8613800000002"
    ]
    assert to_duplicate == [
        f"【12345】您反映的问题已登记，工单编号 {duplicate.number}，我们会尽快转交办理。",
        f"【12345】您反映的问题与工单 {master.number} 相同，已合并办理，办结后会告知您结果。",
        f"【12345】您反映的问题（工单 {duplicate.number}）已随工单 {master.number} "
        "一并办结：井盖已更换。",
    ]


def test_a_closed_ticket_reopens_to_its_last_lead_within_thirty_days():
    setup = make_hotline()
    ticket = report(setup, reporter_phone="")
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    lead = _lead(ticket)
    ticket_sign(assignment=lead, actor=setup.road_handler)
    ticket_reply(assignment=lead, reply="已修复。", actor=setup.road_handler)
    ticket_review(ticket=ticket, approve=True, note="", actor=setup.dispatcher)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED  # no phone: nobody to call back
    ticket_reopen(ticket=ticket, note="井盖再次破损", actor=setup.dispatcher)
    ticket.refresh_from_db()
    lead.refresh_from_db()
    assert (ticket.status, lead.status) == (TicketStatus.HANDLING, "handling")
    assert ticket.closed_at is None


def test_only_leaders_read_flagged_enterprise_requests(enterprise_of):
    setup = make_hotline()
    company = enterprise_of("王建国")
    ticket = report(
        setup,
        channel=Channel.ENTERPRISE,
        ticket_type=TicketType.HELP,
        enterprise=company,
        flag_for_leader=True,
        reporter_user=company.legal_representative.user,
    )
    assert (ticket.is_public, ticket.enterprise_uscc) == (False, company.uscc)
    leader = make_staff(setup.centre, StaffRole.LEADER)
    with pytest.raises(Forbidden):
        ticket_leader_read(ticket=ticket, note="请尽快协调", actor=setup.dispatcher)
    ticket_leader_read(ticket=ticket, note="请市城管局三日内协调解决", actor=leader)
    ticket.refresh_from_db()
    assert ticket.leader_read_at is not None
    assert _actions(ticket)[-1] == StepAction.LEADER_READ
