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
repeat when it was marked so at registration (`Ticket.repeat_of`, decided once by
`hotline/selectors/repeats.py`: an earlier ticket, of any type, not merged, closed at most
`HOTLINE_REPEAT_WINDOW_DAYS` days before, from the same phone or account, or in the same leaf
category within `HOTLINE_REPEAT_RADIUS_M` metres). The count is the rate's numerator, the
complaints its denominator; both are counts in the same aggregate as the other metrics.

Grouped figures (`hotline_metrics_by`): the metrics of every unit, top-level category or county
at once, in one GROUP BY per table, equal to `hotline_metrics` with that group's filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

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


def _rate(numerator: int | Decimal, denominator: int) -> Rate:
    return Rate(Decimal(numerator), denominator)


Dimension = Literal["department", "category", "region"]
# The county a ticket lies in: the first six digits of its region code (GB/T 2260).
COUNTY_CODE_LENGTH = 6


def _ticket_q(filters: MetricFilters, prefix: str = "") -> Q:
    """The tickets of the period and filters, as a condition on `prefix` + the ticket's fields
    (`"ticket__"` from an assignment)."""

    def q(lookup: str, value: object) -> Q:
        return Q(**{prefix + lookup: value})

    condition = q("received_at__gte", filters.start) & q("received_at__lt", filters.end)
    if filters.department_id is not None:
        condition &= q("lead_department_id", filters.department_id)
    if filters.category_id is not None:
        condition &= (
            q("category_id", filters.category_id)
            | q("category__parent_id", filters.category_id)
            | q("category__parent__parent_id", filters.category_id)
        )
    if filters.channel:
        condition &= q("channel", filters.channel)
    if filters.region_code:
        condition &= q("region_code__startswith", region_code_prefix(filters.region_code))
    return condition


def _tickets(filters: MetricFilters) -> QuerySet[Ticket]:
    return Ticket.objects.filter(_ticket_q(filters))


def _assignments(filters: MetricFilters) -> QuerySet[TicketAssignment]:
    """The unit assignments of the master tickets (merged duplicates left out)."""
    return TicketAssignment.objects.filter(_ticket_q(filters, "ticket__")).exclude(
        ticket__status=TicketStatus.MERGED
    )


def _ticket_counts(now: datetime) -> dict[str, Count]:
    """Every ticket count the metrics need, for one aggregate (or one GROUP BY). Volume counts
    every ticket; the handling counts only masters."""
    master = ~Q(status=TicketStatus.MERGED)
    dispatched = Q(dispatched_at__isnull=False)
    replied_ever = Q(replied_on_time__isnull=False)
    due = master & dispatched & (Q(handling_due_at__lte=now) | replied_ever)
    needs_callback = (
        master & replied_ever & Q(reply_wanted=True) & ~Q(reporter_phone_index="") & dispatched
    )
    reached = master & Q(callback_contacted=True)
    complaint = master & Q(ticket_type=TicketType.COMPLAINT)
    return {
        "registered": Count("pk"),
        "direct": Count("pk", filter=master & Q(direct_answer=True)),
        "due": Count("pk", filter=due),
        "replied": Count("pk", filter=due & replied_ever),
        "on_time": Count("pk", filter=due & Q(replied_on_time=True)),
        "needs_callback": Count("pk", filter=needs_callback),
        "called_back": Count("pk", filter=needs_callback & Q(callback_at__isnull=False)),
        "rated": Count("pk", filter=master & ~Q(satisfaction="")),
        "satisfied": Count("pk", filter=master & Q(satisfaction__in=list(SATISFIED_LEVELS))),
        "reached": Count("pk", filter=reached),
        "resolved": Count("pk", filter=reached & Q(resolution=Resolution.RESOLVED)),
        "partly": Count("pk", filter=reached & Q(resolution=Resolution.PARTLY)),
        "replied_ever": Count("pk", filter=master & replied_ever & dispatched),
        "reworked": Count("pk", filter=master & Q(rework_count__gt=0)),
        "complaints": Count("pk", filter=complaint),
        "repeats": Count("pk", filter=complaint & Q(repeat_of__isnull=False)),
    }


def _assignment_counts() -> dict[str, Count]:
    return {
        "assignments": Count("pk"),
        "signed_on_time": Count(
            "pk", filter=Q(signed_at__isnull=False, signed_at__lte=F("sign_due_at"))
        ),
    }


def _metrics(
    counts: Mapping[str, int], assignments: Mapping[str, int], unregistered_valid: int
) -> HotlineMetrics:
    def n(key: str) -> int:
        return counts.get(key) or 0

    registered = n("registered")
    valid_contacts = registered + unregistered_valid
    return HotlineMetrics(
        registered=registered,
        valid_contacts=valid_contacts,
        acceptance=_rate(registered, valid_contacts),
        direct_answer=_rate(n("direct"), registered),
        reply=_rate(n("replied"), n("due")),
        timely_viewing=_rate(
            assignments.get("signed_on_time") or 0, assignments.get("assignments") or 0
        ),
        on_time_completion=_rate(n("on_time"), n("due")),
        callback=_rate(n("called_back"), n("needs_callback")),
        satisfaction=_rate(n("satisfied"), n("rated")),
        resolution=_rate(n("resolved") + PARTLY_RESOLVED_WEIGHT * n("partly"), n("reached")),
        rework=_rate(n("reworked"), n("replied_ever")),
        repeat_complaint=_rate(n("repeats"), n("complaints")),
    )


def hotline_metrics(filters: MetricFilters, *, now: datetime | None = None) -> HotlineMetrics:
    """Every metric for the tickets received in [start, end) matching the filters, in two
    aggregate queries (tickets, assignments) and, for the whole centre, the unregistered calls."""
    now = now or timezone.now()
    counts = _tickets(filters).aggregate(**_ticket_counts(now))
    assignments = _assignments(filters).aggregate(**_assignment_counts())
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
    return _metrics(counts, assignments, unregistered_valid)


def _group_key(dimension: Dimension, prefix: str = "") -> Combinable:
    if dimension == "department":
        return F(prefix + "lead_department_id")
    if dimension == "category":
        # The top-level category: categories are at most three levels deep.
        return Coalesce(
            F(prefix + "category__parent__parent_id"),
            F(prefix + "category__parent_id"),
            F(prefix + "category_id"),
        )
    return Substr(prefix + "region_code", 1, COUNTY_CODE_LENGTH)


def hotline_metrics_by(
    filters: MetricFilters, dimension: Dimension, *, now: datetime | None = None
) -> dict[int | str, HotlineMetrics]:
    """The metrics of every group of one dimension, in two GROUP BY queries, each group's equal
    to `hotline_metrics` with the filters plus that group's: "department" by lead unit id,
    "category" by top-level category id, "region" by county code (the region code's first six
    digits). Only groups with tickets are listed (`empty_metrics()` stands for the others);
    tickets without a lead unit have no department group. A group always narrows by unit,
    category or place, so unregistered calls never count in it."""
    now = now or timezone.now()
    ticket_rows = (
        _tickets(filters)
        .annotate(group_key=_group_key(dimension))
        .values("group_key")
        .annotate(**_ticket_counts(now))
        .order_by()
    )
    assignment_rows = (
        _assignments(filters)
        .annotate(group_key=_group_key(dimension, "ticket__"))
        .values("group_key")
        .annotate(**_assignment_counts())
        .order_by()
    )
    assignments = {row["group_key"]: row for row in assignment_rows}
    return {
        row["group_key"]: _metrics(row, assignments.get(row["group_key"], {}), 0)
        for row in ticket_rows
        if row["group_key"] is not None
    }


def empty_metrics() -> HotlineMetrics:
    """The metrics of a group without tickets (and without unregistered calls)."""
    return _metrics({}, {}, 0)
