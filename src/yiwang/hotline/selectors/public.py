"""Public reads of the hotline, for the Open311 GeoReport v2 endpoint: public services
(categories), public tickets and their public updates. Nothing here carries reporter data, and
no confidential, 举报 or enterprise ticket is ever returned, whatever `Ticket.is_public` says."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from yiwang.hotline.models import Category, Ticket, TicketAttachment, TicketStep
from yiwang.hotline.workflow import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    Channel,
    TicketType,
)
from yiwang.platform.errors import NotFound

# GeoReport v2: at most 1000 requests per answer.
PUBLIC_REQUESTS_MAX = 1000


@dataclass(frozen=True)
class Attribute:
    """An intake question as a GeoReport v2 service attribute."""

    code: str
    description: str
    datatype: str
    required: bool
    datatype_description: str
    order: int
    variable: bool
    values: list[tuple[str, str]]


ATTRIBUTE_DATATYPES = frozenset(
    {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
)


def category_attributes(category: Category) -> list[Attribute]:
    """The category's `questions` as attributes, ordered 1, 2, 3 … (unique, as the spec wants).

    A question is a dict: `code` (required), `description` (or `label`), `datatype` (one of the
    six GeoReport types, default `string`), `required`, `datatype_description`, `order`,
    `variable` (default true), `values` (a list of `{key, name}` or of plain strings)."""
    raw = [q for q in category.questions if isinstance(q, dict) and (q.get("code") or q.get("key"))]
    raw.sort(key=lambda q: (int(q.get("order") or 0), str(q.get("code") or q.get("key"))))
    attributes = []
    for position, question in enumerate(raw, start=1):
        datatype = str(question.get("datatype") or "string")
        if datatype not in ATTRIBUTE_DATATYPES:
            datatype = "string"
        values: list[tuple[str, str]] = []
        for value in question.get("values") or []:
            if isinstance(value, dict):
                key = str(value.get("key", ""))
                values.append((key, str(value.get("name") or key)))
            else:
                values.append((str(value), str(value)))
        attributes.append(
            Attribute(
                code=str(question.get("code") or question.get("key")),
                description=str(
                    question.get("description") or question.get("label") or question.get("code")
                ),
                datatype=datatype,
                required=bool(question.get("required", False)),
                datatype_description=str(question.get("datatype_description") or ""),
                order=position,
                variable=bool(question.get("variable", True)),
                values=values,
            )
        )
    return attributes


def public_services() -> QuerySet[Category]:
    """Public, active categories, with their parents for the `group` (the top level)."""
    return (
        Category.objects.filter(is_public=True, is_active=True)
        .select_related("parent", "parent__parent")
        .order_by("code")
    )


def public_service(code: str) -> Category:
    category = public_services().filter(code=code).first()
    if category is None:
        raise NotFound("没有这个服务代码。")
    return category


def category_group(category: Category) -> Category:
    """The top-level category (GeoReport `group`)."""
    current = category
    while current.parent is not None:
        current = current.parent
    return current


def public_tickets() -> QuerySet[Ticket]:
    """Tickets anyone may see. `is_public` is set at intake; the other conditions are repeated
    here so that a ticket made confidential later, or any 举报 / enterprise ticket, never leaks."""
    return Ticket.objects.filter(
        is_public=True,
        confidential=False,
        anonymous=False,
        enterprise__isnull=True,
        category__is_public=True,
    ).exclude(Q(ticket_type=TicketType.REPORT) | Q(channel=Channel.ENTERPRISE))


def _with_relations(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    photos = TicketAttachment.objects.exclude(public_file="").order_by("uploaded_at", "id")
    return tickets.select_related(
        "category", "category__parent", "category__parent__parent", "lead_department"
    ).prefetch_related(Prefetch("attachments", queryset=photos, to_attr="public_photos"))


@dataclass(frozen=True)
class RequestQuery:
    """GeoReport `GET requests` filters (already parsed). `numbers` overrides all the others."""

    numbers: Sequence[str] = ()
    service_codes: Sequence[str] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: Sequence[str] = ()  # "open", "closed"
    bbox: tuple[float, float, float, float] | None = None  # min lng, min lat, max lng, max lat
    text: str = ""
    offset: int = 0
    limit: int = PUBLIC_REQUESTS_MAX


def public_requests(query: RequestQuery) -> list[Ticket]:
    """Public tickets matching the query, newest first; never more than the cap. Two queries."""
    tickets = public_tickets()
    if query.numbers:
        tickets = tickets.filter(number__in=list(query.numbers))
    else:
        if query.service_codes:
            tickets = tickets.filter(category__code__in=list(query.service_codes))
        if query.start is not None:
            tickets = tickets.filter(received_at__gte=query.start)
        if query.end is not None:
            tickets = tickets.filter(received_at__lte=query.end)
        statuses = set(query.statuses)
        if statuses == {"open"}:
            tickets = tickets.filter(status__in=list(OPEN_STATUSES))
        elif statuses == {"closed"}:
            tickets = tickets.filter(status__in=list(TERMINAL_STATUSES))
        if query.bbox is not None:
            min_lng, min_lat, max_lng, max_lat = query.bbox
            tickets = tickets.filter(
                longitude__gte=min_lng,
                longitude__lte=max_lng,
                latitude__gte=min_lat,
                latitude__lte=max_lat,
            )
        if query.text:
            tickets = tickets.filter(
                Q(title__icontains=query.text) | Q(content__icontains=query.text)
            )
    limit = max(0, min(query.limit, PUBLIC_REQUESTS_MAX))
    ordered = _with_relations(tickets).order_by("-received_at", "-id")
    return list(ordered[query.offset : query.offset + limit])


def public_request(number: str) -> Ticket:
    ticket = _with_relations(public_tickets()).filter(number=number).first()
    if ticket is None:
        raise NotFound("没有这个服务请求。")
    return ticket


def public_request_updates(*, start: datetime, end: datetime) -> list[TicketStep]:
    """Public steps of public tickets in [start, end], oldest first (FixMyStreet
    `servicerequestupdates`); never more than the cap."""
    steps = (
        TicketStep.objects.filter(
            is_public=True, at__gte=start, at__lte=end, ticket__in=public_tickets()
        )
        .select_related("ticket", "department")
        .order_by("at", "id")
    )
    return list(steps[:PUBLIC_REQUESTS_MAX])


def public_request_steps(tickets: Sequence[Ticket]) -> dict[int, list[TicketStep]]:
    """The public steps of each ticket, oldest first, in one query (for `extensions=true`:
    the attribute answers are on the registration step, the notes are all of them)."""
    by_ticket: dict[int, list[TicketStep]] = {ticket.pk: [] for ticket in tickets}
    if not by_ticket:
        return by_ticket
    steps = (
        TicketStep.objects.filter(ticket_id__in=list(by_ticket), is_public=True)
        .select_related("department")
        .order_by("at", "id")
    )
    for step in steps:
        by_ticket[step.ticket_id].append(step)
    return by_ticket


def public_photo(attachment_id: int) -> TicketAttachment:
    """A photo's public copy (EXIF stripped, faces and plates blurred), only while its ticket
    is public; the sealed original never."""
    photo = (
        TicketAttachment.objects.filter(pk=attachment_id, ticket__in=public_tickets())
        .exclude(public_file="")
        .first()
    )
    if photo is None:
        raise NotFound("没有这张照片。")
    return photo


def first_public_photo(ticket: Ticket) -> TicketAttachment | None:
    """The reporter's first photo, EXIF stripped (from `public_requests` / `public_request`)."""
    photos: list[TicketAttachment] = getattr(ticket, "public_photos", [])
    return photos[0] if photos else None


def request_is_open(ticket: Ticket) -> bool:
    return ticket.status not in TERMINAL_STATUSES
