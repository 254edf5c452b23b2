"""Reads about accounts and people. `*_for_<actor>` selectors check permission and raise
`NotFound` for both missing and forbidden objects."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser

from yiwang.identity.models import StaffMembership, User


def user_is_staff_member(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_staff) or StaffMembership.objects.filter(user=user, is_active=True).exists()


def user_needs_second_factor_setup(user: User | AnonymousUser) -> bool:
    """Staff must have a TOTP authenticator before they can do anything else."""
    if not user_is_staff_member(user):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
