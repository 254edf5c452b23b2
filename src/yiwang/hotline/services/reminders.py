"""Reminders (催办) before a unit's due time, run by the daily clock: each active assignment due
within the next day gets one reminder step (its unit's list shows it); each one already past due
gets one overdue step. Both are visible in the ticket's history."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from yiwang.hotline.models import TicketAssignment, TicketStep
from yiwang.hotline.services.common import add_step
from yiwang.hotline.workflow import AssignmentStatus, StepAction

REMIND_BEFORE = timedelta(days=1)
ACTIVE = (AssignmentStatus.DISPATCHED, AssignmentStatus.SIGNED, AssignmentStatus.HANDLING)


def _already(assignment: TicketAssignment, kind: str) -> bool:
    return TicketStep.objects.filter(
        ticket_id=assignment.ticket_id,
        action=StepAction.REMIND,
        data__assignment=assignment.pk,
        data__kind=kind,
    ).exists()


def tickets_remind_due(*, now: datetime) -> tuple[int, int]:
    """(reminded, overdue) counts of new reminder steps written."""
    reminded = overdue = 0
    due = (
        TicketAssignment.objects.filter(
            is_active=True, status__in=ACTIVE, handling_due_at__lte=now + REMIND_BEFORE
        )
        .select_related("ticket", "department")
        .order_by("handling_due_at", "pk")
    )
    for assignment in due.iterator(chunk_size=500):
        kind = "overdue" if assignment.handling_due_at < now else "due_soon"
        if _already(assignment, kind):
            continue
        note = (
            f"{assignment.department.name}：已超过办理期限，请尽快办理并答复"
            if kind == "overdue"
            else f"{assignment.department.name}：距办理期限不足一天，请按时办理"
        )
        with transaction.atomic():
            add_step(
                assignment.ticket,
                StepAction.REMIND,
                actor=None,
                department=assignment.department,
                note=note,
                data={"assignment": assignment.pk, "kind": kind},
                at=now,
            )
        if kind == "overdue":
            overdue += 1
        else:
            reminded += 1
    return reminded, overdue
