"""Who may see and do what with tickets. Object-level permission lives here: a ticket a user
may not see is `NotFound`, the same as one that does not exist."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from yiwang.hotline.models import ContactRelease, Ticket, TicketAssignment
from yiwang.hotline.workflow import ALWAYS_CONFIDENTIAL, TicketStatus
from yiwang.identity.models import StaffRole, User
from yiwang.identity.selectors import departments_where, enterprises_for_user, user_has_role
from yiwang.platform.errors import FieldError, InvalidInput, NotFound

UNIT_ROLES = (StaffRole.DEPARTMENT_HANDLER, StaffRole.DEPARTMENT_HEAD)


def user_is_operator(user: User | AnonymousUser) -> bool:
    return user_has_role(user, StaffRole.HOTLINE_OPERATOR) or user_is_dispatcher(user)


def user_is_dispatcher(user: User | AnonymousUser) -> bool:
    return user_has_role(user, StaffRole.DISPATCHER)


def user_sees_all_tickets(user: User | AnonymousUser) -> bool:
    return (
        user_is_operator(user)
        or user_has_role(user, StaffRole.SUPERVISOR)
        or user_has_role(user, StaffRole.LEADER)
        or user_has_role(user, StaffRole.ADMINISTRATOR)
    )


def unit_departments(user: User | AnonymousUser) -> list[int]:
    """Departments in which the user handles tickets."""
    ids: set[int] = set()
    for role in UNIT_ROLES:
        ids.update(departments_where(user, role))
    return sorted(ids)


def tickets_visible_to(user: User | AnonymousUser) -> QuerySet[Ticket]:
    if user_sees_all_tickets(user):
        return Ticket.objects.all()
    departments = unit_departments(user)
    if not departments:
        return Ticket.objects.none()
    assigned = TicketAssignment.objects.filter(department_id__in=departments).values("ticket_id")
    return Ticket.objects.filter(pk__in=assigned)


def tickets_for_staff(
    user: User | AnonymousUser, *, status: str = "", department_id: int | None = None
) -> QuerySet[Ticket]:
    """The staff list: what the user may see, by status and lead unit, newest first."""
    if status and status not in TicketStatus.values:
        raise InvalidInput(errors=[FieldError("status", "工单状态不正确")])
    found = tickets_visible_to(user).select_related("category", "lead_department")
    if status:
        found = found.filter(status=status)
    if department_id is not None:
        found = found.filter(lead_department_id=department_id)
    return found.order_by("-received_at", "-id")


def ticket_for_staff(user: User | AnonymousUser, ticket_id: int) -> Ticket:
    ticket = (
        tickets_visible_to(user)
        .filter(pk=ticket_id)
        .select_related("category", "area", "lead_department", "master")
        .first()
    )
    if ticket is None:
        raise NotFound()
    return ticket


def assignment_for_unit(user: User | AnonymousUser, assignment_id: int) -> TicketAssignment:
    """An active assignment of one of the user's departments, for the unit's actions."""
    assignment = (
        TicketAssignment.objects.filter(
            pk=assignment_id, department_id__in=unit_departments(user), is_active=True
        )
        .select_related("ticket", "ticket__category", "department")
        .first()
    )
    if assignment is None:
        raise NotFound()
    return assignment


def tickets_of_reporter(user: User | AnonymousUser) -> QuerySet[Ticket]:
    """What the user reported, as a person or for an enterprise they represent."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    enterprise_ids = [e.pk for e in enterprises_for_user(user)]
    return Ticket.objects.filter(Q(reporter_user=user) | Q(enterprise_id__in=enterprise_ids))


def ticket_for_reporter(user: User | AnonymousUser, ticket_id: int) -> Ticket:
    ticket = tickets_of_reporter(user).filter(pk=ticket_id).select_related("category").first()
    if ticket is None:
        raise NotFound()
    return ticket


def reporter_hidden(ticket: Ticket) -> bool:
    return ticket.anonymous or ticket.confidential or ticket.ticket_type in ALWAYS_CONFIDENTIAL


def contact_visible_to(user: User | AnonymousUser, ticket: Ticket) -> bool:
    """Hotline staff always see the reporter; a unit only when the ticket is not confidential
    (never for 举报) or the hotline released the contact to that unit."""
    if user_sees_all_tickets(user):
        return True
    if ticket.anonymous:
        return False
    departments = unit_departments(user)
    if not reporter_hidden(ticket):
        return bool(departments)
    return ContactRelease.objects.filter(ticket=ticket, department_id__in=departments).exists()
