from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from yiwang.platform.models import WorkerHeartbeat


def worker_heartbeat_age_seconds() -> float | None:
    """Seconds since the newest worker heartbeat, or None when no worker ever beat."""
    newest = WorkerHeartbeat.objects.aggregate(newest=Max("beat_at"))["newest"]
    if newest is None:
        return None
    return (timezone.now() - newest).total_seconds()
