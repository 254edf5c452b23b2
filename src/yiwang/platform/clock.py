"""The daily clock: once per local day, exactly one worker announces `DayBegan`.

The worker's housekeeping thread notices that the local date (Asia/Shanghai) changed and enqueues
`tasks.announce_day`; the task claims the day by inserting its `DayAnnouncement` row (the unique
day makes a second worker's claim fail) and then dispatches the event to its subscribers, in the
worker, outside any transaction. A worker that was down for days announces only the day it wakes
up in: daily subscribers catch up by looking at everything due up to that day, not just that day.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.platform.events import DayBegan, dispatch
from yiwang.platform.models import DayAnnouncement

log = logging.getLogger("yiwang.platform.clock")


def local_today() -> date:
    return timezone.localdate()


def announce(day: date) -> bool:
    """Claim `day` and tell its subscribers; False (and nothing dispatched) if already claimed."""
    try:
        with transaction.atomic():
            DayAnnouncement.objects.create(day=day)
    except IntegrityError:
        return False
    log.info("day began", extra={"day": day.isoformat()})
    dispatch(DayBegan(day=day))
    return True
