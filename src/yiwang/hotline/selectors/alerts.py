"""Live hotspot alerts (DOMAIN §7: "⚙ N reports in one area within 30 min ⇒ live alert").

A hotspot is an area (the `Area` polygons: towns and streets) and a top-level category (城市管理,
供水供电 ...) in which at least `settings.HOTLINE_HOTSPOT_ALERT_COUNT` tickets were registered
within `settings.HOTLINE_HOTSPOT_ALERT_MINUTES` minutes, the window ending at a registration.
Top-level, because a storm is told in many words: a burst water main comes in as 停水, 路面积水
and 井盖冒水, all under 供水供电 or 城市管理, rarely under one leaf. Every registered ticket
counts (merged duplicates too): the alert is about how many people call, not about matters.
Tickets without an area (no place, or outside every polygon) never make a hotspot.

The alert is not stored (no model): `services.alerts` sends one SMS per storm through the
outbox, and the banner on the dispatcher's page and the operator's console is computed here
from the tickets themselves. It stays up while the condition held at some registration within
the last window: a storm's banner goes down one window after its last qualifying report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Min, Q
from django.utils import timezone

from yiwang.hotline.models import Category, Ticket
from yiwang.hotline.selectors.access import user_is_operator
from yiwang.identity.models import User


def alert_window() -> timedelta:
    return timedelta(minutes=settings.HOTLINE_HOTSPOT_ALERT_MINUTES)


def alert_threshold() -> int:
    return max(1, settings.HOTLINE_HOTSPOT_ALERT_COUNT)


def top_category(category: Category) -> Category:
    """The top of the category's tree: at most two steps up (the tree has ≤ 3 levels)."""
    for _ in range(2):
        if category.parent_id is None:
            break
        category = category.parent  # type: ignore[assignment]
    return category


def _in_subtree(category_id: int) -> Q:
    return (
        Q(category_id=category_id)
        | Q(category__parent_id=category_id)
        | Q(category__parent__parent_id=category_id)
    )


@dataclass(frozen=True)
class HotspotCount:
    count: int
    first_at: datetime | None


def hotspot_count(*, area_id: int, category_id: int, until: datetime) -> HotspotCount:
    """Tickets registered in the area under the top-level category in (until − window, until]:
    one aggregate query over the (area, registration time) index, which reads only the area's
    tickets of the window however busy the rest of the city is."""
    found = Ticket.objects.filter(
        _in_subtree(category_id),
        area_id=area_id,
        received_at__gt=until - alert_window(),
        received_at__lte=until,
    ).aggregate(count=Count("pk"), first_at=Min("received_at"))
    return HotspotCount(found["count"], found["first_at"])


@dataclass(frozen=True)
class AlertTicket:
    pk: int
    number: str
    received_at: datetime


@dataclass(frozen=True)
class HotspotAlert:
    area_id: int
    area_name: str
    category_id: int
    category_name: str
    tickets: list[AlertTicket]  # registration order

    @property
    def count(self) -> int:
        return len(self.tickets)

    @property
    def first_at(self) -> datetime:
        return self.tickets[0].received_at

    @property
    def last_at(self) -> datetime:
        return self.tickets[-1].received_at


def _alert_of(
    key: tuple[int, str, int, str], tickets: list[AlertTicket], now: datetime
) -> HotspotAlert | None:
    """The storm in one area × category, if the condition held at a registration within the
    last window: from the first report of the first qualifying window to the last report."""
    window, threshold = alert_window(), alert_threshold()
    times = [t.received_at for t in tickets]
    start = 0
    for end, moment in enumerate(times):
        while times[start] <= moment - window:
            start += 1
        if moment > now - window and end - start + 1 >= threshold:
            area_id, area_name, category_id, category_name = key
            return HotspotAlert(area_id, area_name, category_id, category_name, tickets[start:])
    return None


def hotspot_alerts(*, now: datetime | None = None) -> list[HotspotAlert]:
    """The live hotspots, largest first: one query over the tickets of the last two windows
    that have an area (a few dozen rows in a busy hour)."""
    now = now or timezone.now()
    rows = (
        Ticket.objects.filter(
            area__isnull=False,
            received_at__gt=now - 2 * alert_window(),
            received_at__lte=now,
        )
        .order_by("received_at", "pk")
        .values_list(
            "pk",
            "number",
            "received_at",
            "area_id",
            "area__name",
            "category_id",
            "category__name",
            "category__parent_id",
            "category__parent__name",
            "category__parent__parent_id",
            "category__parent__parent__name",
        )
    )
    groups: dict[tuple[int, str, int, str], list[AlertTicket]] = defaultdict(list)
    for row in rows:
        pk, number, at, area_id, area_name = row[:5]
        leaf_id, leaf_name, parent_id, parent_name, root_id, root_name = row[5:]
        top_id = root_id or parent_id or leaf_id
        top_name = root_name if root_id else parent_name if parent_id else leaf_name
        groups[(area_id, area_name, top_id, top_name)].append(AlertTicket(pk, number, at))
    alerts = [alert for key, tickets in groups.items() if (alert := _alert_of(key, tickets, now))]
    alerts.sort(key=lambda a: (-a.count, a.area_name, a.category_name))
    return alerts


def hotspot_alerts_for(
    user: User | AnonymousUser, *, now: datetime | None = None
) -> list[HotspotAlert]:
    """The banner's alerts for the hotline centre (operators and dispatchers); nothing for
    anyone else (a unit's handler sees its own work, not the city's storms)."""
    if not user_is_operator(user):
        return []
    return hotspot_alerts(now=now)
