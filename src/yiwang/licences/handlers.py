"""Reactions to other contexts' events: the daily clock expires licences and sends reminders."""

from __future__ import annotations

from yiwang.licences.services import licence_expiry_reminders_send, licences_expire_due
from yiwang.platform.events import DayBegan, subscribe


@subscribe(DayBegan)
def expire_and_remind(event: DayBegan) -> None:
    licences_expire_due(today=event.day)
    licence_expiry_reminders_send(today=event.day)
