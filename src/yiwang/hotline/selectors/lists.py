"""Work lists for the hotline pages: every list paginated, each row with its clock; the caller's
history by phone number; knowledge-base search while talking; the category tree as choices.

Lists check who asks: a list a user may not see is `NotFound`, like a ticket they may not see.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TypeVar

import jieba
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

from yiwang.hotline.models import (
    Category,
    ExtensionRequest,
    KnowledgeArticle,
    Ticket,
    TicketAssignment,
    TicketAttachment,
    TicketStep,
)
from yiwang.hotline.selectors.access import (
    ticket_for_reporter,
    ticket_for_staff,
    tickets_of_reporter,
    tickets_visible_to,
    unit_departments,
    user_is_dispatcher,
    user_is_operator,
)
from yiwang.hotline.workflow import (
    AssignmentRole,
    AssignmentStatus,
    ExtensionStatus,
    TicketStatus,
)
from yiwang.identity.models import StaffRole, User
from yiwang.identity.selectors import user_has_role
from yiwang.identity.services import phone_normalised
from yiwang.org.models import Department
from yiwang.platform import paging
from yiwang.platform.crypto import blind_index
from yiwang.platform.errors import InvalidInput, NotFound
from yiwang.platform.paging import PageOf as PageOf  # re-exported: the lists answer it

jieba.setLogLevel(logging.WARNING)

M = TypeVar("M", bound=Model)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# A clock turns amber this long before its due time.
DUE_SOON = timedelta(hours=24)
HISTORY_LIMIT = 10


def paginate(queryset: QuerySet[M], *, page: int, page_size: int = PAGE_SIZE) -> PageOf:
    """One page of a hotline list (at most `MAX_PAGE_SIZE` rows)."""
    return paging.paginate(queryset, page=page, page_size=page_size, max_page_size=MAX_PAGE_SIZE)


# The clock: where a due time stands now. The page says it in words too, never colour alone.
CLOCK_NONE = "none"
CLOCK_OK = "ok"
CLOCK_SOON = "soon"
CLOCK_OVERDUE = "overdue"


def clock_state(due_at: datetime | None, *, now: datetime | None = None) -> str:
    if due_at is None:
        return CLOCK_NONE
    now = now or timezone.now()
    if now > due_at:
        return CLOCK_OVERDUE
    if due_at - now <= DUE_SOON:
        return CLOCK_SOON
    return CLOCK_OK


@dataclass(frozen=True)
class Row:
    """A ticket or assignment in a work list, with the due time that matters for it now."""

    ticket: Ticket
    due_at: datetime | None
    clock: str
    assignment: TicketAssignment | None = None
    extension: ExtensionRequest | None = None


def _rows_of_tickets(page: PageOf, due_field: str) -> PageOf:
    now = timezone.now()
    rows = [
        Row(
            ticket=t,
            due_at=getattr(t, due_field),
            clock=clock_state(getattr(t, due_field), now=now),
        )
        for t in page.rows
    ]
    return PageOf(rows=rows, total=page.total, page=page.page, page_size=page.page_size)


def _require_dispatcher(user: User | AnonymousUser) -> None:
    if not user_is_dispatcher(user):
        raise NotFound()


def _require_operator(user: User | AnonymousUser) -> None:
    if not user_is_operator(user):
        raise NotFound()


def _ticket_list() -> QuerySet[Ticket]:
    return Ticket.objects.select_related("category", "lead_department")


def tickets_to_dispatch(user: User | AnonymousUser, *, page: int = 1) -> PageOf:
    """Received tickets waiting for a dispatcher (returned ones included), soonest due first."""
    _require_dispatcher(user)
    queryset = _ticket_list().filter(status=TicketStatus.RECEIVED, master__isnull=True)
    queryset = queryset.order_by("dispatch_due_at", "received_at", "id")
    return _rows_of_tickets(paginate(queryset, page=page), "dispatch_due_at")


def tickets_to_review(user: User | AnonymousUser, *, page: int = 1) -> PageOf:
    """Replied tickets waiting for the hotline reviewer."""
    _require_dispatcher(user)
    queryset = _ticket_list().filter(status=TicketStatus.REPLIED).order_by("replied_at", "id")
    return _rows_of_tickets(paginate(queryset, page=page), "callback_due_at")


def callbacks_due(user: User | AnonymousUser, *, page: int = 1) -> PageOf:
    """Reviewed tickets whose reporter is to be called back, soonest due first (a callback
    moves the ticket on, so every reviewed ticket is still waiting for one)."""
    _require_operator(user)
    queryset = _ticket_list().filter(status=TicketStatus.REVIEWED).order_by("callback_due_at", "id")
    return _rows_of_tickets(paginate(queryset, page=page), "callback_due_at")


def extensions_pending(user: User | AnonymousUser, *, page: int = 1) -> PageOf:
    """Extension requests waiting for the hotline centre's decision."""
    _require_dispatcher(user)
    queryset = (
        ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING)
        .select_related("assignment__ticket__category", "assignment__department")
        .order_by("requested_at", "id")
    )
    found = paginate(queryset, page=page)
    now = timezone.now()
    rows = [
        Row(
            ticket=r.assignment.ticket,
            due_at=r.assignment.handling_due_at,
            clock=clock_state(r.assignment.handling_due_at, now=now),
            assignment=r.assignment,
            extension=r,
        )
        for r in found.rows
    ]
    return PageOf(rows=rows, total=found.total, page=found.page, page_size=found.page_size)


def extension_for_dispatcher(user: User | AnonymousUser, request_id: int) -> ExtensionRequest:
    _require_dispatcher(user)
    found = ExtensionRequest.objects.filter(pk=request_id).select_related("assignment").first()
    if found is None:
        raise NotFound()
    return found


def dispatch_counts(user: User | AnonymousUser) -> dict[str, int]:
    """How many wait in each of the dispatcher's lists (for the tabs)."""
    _require_dispatcher(user)
    return {
        "received": Ticket.objects.filter(
            status=TicketStatus.RECEIVED, master__isnull=True
        ).count(),
        "review": Ticket.objects.filter(status=TicketStatus.REPLIED).count(),
        "callback": Ticket.objects.filter(status=TicketStatus.REVIEWED).count(),
        "extensions": ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).count(),
    }


UNIT_OPEN = (AssignmentStatus.DISPATCHED, AssignmentStatus.SIGNED, AssignmentStatus.HANDLING)


def assignment_due(assignment: TicketAssignment) -> datetime:
    """Before signing, the sign-for due time counts; after, the handling due time."""
    if assignment.status == AssignmentStatus.DISPATCHED:
        return assignment.sign_due_at
    return assignment.handling_due_at


def unit_work(user: User | AnonymousUser, *, page: int = 1, status: str = "") -> PageOf:
    """The active assignments of the user's departments still to sign or handle."""
    departments = unit_departments(user)
    if not departments:
        raise NotFound()
    wanted = [status] if status in UNIT_OPEN else list(UNIT_OPEN)
    queryset = (
        TicketAssignment.objects.filter(
            department_id__in=departments, is_active=True, status__in=wanted
        )
        .select_related("ticket__category", "department")
        .order_by("handling_due_at", "id")
    )
    found = paginate(queryset, page=page)
    now = timezone.now()
    rows = []
    for assignment in found.rows:
        due = assignment_due(assignment)
        rows.append(
            Row(
                ticket=assignment.ticket,
                due_at=due,
                clock=clock_state(due, now=now),
                assignment=assignment,
            )
        )
    return PageOf(rows=rows, total=found.total, page=found.page, page_size=found.page_size)


def reporter_tickets(user: User | AnonymousUser, *, page: int = 1) -> PageOf:
    """My tickets (as a person or for my enterprises), newest first."""
    queryset = tickets_of_reporter(user).select_related("category").order_by("-received_at", "-id")
    return paginate(queryset, page=page)


def leader_tickets(user: User | AnonymousUser, *, page: int = 1) -> PageOf:
    """Enterprise requests flagged for a leader, unread first."""
    if not user_has_role(user, StaffRole.LEADER):
        raise NotFound()
    queryset = (
        _ticket_list()
        .filter(flag_for_leader=True)
        .order_by(F("leader_read_at").asc(nulls_first=True), "-received_at", "-id")
    )
    return _rows_of_tickets(paginate(queryset, page=page), "handling_due_at")


def ticket_for_leader(user: User | AnonymousUser, ticket_id: int) -> Ticket:
    if not user_has_role(user, StaffRole.LEADER):
        raise NotFound()
    ticket = ticket_for_staff(user, ticket_id)
    if not ticket.flag_for_leader:
        raise NotFound()
    return ticket


def ticket_by_number_for_staff(user: User | AnonymousUser, number: str) -> Ticket | None:
    """A ticket the user may see, by its number (for merging under a master)."""
    if not number:
        return None
    return tickets_visible_to(user).filter(number=number).first()


def ticket_steps(ticket: Ticket, *, public_only: bool) -> list[TicketStep]:
    steps = TicketStep.objects.filter(ticket=ticket).select_related("department")
    if public_only:
        steps = steps.filter(is_public=True)
    return list(steps.order_by("at", "id"))


def ticket_assignments(ticket: Ticket) -> list[TicketAssignment]:
    """Every unit's part, active first, the lead before co-handlers."""
    return list(
        TicketAssignment.objects.filter(ticket=ticket)
        .select_related("department")
        .prefetch_related("extension_requests")
        .order_by("-is_active", "role", "dispatched_at", "id")
    )


def ticket_lead_assignment(ticket: Ticket) -> TicketAssignment | None:
    return (
        TicketAssignment.objects.filter(ticket=ticket, role=AssignmentRole.LEAD, is_active=True)
        .select_related("department")
        .first()
    )


def ticket_attachments(ticket: Ticket) -> list[TicketAttachment]:
    return list(TicketAttachment.objects.filter(ticket=ticket).order_by("uploaded_at", "id"))


def attachment_for_viewer(
    user: User | AnonymousUser, attachment_id: int, *, original: bool
) -> TicketAttachment:
    """The public copy for the reporter and staff who see the ticket; the sealed original for
    hotline staff and units that see the ticket only."""
    attachment = TicketAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    try:
        ticket_for_staff(user, attachment.ticket_id)
    except NotFound:
        if original:
            raise
        ticket_for_reporter(user, attachment.ticket_id)
    if not original and not attachment.public_file:
        raise NotFound()
    return attachment


def caller_history(user: User | AnonymousUser, phone: str) -> list[Ticket]:
    """The caller's previous tickets, by the blind index of the normalised number. An
    unreadable number has no history (the form says what is wrong with it)."""
    _require_operator(user)
    try:
        normalised = phone_normalised(phone)
    except InvalidInput:
        return []
    index = blind_index(normalised, purpose="phone")
    return list(
        Ticket.objects.filter(reporter_phone_index=index)
        .select_related("category")
        .order_by("-received_at", "-id")[:HISTORY_LIMIT]
    )


@lru_cache(maxsize=256)
def _query_words(query: str) -> tuple[str, ...]:
    words = {w.strip().lower() for w in jieba.cut_for_search(query) if len(w.strip()) > 1}
    if not words and query.strip():
        words = {query.strip().lower()}
    return tuple(sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class ArticleHit:
    article: KnowledgeArticle
    score: int


def knowledge_search(user: User | AnonymousUser, query: str, *, limit: int = 8) -> list[ArticleHit]:
    """Articles for what the operator typed: jieba words scored over title (3), keywords (2) and
    answer text (1); ties go to the most used."""
    _require_operator(user)
    query = query.strip()[:64]
    if not query:
        return []
    words = _query_words(query)
    condition = Q()
    for word in words:
        condition |= (
            Q(title__icontains=word) | Q(keywords__icontains=word) | Q(body__icontains=word)
        )
    candidates = KnowledgeArticle.objects.filter(condition, is_active=True).select_related(
        "category"
    )[:200]
    hits: list[ArticleHit] = []
    for article in candidates:
        title, keywords, body = (
            article.title.lower(),
            article.keywords.lower(),
            article.body.lower(),
        )
        score = 0
        for word in words:
            score += 3 * (word in title) + 2 * (word in keywords) + (word in body)
        if query.lower() in title:
            score += 5
        if score:
            hits.append(ArticleHit(article=article, score=score))
    hits.sort(key=lambda h: (-h.score, -h.article.use_count, h.article.title))
    return hits[:limit]


def knowledge_article_for_operator(user: User | AnonymousUser, article_id: int) -> KnowledgeArticle:
    _require_operator(user)
    article = (
        KnowledgeArticle.objects.filter(pk=article_id, is_active=True)
        .select_related("category")
        .first()
    )
    if article is None:
        raise NotFound()
    return article


@dataclass(frozen=True)
class CategoryChoice:
    code: str
    label: str
    level: int
    keywords: str


def category_choices() -> list[CategoryChoice]:
    """The active category tree in order, each name indented by its level."""
    categories = list(Category.objects.filter(is_active=True).order_by("code"))
    by_id = {c.pk: c for c in categories}
    ordered: list[Category] = []

    def walk(parent_id: int | None) -> None:
        for category in sorted(
            (c for c in categories if c.parent_id == parent_id), key=lambda c: (c.order, c.code)
        ):
            ordered.append(category)
            walk(category.pk)

    walk(None)
    ordered += [c for c in categories if c not in ordered and c.parent_id not in by_id]
    return [
        CategoryChoice(
            code=c.code,
            label=("　" * (c.level - 1)) + c.name,
            level=c.level,
            keywords=c.keywords,
        )
        for c in ordered
    ]


def category_suggest(text: str) -> Category | None:
    """The category whose name or keywords best match a citizen's description (the deepest
    wins a tie); None when nothing matches."""
    text = text.strip()[:500]
    if not text:
        return None
    best: tuple[int, int] | None = None
    chosen: Category | None = None
    for category in Category.objects.filter(is_active=True).order_by("code"):
        terms = [category.name] + [
            k for k in category.keywords.replace("，", ",").replace(" ", ",").split(",") if k
        ]
        score = sum(len(term) for term in terms if term and term in text)
        if not score:
            for word in _query_words(category.name):
                if word in text:
                    score += 1
        if score and (best is None or (score, category.level) > best):
            best, chosen = (score, category.level), category
    return chosen


def departments_for_dispatch() -> list[Department]:
    """Units a ticket can go to."""
    return list(Department.objects.filter(is_active=True).order_by("level", "name"))
