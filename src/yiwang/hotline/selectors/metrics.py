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

"Dispatched and due": dispatched tickets whose handling due time has passed, or that were
replied already (a reply before the due time counts at once). Reply and on-time completion are
judged on the first reply (`Ticket.replied_on_time`): a rework's new clock does not rewrite
them. Volume counts every contact; handling metrics count master tickets only (merged
duplicates are left out). A rate whose denominator is 0 is None, shown as "—", never 0 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from yiwang.hotline.models import Ticket, TicketAssignment, UnregisteredContact
from yiwang.hotline.workflow import (
    INVALID_CONTACT_KINDS,
    SATISFIED_LEVELS,
    Resolution,
    TicketStatus,
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


def hotline_metrics(filters: MetricFilters, *, now: datetime | None = None) -> HotlineMetrics:
    """Every metric for the tickets received in [start, end) matching the filters, in three
    aggregate queries."""
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
    )
