"""The hotspot banner's context, shared by the dispatcher's page and the operator's console."""

from __future__ import annotations

from typing import Any

from yiwang.hotline import selectors
from yiwang.hotline.selectors.alerts import alert_threshold, alert_window
from yiwang.identity.models import User


def hotspot_banner(user: User) -> dict[str, Any]:
    return {
        "hotspot_alerts": selectors.hotspot_alerts_for(user),
        "hotspot_minutes": int(alert_window().total_seconds() // 60),
        "hotspot_threshold": alert_threshold(),
    }
