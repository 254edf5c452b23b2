"""The monthly hotspot report for the city leadership (热点分析月报): the most frequent
categories, places and units of a month, the categories rising against the previous three
months, and complaints repeated at the same place (same category within
`settings.HOTLINE_REPEAT_RADIUS_M`, 200 m by default, the radius of the repeat-complaint metric)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from yiwang.hotline.geometry import distance_m
from yiwang.hotline.models import Ticket
from yiwang.hotline.workflow import TicketStatus, TicketType

PREVIOUS_MONTHS = 3
RISING_MIN_COUNT = 5  # a category needs this many tickets this month to be called rising
RISING_FACTOR = Decimal("1.5")
REPEAT_MIN_COUNT = 3


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int
    share: Decimal  # percent of the month's tickets


@dataclass(frozen=True)
class RisingRow:
    label: str
    count: int
    previous_average: Decimal
    change: Decimal | None  # percent against the average; None when there was nothing before


@dataclass(frozen=True)
class RepeatRow:
    category: str
    place: str
    count: int
    first_at: datetime
    last_at: datetime
    numbers: list[str]


@dataclass(frozen=True)
class HotspotReport:
    month: date
    total: int
    categories: list[CountRow]
    areas: list[CountRow]
    units: list[CountRow]
    rising: list[RisingRow]
    repeats: list[RepeatRow]


def month_start(day: date) -> date:
    return day.replace(day=1)


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _bounds(first: date, last_exclusive: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last_exclusive, time.min, tzinfo=zone),
    )


def _in(first: date, months: int = 1) -> QuerySet[Ticket]:
    start, end = _bounds(first, _shift(first, months))
    return Ticket.objects.filter(received_at__gte=start, received_at__lt=end).exclude(
        status=TicketStatus.MERGED
    )


def _percent(part: int | Decimal, whole: int | Decimal) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _top(rows: list[tuple[str, int]], total: int, limit: int) -> list[CountRow]:
    return [CountRow(label, count, _percent(count, total)) for label, count in rows[:limit]]


def _repeats(month: QuerySet[Ticket], limit: int) -> list[RepeatRow]:
    """Complaints of one category within the repeat radius of each other: greedy clustering
    around the earliest complaint of each place, in time order."""
    radius = float(settings.HOTLINE_REPEAT_RADIUS_M)
    complaints = (
        month.filter(ticket_type=TicketType.COMPLAINT, latitude__isnull=False)
        .order_by("received_at", "pk")
        .values_list("category__name", "latitude", "longitude", "address", "received_at", "number")
    )
    clusters: dict[str, list[list[tuple[float, float, str, datetime, str]]]] = defaultdict(list)
    for category, latitude, longitude, address, received_at, number in complaints.iterator():
        if latitude is None or longitude is None:
            continue
        point = (latitude, longitude, address, received_at, number)
        for cluster in clusters[category]:
            seed = cluster[0]
            if distance_m(seed[1], seed[0], point[1], point[0]) <= radius:
                cluster.append(point)
                break
        else:
            clusters[category].append([point])
    rows = [
        RepeatRow(
            category=category,
            place=cluster[0][2] or f"{cluster[0][0]:.4f}, {cluster[0][1]:.4f}",
            count=len(cluster),
            first_at=cluster[0][3],
            last_at=cluster[-1][3],
            numbers=[p[4] for p in cluster[:5]],
        )
        for category, found in clusters.items()
        for cluster in found
        if len(cluster) >= REPEAT_MIN_COUNT
    ]
    rows.sort(key=lambda r: (-r.count, r.category, r.place))
    return rows[:limit]


def hotspot_report(month: date, *, limit: int = 10) -> HotspotReport:
    """The report of the calendar month containing `month`."""
    first = month_start(month)
    tickets = _in(first)
    total = tickets.count()
    by_category = list(
        tickets.values_list("category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__name")
    )
    by_area = list(
        tickets.filter(area__isnull=False)
        .values_list("area__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "area__name")
    )
    by_unit = list(
        tickets.filter(lead_department__isnull=False)
        .values_list("lead_department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_department__name")
    )
    before = dict(
        _in(_shift(first, -PREVIOUS_MONTHS), PREVIOUS_MONTHS)
        .values_list("category__name")
        .annotate(n=Count("pk"))
        .values_list("category__name", "n")
    )
    rising: list[RisingRow] = []
    for name, count in by_category:
        average = Decimal(before.get(name, 0)) / PREVIOUS_MONTHS
        if count < RISING_MIN_COUNT or (average and count < average * RISING_FACTOR):
            continue
        change = _percent(Decimal(count) - average, average) if average else None
        rising.append(
            RisingRow(name, count, average.quantize(Decimal("0.1"), ROUND_HALF_UP), change)
        )
    rising.sort(key=lambda r: (r.change is not None, -(r.change or 0), -r.count))
    return HotspotReport(
        month=first,
        total=total,
        categories=_top(by_category, total, limit),
        areas=_top(by_area, total, limit),
        units=_top(by_unit, total, limit),
        rising=rising[:limit],
        repeats=_repeats(tickets, limit),
    )
