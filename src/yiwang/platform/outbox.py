"""Outbox delivery: what `tasks.deliver_outbox_message` and the periodic sweep run.

Rows are written by `services.outbox_enqueue` in the caller's transaction. Delivery is
at-least-once and, short of a crash in the middle of a provider call, exactly once:

1. claim — one conditional UPDATE moves `next_attempt_at` forward by `SEND_LEASE` and counts the
   attempt, only if the row is pending/failed and due. Whoever updates the row sends it; a second
   task, a sweep or another worker finds nothing to claim. No transaction is held open while the
   provider is called.
2. send through the channel's gateway.
3. record: `sent` with the provider reference, or `failed` with the next attempt after an
   exponential back-off, or `dead` after `MAX_ATTEMPTS` (logged as an error for operators).

A process that dies after 1 leaves the row claimed until the lease ends; the sweep then sends it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from yiwang.platform.gateways import (
    GatewayReceipt,
    get_email_gateway,
    get_sms_gateway,
    get_webhook_gateway,
)
from yiwang.platform.logging import scrub
from yiwang.platform.models import OutboxChannel, OutboxMessage, OutboxStatus

log = logging.getLogger("yiwang.outbox")

MAX_ATTEMPTS = 6
SEND_LEASE = timedelta(minutes=5)
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)
SWEEP_BATCH = 100

_DELIVERABLE = (OutboxStatus.PENDING, OutboxStatus.FAILED)


def retry_delay(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: 30 s, 1 min, 2 min, 4 min, 8 min … at most 1 h."""
    delay: timedelta = RETRY_BASE * 2 ** max(attempts - 1, 0)
    return min(delay, RETRY_CAP)


def due_message_ids(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> list[int]:
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(status__in=_DELIVERABLE, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def claim(message_id: int, *, now: datetime) -> OutboxMessage | None:
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status__in=_DELIVERABLE, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + SEND_LEASE)
    if not claimed:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def send(message: OutboxMessage) -> GatewayReceipt:
    if message.channel == OutboxChannel.SMS:
        return get_sms_gateway().send(phone=message.recipient, text=message.body)
    if message.channel == OutboxChannel.EMAIL:
        return get_email_gateway().send(
            to=message.recipient, subject=message.subject, text=message.body
        )
    if message.channel == OutboxChannel.WEBHOOK:
        return get_webhook_gateway().send(url=message.recipient, body=message.body)
    raise ValueError(f"unknown outbox channel {message.channel!r}")


def deliver(message_id: int) -> str | None:
    """Send one message if it is due and nobody else is sending it. Returns its new status, or
    None when there was nothing to do (already sent, dead, not due, claimed elsewhere)."""
    message = claim(message_id, now=timezone.now())
    if message is None:
        return None
    try:
        receipt = send(message)
    except Exception as exc:
        return _record_failure(message, exc)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        provider_reference=receipt.reference[:64],
        last_error="",
    )
    log.info("outbox message sent", extra={"event": f"outbox.{message.channel}.sent"})
    return OutboxStatus.SENT


def _record_failure(message: OutboxMessage, exc: Exception) -> str:
    error = scrub(f"{type(exc).__name__}: {exc}")[:500]
    if message.attempts >= MAX_ATTEMPTS:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.DEAD, last_error=error
        )
        log.error(
            "outbox message %s dead after %s attempts: %s",
            message.pk,
            message.attempts,
            error,
            extra={"event": f"outbox.{message.channel}.dead"},
        )
        return OutboxStatus.DEAD
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED,
        last_error=error,
        next_attempt_at=timezone.now() + retry_delay(message.attempts),
    )
    log.warning(
        "outbox message %s failed (attempt %s): %s",
        message.pk,
        message.attempts,
        error,
        extra={"event": f"outbox.{message.channel}.failed"},
    )
    return OutboxStatus.FAILED


def deliver_due(*, limit: int = SWEEP_BATCH) -> int:
    """Send what is due (pending whose task never ran, failed whose back-off is over). Returns
    how many were sent."""
    return sum(
        deliver(message_id) == OutboxStatus.SENT for message_id in due_message_ids(limit=limit)
    )
