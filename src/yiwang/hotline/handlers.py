"""Reactions to other contexts' events: the daily clock sends reminders."""

from __future__ import annotations

from django.utils import timezone

from yiwang.hotline.services.reminders import tickets_remind_due
from yiwang.platform.events import DayBegan, subscribe


@subscribe(DayBegan)
def remind_units(event: DayBegan) -> None:
    # Reminders are about the present moment, whichever day is being announced (a worker that
    # was down catches up on everything due by now).
    tickets_remind_due(now=timezone.now())
