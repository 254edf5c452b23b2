"""Shared by the hotline services: the step history, ticket numbers, notices to reporters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.hotline.models import Ticket, TicketCounter, TicketStep
from yiwang.hotline.workflow import StepAction, TicketStatus, allowed, target
from yiwang.identity.models import User
from yiwang.org.models import Department
from yiwang.platform.errors import InvalidTransition
from yiwang.platform.services import outbox_enqueue

SYSTEM = "系统"


def next_number(region_code: str, on: datetime) -> str:
    """`<region 6><yyyymmdd><6 digits>`, unique under concurrency (row lock on the counter)."""
    day = timezone.localtime(on).date()
    region = (region_code or "000000")[:6].ljust(6, "0")
    with transaction.atomic():
        counter, _ = TicketCounter.objects.select_for_update().get_or_create(
            region_code=region, day=day
        )
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{region}{day:%Y%m%d}{counter.last:06d}"


def add_step(
    ticket: Ticket,
    action: str,
    *,
    actor: User | None,
    from_status: str = "",
    to_status: str = "",
    department: Department | None = None,
    note: str = "",
    is_public: bool = False,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TicketStep:
    return TicketStep.objects.create(
        ticket=ticket,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_label=(actor.get_username() if actor is not None else SYSTEM)[:150],
        department=department,
        note=note,
        is_public=is_public,
        data=data or {},
        at=at or timezone.now(),
    )


def move(
    ticket: Ticket,
    action: str,
    *,
    actor: User | None,
    department: Department | None = None,
    note: str = "",
    is_public: bool = True,
    data: dict[str, Any] | None = None,
    fields: tuple[str, ...] = (),
    at: datetime | None = None,
) -> TicketStep:
    """Guard the transition of `action`, change the status (and `fields`), append the step."""
    if not allowed(action, ticket.status):
        raise InvalidTransition(
            f"工单当前为“{TicketStatus(ticket.status).label}”，不能{StepAction(action).label}。"
        )
    from_status = ticket.status
    ticket.status = target(action)
    ticket.updated_at = at or timezone.now()
    ticket.save(update_fields=["status", "updated_at", *fields])
    return add_step(
        ticket,
        action,
        actor=actor,
        from_status=from_status,
        to_status=ticket.status,
        department=department,
        note=note,
        is_public=is_public,
        data=data,
        at=at,
    )


def notify_reporter(ticket: Ticket, body: str, *, key: str) -> None:
    """An SMS to the reporter (through the outbox), once per `key`, if they left a phone."""
    if not ticket.reporter_phone:
        return
    outbox_enqueue(
        channel="sms",
        recipient=ticket.reporter_phone,
        body=f"【12345】{body}",
        template="hotline",
        dedupe_key=f"hotline:{ticket.pk}:{key}",
    )
