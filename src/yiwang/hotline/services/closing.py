"""After the reply: the hotline reviews it, calls the reporter back, closes or sends back for
rework (three reworks escalate), reopens, merges duplicates; a leader reads (阅示)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.hotline.events import TicketClosed
from yiwang.hotline.models import Ticket, TicketAssignment
from yiwang.hotline.selectors import due_after, limits_for, user_is_dispatcher, user_is_operator
from yiwang.hotline.services.common import add_step, move, notify_reporter
from yiwang.hotline.services.dispatch import ticket_escalate
from yiwang.hotline.workflow import (
    ESCALATE_AFTER,
    OPEN_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    Resolution,
    Satisfaction,
    StepAction,
    TicketStatus,
)
from yiwang.identity.models import StaffRole, User
from yiwang.identity.selectors import user_has_role
from yiwang.platform.errors import FieldError, Forbidden, InvalidInput, InvalidTransition
from yiwang.platform.events import publish

REOPEN_WITHIN_DAYS = 30


def _require(actor: User, allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)


def close_after_callback(ticket: Ticket, actor: User | None, note: str) -> Ticket:
    """Close a reviewed or called-back ticket (the caller holds its row lock) and tell its
    reporter and the reporters of its merged duplicates. Shared with the reporter's own rating
    (`reporter.py`)."""
    ticket.closed_at = timezone.now()
    move(ticket, StepAction.CLOSE, actor=actor, note=note, fields=("closed_at",))
    notify_reporter(
        ticket,
        f"您的工单 {ticket.number} 已办结，感谢您的监督。",
        key=f"closed:{ticket.rework_count}",
    )
    for duplicate in ticket.duplicates.all():
        notify_reporter(
            duplicate,
            f"您反映的问题（工单 {duplicate.number}）已随工单 {ticket.number} 一并办结："
            f"{ticket.reply[:60]}",
            key=f"master-closed:{ticket.pk}",
        )
    publish(TicketClosed(ticket.pk, ticket.satisfaction))
    return ticket


def _reassign_lead(ticket: Ticket) -> TicketAssignment | None:
    """The lead unit handles again, with a fresh handling due time (set on the ticket too)."""
    lead = (
        TicketAssignment.objects.filter(ticket=ticket, role=AssignmentRole.LEAD, is_active=True)
        .select_related("department")
        .first()
    )
    limits = limits_for(
        ticket_type=ticket.ticket_type, category=ticket.category, urgency=ticket.urgency
    )
    now = timezone.now()
    due = due_after(
        now, limits.handling_value, limits.handling_unit, region_code=ticket.region_code
    )
    if lead is not None:
        lead.status = AssignmentStatus.HANDLING
        lead.handling_due_at = due
        lead.save(update_fields=["status", "handling_due_at"])
    ticket.handling_due_at = due
    return lead


def send_back_for_rework(ticket: Ticket, actor: User, note: str) -> Ticket:
    """Back to the lead for rework; the third rework escalates."""
    lead = _reassign_lead(ticket)
    ticket.rework_count += 1
    ticket.replied_at = None
    move(
        ticket,
        StepAction.SEND_BACK,
        actor=actor,
        department=lead.department if lead else None,
        note=note,
        fields=("rework_count", "handling_due_at", "replied_at"),
    )
    if ticket.rework_count >= ESCALATE_AFTER:
        ticket_escalate(ticket=ticket, reason=f"发回重办已达 {ticket.rework_count} 次", actor=None)
    return ticket


def ticket_review(*, ticket: Ticket, approve: bool, note: str, actor: User) -> Ticket:
    """The hotline reviewer checks the reply: approves it (then the callback, or closing at once
    when the reporter wants no reply or cannot be reached) or sends it back for rework."""
    _require(actor, user_is_dispatcher(actor), "答复由热线中心审核。")
    if not approve and not note.strip():
        raise InvalidInput(errors=[FieldError("note", "退回重办时请说明原因")])
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("category").get(pk=ticket.pk)
        if not approve:
            if ticket.status != TicketStatus.REPLIED:
                raise InvalidTransition("只有已答复的工单可以审核。")
            return send_back_for_rework(ticket, actor, f"审核退回：{note.strip()}")
        ticket.reviewed_at = timezone.now()
        move(
            ticket,
            StepAction.REVIEW,
            actor=actor,
            note=note.strip(),
            is_public=False,
            fields=("reviewed_at",),
        )
        if not ticket.reply_wanted or not ticket.reporter_phone:
            return close_after_callback(ticket, actor, "诉求人无需回访，工单办结")
    return ticket


def ticket_callback(
    *,
    ticket: Ticket,
    contacted: bool,
    satisfaction: str,
    resolution: str,
    note: str,
    rework: bool,
    actor: User,
) -> Ticket:
    """Record the callback (回访). Unsatisfied on substance and `rework` → back to the unit;
    otherwise the ticket closes. Not reached: the ticket closes without a rating."""
    _require(actor, user_is_operator(actor), "回访由热线话务员或审核员进行。")
    problems: list[FieldError] = []
    if contacted:
        if satisfaction not in Satisfaction.values:
            problems.append(FieldError("satisfaction", "请选择满意程度"))
        if resolution not in Resolution.values:
            problems.append(FieldError("resolution", "请选择解决情况"))
    elif rework:
        problems.append(FieldError("rework", "未联系上诉求人，不能以不满意为由退回重办"))
    if rework and satisfaction not in (Satisfaction.UNSATISFIED, Satisfaction.VERY_UNSATISFIED):
        problems.append(FieldError("rework", "诉求人满意的工单无需退回重办"))
    if problems:
        raise InvalidInput(errors=problems)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("category").get(pk=ticket.pk)
        ticket.callback_at = timezone.now()
        ticket.callback_contacted = contacted
        ticket.satisfaction = satisfaction if contacted else ""
        ticket.resolution = resolution if contacted else ""
        label = Satisfaction(satisfaction).label if contacted else "未联系上"
        move(
            ticket,
            StepAction.CALLBACK,
            actor=actor,
            note=f"回访：{label}" + (f"。{note.strip()}" if note.strip() else ""),
            data={"satisfaction": ticket.satisfaction, "resolution": ticket.resolution},
            fields=("callback_at", "callback_contacted", "satisfaction", "resolution"),
        )
        if rework:
            return send_back_for_rework(ticket, actor, f"诉求人不满意，退回重办：{note.strip()}")
        return close_after_callback(ticket, actor, "回访完毕，工单办结")


def ticket_reopen(*, ticket: Ticket, note: str, actor: User) -> Ticket:
    """The same problem again within 30 days of closing: back to the last lead unit."""
    _require(actor, user_is_dispatcher(actor), "只有热线中心可以重启工单。")
    if not note.strip():
        raise InvalidInput(errors=[FieldError("note", "请说明重启原因")])
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("category").get(pk=ticket.pk)
        if ticket.direct_answer or ticket.lead_department_id is None:
            raise InvalidTransition("直接答复的工单不能重启，请重新登记派单。")
        if ticket.closed_at and timezone.now() - ticket.closed_at > timedelta(
            days=REOPEN_WITHIN_DAYS
        ):
            raise InvalidTransition(f"办结已超过 {REOPEN_WITHIN_DAYS} 天，请重新登记。")
        if ticket.status != TicketStatus.CLOSED:
            raise InvalidTransition("只有已办结的工单可以重启。")
        _reassign_lead(ticket)
        ticket.closed_at = None
        ticket.replied_at = None
        move(
            ticket,
            StepAction.REOPEN,
            actor=actor,
            department=ticket.lead_department,
            note=f"重启：{note.strip()}",
            fields=("closed_at", "replied_at", "handling_due_at"),
        )
    return ticket


def ticket_merge(*, duplicate: Ticket, master: Ticket, actor: User) -> Ticket:
    """File a duplicate under its master ticket; its reporter is told the master's outcome."""
    _require(actor, user_is_operator(actor), "只有热线中心可以合并工单。")
    if duplicate.pk == master.pk:
        raise InvalidInput(errors=[FieldError("master", "不能与自身合并")])
    with transaction.atomic():
        master = Ticket.objects.select_for_update().get(pk=master.pk)
        duplicate = Ticket.objects.select_for_update().get(pk=duplicate.pk)
        if master.master_id is not None or master.status not in OPEN_STATUSES:
            raise InvalidTransition("只能合并到仍在办理的主工单。")
        if duplicate.duplicates.exists():
            raise InvalidTransition("该工单已是其他工单的主工单，不能再被合并。")
        duplicate.master = master
        move(
            duplicate,
            StepAction.MERGE,
            actor=actor,
            note=f"与工单 {master.number} 反映同一问题，已合并办理",
            fields=("master",),
        )
        TicketAssignment.objects.filter(ticket=duplicate, is_active=True).update(
            is_active=False, status=AssignmentStatus.WITHDRAWN
        )
        add_step(
            master,
            StepAction.MERGE,
            actor=actor,
            note=f"合并工单 {duplicate.number}",
            is_public=False,
        )
        notify_reporter(
            duplicate,
            f"您反映的问题与工单 {master.number} 相同，已合并办理，办结后会告知您结果。",
            key="merged",
        )
    return duplicate


def ticket_leader_read(*, ticket: Ticket, note: str, actor: User) -> Ticket:
    """A city leader reads a flagged enterprise request and writes an instruction (阅示)."""
    _require(actor, user_has_role(actor, StaffRole.LEADER), "只有市领导可以阅示。")
    if not ticket.flag_for_leader:
        raise InvalidTransition("该诉求未提请领导关注。")
    if not note.strip():
        raise InvalidInput(errors=[FieldError("note", "请填写阅示意见")])
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        ticket.leader_read_at = timezone.now()
        ticket.save(update_fields=["leader_read_at"])
        add_step(ticket, StepAction.LEADER_READ, actor=actor, note=note.strip(), is_public=True)
    return ticket
