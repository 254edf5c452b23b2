"""Reads about accounts and people. `*_for_<actor>` selectors check permission and raise
`NotFound` for both missing and forbidden objects."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from yiwang.identity.models import (
    AgentAuthorisation,
    Enterprise,
    Person,
    RealNameVerification,
    StaffMembership,
    User,
    VerificationOutcome,
)
from yiwang.platform.crypto import blind_index
from yiwang.platform.errors import NotFound


def user_is_staff_member(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_staff) or StaffMembership.objects.filter(user=user, is_active=True).exists()


def user_needs_second_factor_setup(user: User | AnonymousUser) -> bool:
    """Staff must have a TOTP authenticator before they can do anything else."""
    if not user_is_staff_member(user):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_by_phone(phone: str) -> User | None:
    """Exact look-up through the blind index; `phone` must already be normalised (+86...)."""
    return User.objects.filter(phone_index=blind_index(phone, purpose="phone")).first()


def person_by_citizen_id(citizen_id: str) -> Person | None:
    return (
        Person.objects.filter(citizen_id_index=blind_index(citizen_id, purpose="citizen_id"))
        .select_related("user")
        .first()
    )


def person_of(user: User | AnonymousUser) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def failed_verifications_today(user: User) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return RealNameVerification.objects.filter(
        user=user, outcome=VerificationOutcome.FAILED, created_at__gte=start
    ).count()


def verifications_for_user(user: User, *, limit: int = 20) -> list[RealNameVerification]:
    return list(RealNameVerification.objects.filter(user=user).order_by("-created_at")[:limit])


def _active_agency_filter(today: date) -> Q:
    return Q(
        agencies__revoked_at__isnull=True,
        agencies__valid_from__lte=today,
        agencies__valid_to__gte=today,
    )


def enterprise_representable_by(
    enterprise: Enterprise, user: User, *, as_legal_representative: bool = False
) -> bool:
    """Whether `user` may act for `enterprise` today (as its legal representative or an agent)."""
    person = person_of(user)
    if person is None:
        return False
    if enterprise.legal_representative_id == person.pk:
        return True
    if as_legal_representative:
        return False
    today = timezone.localdate()
    return AgentAuthorisation.objects.filter(
        enterprise=enterprise,
        agent=person,
        revoked_at__isnull=True,
        valid_from__lte=today,
        valid_to__gte=today,
    ).exists()


def enterprises_for_user(user: User | AnonymousUser) -> list[Enterprise]:
    """Enterprises the user may act for today: as legal representative or as an agent."""
    person = person_of(user)
    if person is None:
        return []
    today = timezone.localdate()
    agent_of = AgentAuthorisation.objects.filter(
        agent=person, revoked_at__isnull=True, valid_from__lte=today, valid_to__gte=today
    ).values("enterprise_id")
    return list(
        Enterprise.objects.filter(Q(legal_representative=person) | Q(pk__in=agent_of))
        .select_related("legal_representative")
        .order_by("name")
    )


def enterprise_for_user(user: User | AnonymousUser, enterprise_id: int) -> Enterprise:
    """One enterprise the user may act for; missing and forbidden both raise `NotFound`."""
    for enterprise in enterprises_for_user(user):
        if enterprise.pk == enterprise_id:
            return enterprise
    raise NotFound()


def agents_of_enterprise_for_user(
    user: User | AnonymousUser, enterprise_id: int
) -> list[AgentAuthorisation]:
    """The enterprise's agent authorisations, for its legal representative only."""
    enterprise = enterprise_for_user(user, enterprise_id)
    person = person_of(user)
    if person is None or enterprise.legal_representative_id != person.pk:
        raise NotFound()
    return list(
        AgentAuthorisation.objects.filter(enterprise=enterprise)
        .select_related("agent")
        .order_by("-authorised_at")
    )


def agent_authorisation_for_user(
    user: User | AnonymousUser, authorisation_id: int
) -> AgentAuthorisation:
    person = person_of(user)
    if person is None:
        raise NotFound()
    authorisation = (
        AgentAuthorisation.objects.filter(
            pk=authorisation_id, enterprise__legal_representative=person
        )
        .select_related("enterprise", "agent")
        .first()
    )
    if authorisation is None:
        raise NotFound()
    return authorisation


def staff_memberships_of(user: User | AnonymousUser) -> list[StaffMembership]:
    if not user.is_authenticated:
        return []
    return list(
        StaffMembership.objects.filter(user=user, is_active=True)
        .select_related("department")
        .order_by("department__name", "role")
    )


# Within one web request a user's memberships are read once: the admin's sidebar alone asks
# every registered model admin for permissions, each of which asks about roles. The request's
# middleware opens the scope (`memberships_cached`); outside it (tasks, shells, most tests)
# nothing is cached.
_request_memberships: ContextVar[dict[int, frozenset[tuple[str, int]]] | None] = ContextVar(
    "request_memberships", default=None
)


@contextmanager
def memberships_cached() -> Iterator[None]:
    token = _request_memberships.set({})
    try:
        yield
    finally:
        _request_memberships.reset(token)


def _memberships(user: User) -> frozenset[tuple[str, int]]:
    """The user's active (role, department id) pairs."""
    cache = _request_memberships.get()
    if cache is not None and user.pk in cache:
        return cache[user.pk]
    rows = frozenset(
        StaffMembership.objects.filter(user=user, is_active=True).values_list(
            "role", "department_id"
        )
    )
    if cache is not None:
        cache[user.pk] = rows
    return rows


def user_has_role(
    user: User | AnonymousUser, role: str, *, department_id: int | None = None
) -> bool:
    """Permissions derive from memberships: does the user hold `role` (in that department)?"""
    if not user.is_authenticated:
        return False
    assert isinstance(user, User)
    return any(
        held == role and (department_id is None or held_in == department_id)
        for held, held_in in _memberships(user)
    )


def departments_where(user: User | AnonymousUser, role: str) -> list[int]:
    if not user.is_authenticated:
        return []
    assert isinstance(user, User)
    return sorted(held_in for held, held_in in _memberships(user) if held == role)


def phone_of_citizen(citizen_id: str) -> str:
    """The verified phone of the account whose person holds `citizen_id` ("" if none), for
    notices about things the person holds (licences)."""
    person = person_by_citizen_id(citizen_id)
    if person is None or not person.user.phone_verified:
        return ""
    return person.user.phone


def phone_of_enterprise(uscc: str) -> str:
    """The verified phone of the enterprise's legal representative ("" if none)."""
    enterprise = (
        Enterprise.objects.filter(uscc=uscc).select_related("legal_representative__user").first()
    )
    if enterprise is None:
        return ""
    user = enterprise.legal_representative.user
    return user.phone if user.phone_verified else ""
