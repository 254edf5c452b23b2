"""The hotline's metrics, exactly as DOMAIN §7 defines them, over tickets received in a period.

| metric | numerator ÷ denominator |
|---|---|
| acceptance 受理率 | registered ÷ valid contacts (registered + unregistered, not silent/abusive) |
| direct answer 直接答复率 | closed by direct answer ÷ registered |
| reply 回复率 | replied ÷ dispatched and due |
| timely viewing 及时查阅率 | unit assignments signed by their sign-for limit ÷ assignments |
| on-time completion 按时办结率 | replied by the (extended) due time ÷ dispatched and due |
| callback 回访率 | called back ÷ replied tickets needing one (reply wanted, a phone to call) |
| satisfaction 满意率 | 非常满意 + 满意 + 基本满意 ÷ rated callbacks |
| resolution 解决率 | resolved (+ ½ per partly resolved) ÷ callbacks that reached the reporter |
| rework 发回重办率 | sent back at least once ÷ replied at least once |
| repeat complaints 重复投诉率 | repeat complaints ÷ complaints (投诉) registered in the period |

"Dispatched and due": dispatched tickets whose handling due time has passed, or that were
replied already (a reply before the due time counts at once). Reply and on-time completion are
judged on the first reply (`Ticket.replied_on_time`): a rework's new clock does not rewrite
them. Volume counts every contact; handling metrics count master tickets only (merged
duplicates are left out). A rate whose denominator is 0 is None, shown as "—", never 0 %.

Repeat complaints (重复投诉, DOMAIN §7: "same matter (same reporter, or same category within
⚙ 200 m) within ⚙ 30 days of a closure"): a complaint (type 投诉) registered in the period is a
repeat when an earlier ticket, of any type, was closed at most `HOTLINE_REPEAT_WINDOW_DAYS` days
before it was registered and was raised
- by the same reporter: the same phone (compared on the stored blind index, never decrypted)
  or the same signed-in account, whatever the place and category; or
- in the same category (the leaf category) within `HOTLINE_REPEAT_RADIUS_M` metres (the
  distance of `geometry.distance_m`, as the monthly hotspot report measures it).
An earlier ticket still open when the complaint came in does not count (that is a duplicate, to
be merged), nor does a merged duplicate (its master carries the closure). A reopened ticket has
no closure until it closes again. The count is the rate's numerator, the complaints its
denominator.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from yiwang.hotline.geometry import EARTH_RADIUS_M, distance_m
from yiwang.hotline.models import Ticket, TicketAssignment, UnregisteredContact
from yiwang.hotline.workflow import (
    INVALID_CONTACT_KINDS,
    SATISFIED_LEVELS,
    Resolution,
    TicketStatus,
    TicketType,
)
from yiwang.org.models import region_code_prefix

PARTLY_RESOLVED_WEIGHT = Decimal("0.5")


@dataclass(frozen=True)
class Rate:
    numerator: Decimal
    denominator: int

    @property
    def value(self) -> Decimal | None:
        """The rate in percent with two decimals, or None without a denominator."""
        if not self.denominator:
            return None
        return (self.numerator * 100 / self.denominator).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    def __str__(self) -> str:
        value = self.value
        return "—" if value is None else f"{value}%"


@dataclass(frozen=True)
class MetricFilters:
    start: datetime
    end: datetime  # exclusive
    department_id: int | None = None
    category_id: int | None = None  # the category or any below it
    channel: str = ""
    region_code: str = ""


@dataclass(frozen=True)
class HotlineMetrics:
    registered: int
    valid_contacts: int
    acceptance: Rate
    direct_answer: Rate
    reply: Rate
    timely_viewing: Rate
    on_time_completion: Rate
    callback: Rate
    satisfaction: Rate
    resolution: Rate
    rework: Rate
    repeat_complaint: Rate  # numerator: the repeat complaints; denominator: all complaints


def _tickets(filters: MetricFilters) -> QuerySet[Ticket]:
    tickets = Ticket.objects.filter(received_at__gte=filters.start, received_at__lt=filters.end)
    if filters.department_id is not None:
        tickets = tickets.filter(lead_department_id=filters.department_id)
    if filters.category_id is not None:
        tickets = tickets.filter(
            Q(category_id=filters.category_id)
            | Q(category__parent_id=filters.category_id)
            | Q(category__parent__parent_id=filters.category_id)
        )
    if filters.channel:
        tickets = tickets.filter(channel=filters.channel)
    if filters.region_code:
        tickets = tickets.filter(region_code__startswith=region_code_prefix(filters.region_code))
    return tickets


def _rate(numerator: int | Decimal, denominator: int) -> Rate:
    return Rate(Decimal(numerator), denominator)


def _earlier_closed() -> QuerySet[Ticket]:
    """Tickets closed before the outer ticket was registered, at most the window before."""
    window = timedelta(days=settings.HOTLINE_REPEAT_WINDOW_DAYS)
    return (
        Ticket.objects.filter(
            closed_at__isnull=False,
            closed_at__lte=OuterRef("received_at"),
            closed_at__gte=OuterRef("received_at") - window,
            received_at__lt=OuterRef("received_at"),
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(status=TicketStatus.MERGED)
    )


def _same_reporter() -> Q:
    by_phone = _earlier_closed().filter(reporter_phone_index=OuterRef("reporter_phone_index"))
    by_account = _earlier_closed().filter(reporter_user_id=OuterRef("reporter_user_id"))
    return Exists(by_phone.exclude(reporter_phone_index="")) | Exists(
        by_account.filter(reporter_user_id__isnull=False)
    )


@dataclass(frozen=True)
class _Point:
    pk: int
    received_at: datetime
    closed_at: datetime | None
    category_id: int
    latitude: float
    longitude: float


def _repeat_complaints(masters: QuerySet[Ticket]) -> tuple[int, int]:
    """(complaints, repeats) in two queries: the complaints, each flagged when an earlier
    ticket of the same reporter qualifies (an indexed subquery on the blind index); then the
    tickets closed in the window before them, in the complaints' categories, matched to the
    remaining placed complaints in Python on a grid of radius-sized cells (the database has no
    spatial index here, and a per-complaint subquery scanned whole categories)."""
    rows = list(
        masters.filter(ticket_type=TicketType.COMPLAINT)
        .annotate(by_reporter=ExpressionWrapper(_same_reporter(), output_field=BooleanField()))
        .values_list("pk", "received_at", "category_id", "latitude", "longitude", "by_reporter")
    )
    repeats = sum(1 for row in rows if row[5])
    placed: list[_Point] = []
    for pk, at, category_id, latitude, longitude, by_reporter in rows:
        if not by_reporter and latitude is not None and longitude is not None:
            placed.append(_Point(pk, at, None, category_id, latitude, longitude))
    if not placed:
        return len(rows), repeats
    window = timedelta(days=settings.HOTLINE_REPEAT_WINDOW_DAYS)
    radius = float(settings.HOTLINE_REPEAT_RADIUS_M)
    cell = math.degrees(radius / EARTH_RADIUS_M)  # a cell is at least the radius across
    cell_lng = cell / math.cos(math.radians(60))  # …at every latitude of China (≤ 55°)
    grid: dict[tuple[int, int, int], list[_Point]] = defaultdict(list)
    closed = (
        Ticket.objects.filter(
            closed_at__gte=min(p.received_at for p in placed) - window,
            closed_at__lte=max(p.received_at for p in placed),
            category_id__in={p.category_id for p in placed},
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .exclude(status=TicketStatus.MERGED)
        .values_list("pk", "received_at", "closed_at", "category_id", "latitude", "longitude")
    )
    for pk, at, closed_at, category_id, latitude, longitude in closed.iterator():
        if latitude is None or longitude is None:
            continue  # filtered out above; for the type checker
        key = (category_id, math.floor(latitude / cell), math.floor(longitude / cell_lng))
        grid[key].append(_Point(pk, at, closed_at, category_id, latitude, longitude))
    for point in placed:
        row, column = math.floor(point.latitude / cell), math.floor(point.longitude / cell_lng)
        if any(
            _is_earlier_at_place(earlier, point, window, radius)
            for d_row in (-1, 0, 1)
            for d_column in (-1, 0, 1)
            for earlier in grid.get((point.category_id, row + d_row, column + d_column), ())
        ):
            repeats += 1
    return len(rows), repeats


def _is_earlier_at_place(earlier: _Point, point: _Point, window: timedelta, radius: float) -> bool:
    assert earlier.closed_at is not None
    return (
        earlier.pk != point.pk
        and earlier.received_at < point.received_at
        and point.received_at - window <= earlier.closed_at <= point.received_at
        and distance_m(earlier.longitude, earlier.latitude, point.longitude, point.latitude)
        <= radius
    )


def hotline_metrics(filters: MetricFilters, *, now: datetime | None = None) -> HotlineMetrics:
    """Every metric for the tickets received in [start, end) matching the filters, in four
    aggregate queries and the two of the repeat complaints."""
    now = now or timezone.now()
    tickets = _tickets(filters)
    masters = tickets.exclude(status=TicketStatus.MERGED)
    dispatched = Q(dispatched_at__isnull=False)
    replied_ever = Q(replied_on_time__isnull=False)
    due = dispatched & (Q(handling_due_at__lte=now) | replied_ever)
    needs_callback = replied_ever & Q(reply_wanted=True) & ~Q(reporter_phone_index="") & dispatched
    counts = tickets.aggregate(registered=Count("pk"))
    handling = masters.aggregate(
        direct=Count("pk", filter=Q(direct_answer=True)),
        due=Count("pk", filter=due),
        replied=Count("pk", filter=due & replied_ever),
        on_time=Count("pk", filter=due & Q(replied_on_time=True)),
        needs_callback=Count("pk", filter=needs_callback),
        called_back=Count("pk", filter=needs_callback & Q(callback_at__isnull=False)),
        rated=Count("pk", filter=~Q(satisfaction="")),
        satisfied=Count("pk", filter=Q(satisfaction__in=list(SATISFIED_LEVELS))),
        reached=Count("pk", filter=Q(callback_contacted=True)),
        resolved=Count("pk", filter=Q(callback_contacted=True, resolution=Resolution.RESOLVED)),
        partly=Count("pk", filter=Q(callback_contacted=True, resolution=Resolution.PARTLY)),
        replied_ever=Count("pk", filter=replied_ever & dispatched),
        reworked=Count("pk", filter=Q(rework_count__gt=0)),
    )
    assignments = TicketAssignment.objects.filter(ticket__in=masters.values("pk")).aggregate(
        total=Count("pk"),
        on_time=Count("pk", filter=Q(signed_at__isnull=False, signed_at__lte=F("sign_due_at"))),
    )
    complaints, repeats = _repeat_complaints(masters)
    contacts = UnregisteredContact.objects.filter(at__gte=filters.start, at__lt=filters.end)
    if filters.channel:
        contacts = contacts.filter(channel=filters.channel)
    # Calls that never became a ticket have no unit, category or place: only the whole
    # (channel-filtered) centre's figures count them.
    unregistered_valid = (
        contacts.exclude(kind__in=list(INVALID_CONTACT_KINDS)).count()
        if filters.department_id is None and filters.category_id is None and not filters.region_code
        else 0
    )
    registered = counts["registered"]
    valid_contacts = registered + unregistered_valid
    return HotlineMetrics(
        registered=registered,
        valid_contacts=valid_contacts,
        acceptance=_rate(registered, valid_contacts),
        direct_answer=_rate(handling["direct"], registered),
        reply=_rate(handling["replied"], handling["due"]),
        timely_viewing=_rate(assignments["on_time"], assignments["total"]),
        on_time_completion=_rate(handling["on_time"], handling["due"]),
        callback=_rate(handling["called_back"], handling["needs_callback"]),
        satisfaction=_rate(handling["satisfied"], handling["rated"]),
        resolution=_rate(
            handling["resolved"] + PARTLY_RESOLVED_WEIGHT * handling["partly"], handling["reached"]
        ),
        rework=_rate(handling["reworked"], handling["replied_ever"]),
        repeat_complaint=_rate(repeats, complaints),
    )
