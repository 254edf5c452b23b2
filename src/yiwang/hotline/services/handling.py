"""What units do with a dispatched ticket: sign for it, start, ask for more time, report as a
co-handler, reply as the lead; and the hotline's decision on extensions."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.hotline.events import TicketReplied
from yiwang.hotline.models import ExtensionRequest, Ticket, TicketAssignment
from yiwang.hotline.selectors import (
    due_after,
    limits_for,
    unit_departments,
    user_is_dispatcher,
)
from yiwang.hotline.services.common import add_step, move, notify_reporter
from yiwang.hotline.workflow import (
    AssignmentRole,
    AssignmentStatus,
    ExtensionStatus,
    LimitUnit,
    StepAction,
)
from yiwang.identity.models import User
from yiwang.platform.errors import (
    FieldError,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    RuleViolated,
)
from yiwang.platform.events import publish

REPLY_MAX = 4000
EXTENSION_MAX_DAYS = 30


def _locked(assignment: TicketAssignment, actor: User) -> tuple[TicketAssignment, Ticket]:
    if assignment.department_id not in unit_departments(actor):
        raise Forbidden("您不能代表该单位办理此工单。")
    locked = (
        TicketAssignment.objects.select_for_update()
        .select_related("department")
        .get(pk=assignment.pk)
    )
    if not locked.is_active:
        raise InvalidTransition("该承办任务已结束（已退单或已改派）。")
    ticket = Ticket.objects.select_for_update().select_related("category").get(pk=locked.ticket_id)
    return locked, ticket


def ticket_sign(*, assignment: TicketAssignment, actor: User) -> TicketAssignment:
    """A unit signs for its part (签收); the lead's signature moves the ticket on."""
    with transaction.atomic():
        assignment, ticket = _locked(assignment, actor)
        if assignment.status != AssignmentStatus.DISPATCHED:
            raise InvalidTransition("该工单已签收。")
        now = timezone.now()
        assignment.status = AssignmentStatus.SIGNED
        assignment.signed_at = now
        assignment.save(update_fields=["status", "signed_at"])
        if assignment.role == AssignmentRole.LEAD:
            move(
                ticket,
                StepAction.SIGN,
                actor=actor,
                department=assignment.department,
                note=f"{assignment.department.name}已签收",
                at=now,
            )
        else:
            add_step(ticket, StepAction.SIGN, actor=actor, department=assignment.department, at=now)
    return assignment


def ticket_start(*, assignment: TicketAssignment, actor: User, note: str = "") -> Ticket:
    """The lead starts handling (may note a visit planned, a subordinate unit involved)."""
    with transaction.atomic():
        assignment, ticket = _locked(assignment, actor)
        if assignment.role != AssignmentRole.LEAD or assignment.status != AssignmentStatus.SIGNED:
            raise InvalidTransition("只有已签收的主办单位可以开始办理。")
        assignment.status = AssignmentStatus.HANDLING
        assignment.save(update_fields=["status"])
        move(
            ticket,
            StepAction.START,
            actor=actor,
            department=assignment.department,
            note=note.strip() or "正在办理",
        )
    return ticket


def _checked_text(text: str, field: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(errors=[FieldError(field, message)])
    if len(text) > REPLY_MAX:
        raise InvalidInput(errors=[FieldError(field, f"内容不能超过 {REPLY_MAX} 个字")])
    return text


def ticket_co_report(*, assignment: TicketAssignment, report: str, actor: User) -> TicketAssignment:
    """A co-handler reports what it did, for the lead's combined reply."""
    report = _checked_text(report, "report", "请填写协办情况")
    with transaction.atomic():
        assignment, ticket = _locked(assignment, actor)
        if assignment.role != AssignmentRole.CO:
            raise InvalidTransition("主办单位请直接答复。")
        if assignment.status not in (AssignmentStatus.SIGNED, AssignmentStatus.HANDLING):
            raise InvalidTransition("请先签收再反馈协办情况。")
        assignment.status = AssignmentStatus.REPLIED
        assignment.report = report
        assignment.replied_at = timezone.now()
        assignment.save(update_fields=["status", "report", "replied_at"])
        add_step(
            ticket, StepAction.CO_REPORT, actor=actor, department=assignment.department, note=report
        )
    return assignment


def ticket_reply(*, assignment: TicketAssignment, reply: str, actor: User) -> Ticket:
    """The lead's one combined reply, once every active co-handler has reported."""
    reply = _checked_text(reply, "reply", "请填写答复内容")
    with transaction.atomic():
        assignment, ticket = _locked(assignment, actor)
        if assignment.role != AssignmentRole.LEAD:
            raise InvalidTransition("由主办单位统一答复，协办单位请反馈协办情况。")
        if assignment.status not in (AssignmentStatus.SIGNED, AssignmentStatus.HANDLING):
            raise InvalidTransition("请先签收工单。")
        waiting = [
            a.department.name
            for a in TicketAssignment.objects.filter(
                ticket=ticket, role=AssignmentRole.CO, is_active=True
            ).select_related("department")
            if a.status != AssignmentStatus.REPLIED
        ]
        if waiting:
            raise RuleViolated(
                f"协办单位尚未反馈：{'、'.join(waiting)}。", code="co_handlers_pending"
            )
        now = timezone.now()
        assignment.status = AssignmentStatus.REPLIED
        assignment.report = reply
        assignment.replied_at = now
        assignment.save(update_fields=["status", "report", "replied_at"])
        limits = limits_for(
            ticket_type=ticket.ticket_type, category=ticket.category, urgency=ticket.urgency
        )
        ticket.reply = reply
        ticket.replied_at = now
        if ticket.replied_on_time is None:
            ticket.replied_on_time = ticket.handling_due_at is None or now <= ticket.handling_due_at
        ticket.callback_due_at = due_after(now, limits.callback_days, LimitUnit.CALENDAR_DAYS)
        move(
            ticket,
            StepAction.REPLY,
            actor=actor,
            department=assignment.department,
            note=reply,
            fields=("reply", "replied_at", "replied_on_time", "callback_due_at"),
            at=now,
        )
        notify_reporter(
            ticket,
            f"您的工单 {ticket.number} 已由{assignment.department.name}答复，请留意回访。",
            key=f"replied:{ticket.rework_count}",
        )
        publish(TicketReplied(ticket.pk, assignment.department_id))
    return ticket


def ticket_extension_request(
    *, assignment: TicketAssignment, days: int, reason: str, actor: User
) -> ExtensionRequest:
    """Ask the hotline centre for more time, before the due time, one request at a time."""
    reason = _checked_text(reason, "reason", "请说明延期理由")
    if not 1 <= days <= EXTENSION_MAX_DAYS:
        raise InvalidInput(
            errors=[FieldError("days", f"延期天数应为 1 至 {EXTENSION_MAX_DAYS} 天")]
        )
    with transaction.atomic():
        assignment, ticket = _locked(assignment, actor)
        if assignment.status not in (AssignmentStatus.SIGNED, AssignmentStatus.HANDLING):
            raise InvalidTransition("签收后、答复前才能申请延期。")
        if timezone.now() > assignment.handling_due_at:
            raise RuleViolated("已超过办理期限，不能再申请延期。", code="extension_too_late")
        if assignment.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
            raise RuleViolated("已有待审批的延期申请。", code="extension_pending")
        request = ExtensionRequest.objects.create(
            assignment=assignment, days=days, reason=reason[:500], requested_by=actor
        )
        add_step(
            ticket,
            StepAction.EXTENSION_REQUEST,
            actor=actor,
            department=assignment.department,
            note=f"申请延期 {days} 天：{reason}",
            data={"request": request.pk, "days": days},
        )
    return request


def ticket_extension_decide(
    *, request: ExtensionRequest, approve: bool, note: str, actor: User
) -> ExtensionRequest:
    """The hotline centre approves or refuses; an approval moves the unit's due time."""
    if not user_is_dispatcher(actor):
        raise Forbidden("延期申请由热线中心审批。")
    if not approve and not note.strip():
        raise InvalidInput(errors=[FieldError("note", "不同意延期时请说明理由")])
    with transaction.atomic():
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != ExtensionStatus.PENDING:
            raise InvalidTransition("该延期申请已审批。")
        assignment = TicketAssignment.objects.select_for_update().get(pk=request.assignment_id)
        ticket = Ticket.objects.select_for_update().get(pk=assignment.ticket_id)
        request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.decision_note = note.strip()[:500]
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if approve:
            assignment.extension_days += request.days
            assignment.handling_due_at += timedelta(days=request.days)
            assignment.save(update_fields=["extension_days", "handling_due_at"])
            if assignment.role == AssignmentRole.LEAD:
                ticket.handling_due_at = assignment.handling_due_at
                ticket.save(update_fields=["handling_due_at"])
        add_step(
            ticket,
            StepAction.EXTENSION_DECISION,
            actor=actor,
            department=assignment.department,
            note=("同意延期" if approve else "不同意延期")
            + (f"：{note.strip()}" if note.strip() else ""),
            is_public=approve,
            data={"request": request.pk, "approved": approve},
        )
    return request
