"""Reactions to events: the daily clock sends reminders; a registration may raise the live
hotspot alert (after its commit, so intake's own transaction pays nothing for it)."""

from __future__ import annotations

from django.utils import timezone

from yiwang.hotline.events import TicketRegistered
from yiwang.hotline.services.alerts import hotspot_alert_check
from yiwang.hotline.services.reminders import tickets_remind_due
from yiwang.platform.events import DayBegan, subscribe


@subscribe(DayBegan)
def remind_units(event: DayBegan) -> None:
    # Reminders are about the present moment, whichever day is being announced (a worker that
    # was down catches up on everything due by now).
    tickets_remind_due(now=timezone.now())


@subscribe(TicketRegistered)
def alert_hotspots(event: TicketRegistered) -> None:
    # A direct answer announces a ticket registered (and counted) before: not a new report.
    if not event.direct_answer:
        hotspot_alert_check(ticket_id=event.ticket_id)
