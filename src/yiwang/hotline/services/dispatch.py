"""Dispatch (派单), returns (退单) and their arbitration, contact release, escalation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.hotline.events import TicketDispatched, TicketEscalated
from yiwang.hotline.models import ContactRelease, Ticket, TicketAssignment
from yiwang.hotline.selectors import (
    due_after,
    limits_for,
    route_by_rules,
    sign_due_after,
    unit_departments,
    user_is_dispatcher,
)
from yiwang.hotline.services.common import add_step, move
from yiwang.hotline.workflow import (
    ESCALATE_AFTER,
    AssignmentRole,
    AssignmentStatus,
    ReturnReason,
    StepAction,
    TicketStatus,
    Urgency,
)
from yiwang.identity.models import User
from yiwang.org.models import Department
from yiwang.platform.errors import FieldError, Forbidden, InvalidInput, InvalidTransition
from yiwang.platform.events import publish
from yiwang.platform.services import audit_record


def _require_dispatcher(actor: User | None) -> None:
    if actor is not None and not user_is_dispatcher(actor):
        raise Forbidden("只有热线派单员可以进行此操作。")


def ticket_escalate(*, ticket: Ticket, reason: str, actor: User | None = None) -> Ticket:
    """提级督办: once per ticket; supervision reacts to `TicketEscalated`."""
    if ticket.escalated_at is not None:
        return ticket
    ticket.escalated_at = timezone.now()
    ticket.save(update_fields=["escalated_at"])
    add_step(ticket, StepAction.ESCALATE, actor=actor, note=reason, is_public=False)
    publish(TicketEscalated(ticket.pk, reason))
    return ticket


def ticket_dispatch(
    *,
    ticket: Ticket,
    lead: Department,
    co_handlers: list[Department] | None = None,
    actor: User | None,
    note: str = "",
) -> Ticket:
    """Send a received ticket to a lead unit and co-handlers, each with its own sign-for and
    handling due time. `actor` None is the routing rules dispatching on their own. Urgent
    tickets also get a phone-call task (a step the operators' console lists until signed)."""
    _require_dispatcher(actor)
    co = [d for d in (co_handlers or []) if d.pk != lead.pk]
    if len({d.pk for d in co}) != len(co):
        raise InvalidInput(errors=[FieldError("co_handlers", "协办单位有重复")])
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("category").get(pk=ticket.pk)
        if ticket.status != TicketStatus.RECEIVED:
            raise InvalidTransition(f"工单当前为“{TicketStatus(ticket.status).label}”，不能派单。")
        limits = limits_for(
            ticket_type=ticket.ticket_type, category=ticket.category, urgency=ticket.urgency
        )
        handling_due = due_after(
            now, limits.handling_value, limits.handling_unit, region_code=ticket.region_code
        )
        sign_due = sign_due_after(
            now, limits.sign_hours, urgency=ticket.urgency, region_code=ticket.region_code
        )
        TicketAssignment.objects.bulk_create(
            TicketAssignment(
                ticket=ticket,
                department=department,
                role=role,
                dispatched_at=now,
                dispatched_by=actor,
                sign_due_at=sign_due,
                handling_due_at=handling_due,
            )
            for department, role in [(lead, AssignmentRole.LEAD)]
            + [(d, AssignmentRole.CO) for d in co]
        )
        ticket.lead_department = lead
        ticket.dispatched_at = now
        ticket.handling_due_at = handling_due
        names = "、".join(d.name for d in co)
        public_note = f"已转交{lead.name}办理" + (f"，{names}协办" if names else "")
        move(
            ticket,
            StepAction.DISPATCH,
            actor=actor,
            department=lead,
            note=public_note + (f"。{note}" if note else ""),
            data={"lead": lead.pk, "co": [d.pk for d in co], "limits": limits.rule_name},
            fields=("lead_department", "dispatched_at", "handling_due_at"),
            at=now,
        )
        if ticket.urgency == Urgency.URGENT:
            add_step(
                ticket,
                StepAction.REMIND,
                actor=None,
                department=lead,
                note=f"紧急工单：请电话通知{lead.name}立即签收办理",
                data={"call_task": True},
            )
        publish(TicketDispatched(ticket.pk, lead.pk, urgent=ticket.urgency == Urgency.URGENT))
    return ticket


def ticket_dispatch_by_rules(*, ticket: Ticket) -> Ticket | None:
    """Dispatch by the first matching routing rule (or category default), if any."""
    suggestion = route_by_rules(
        category=ticket.category, area_id=ticket.area_id, ticket_type=ticket.ticket_type
    )
    if suggestion is None:
        return None
    return ticket_dispatch(
        ticket=ticket,
        lead=suggestion.lead,
        co_handlers=suggestion.co_handlers,
        actor=None,
        note=suggestion.explanation,
    )


def ticket_return(
    *, assignment: TicketAssignment, reason_code: str, note: str, actor: User
) -> Ticket:
    """A unit gives a ticket back (退单) with a coded reason. The lead's return sends the ticket
    back to the dispatcher (and withdraws the co-handlers); a co-handler's return only ends its
    own part. Three transfers escalate the ticket."""
    if assignment.department_id not in unit_departments(actor):
        raise Forbidden("您不能代表该单位退单。")
    if reason_code not in ReturnReason.values:
        raise InvalidInput(errors=[FieldError("reason_code", "请选择退单原因")])
    if not note.strip():
        raise InvalidInput(errors=[FieldError("note", "请说明退单理由")])
    with transaction.atomic():
        assignment = TicketAssignment.objects.select_for_update().get(pk=assignment.pk)
        ticket = Ticket.objects.select_for_update().get(pk=assignment.ticket_id)
        if not assignment.is_active or assignment.status not in (
            AssignmentStatus.DISPATCHED,
            AssignmentStatus.SIGNED,
        ):
            raise InvalidTransition("已开始办理或已结束的工单不能退单，请申请延期或答复。")
        assignment.status = AssignmentStatus.RETURNED
        assignment.is_active = False
        assignment.return_reason = reason_code
        assignment.return_note = note.strip()[:500]
        assignment.save(update_fields=["status", "is_active", "return_reason", "return_note"])
        reason_label = ReturnReason(reason_code).label
        if assignment.role == AssignmentRole.CO:
            add_step(
                ticket,
                StepAction.RETURN,
                actor=actor,
                department=assignment.department,
                note=f"协办退单（{reason_label}）：{note.strip()}",
            )
            return ticket
        TicketAssignment.objects.filter(ticket=ticket, is_active=True).update(
            is_active=False, status=AssignmentStatus.WITHDRAWN
        )
        ticket.transfer_count += 1
        ticket.lead_department = None
        ticket.handling_due_at = None
        move(
            ticket,
            StepAction.RETURN,
            actor=actor,
            department=assignment.department,
            note=f"{reason_label}：{note.strip()}",
            is_public=False,
            data={"reason": reason_code},
            fields=("transfer_count", "lead_department", "handling_due_at"),
        )
        if ticket.transfer_count >= ESCALATE_AFTER:
            ticket_escalate(ticket=ticket, reason=f"退单改派已达 {ticket.transfer_count} 次")
    return ticket


def ticket_release_contact(
    *, ticket: Ticket, department: Department, reason: str, actor: User
) -> ContactRelease:
    """The hotline lets a unit see a hidden reporter's contact data; logged with the reason."""
    _require_dispatcher(actor)
    if not reason.strip():
        raise InvalidInput(errors=[FieldError("reason", "请说明公开联系方式的理由")])
    if ticket.anonymous:
        raise InvalidInput("匿名诉求没有联系方式可以公开。", code="anonymous")
    with transaction.atomic():
        release = ContactRelease.objects.create(
            ticket=ticket, department=department, released_by=actor, reason=reason.strip()[:200]
        )
        add_step(
            ticket,
            StepAction.CONTACT_RELEASE,
            actor=actor,
            department=department,
            note=reason.strip(),
        )
        audit_record(
            actor=actor,
            action="hotline.contact.released",
            target=ticket,
            summary=f"向{department.name}公开诉求人联系方式",
            details={"reason": reason.strip()[:200]},
        )
    return release
