"""Background units of the platform. They take ids and are safe to run twice."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from yiwang.platform import clock, outbox


@task()
def deliver_outbox_message(message_id: int) -> str | None:
    """Send one outbox message (enqueued after the commit that wrote it)."""
    return outbox.deliver(message_id)


@task()
def deliver_due_outbox_messages() -> int:
    """The sweep: send every pending or failed message whose time has come."""
    return outbox.deliver_due()


@task()
def announce_day(day: str) -> bool:
    """Announce `DayBegan` for `day` (ISO date) once across all workers."""
    return clock.announce(date.fromisoformat(day))
