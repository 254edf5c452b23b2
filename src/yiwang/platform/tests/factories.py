"""Test data for the platform. Users come from AUTH_USER_MODEL: the platform imports no context."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from yiwang.platform.validators import make_citizen_id, make_uscc

_numbers = count(1)


def make_user(**extra: Any) -> Any:
    return get_user_model().objects.create_user(f"user{next(_numbers)}", "pw-123456", **extra)


def make_administrator(**extra: Any) -> Any:
    """A staff account that has set up its second factor (the middleware demands one)."""
    user = make_user(is_staff=True, **extra)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def citizen_id(sequence: int = 2, *, region: str = "350402", born: date | None = None) -> str:
    return make_citizen_id(region, born or date(1990, 5, 17), sequence)


def uscc(body: str = "M000100Y", *, region: str = "350400") -> str:
    return make_uscc("9", "1", region, body)
