"""Shared by the hotline pages: the signed-in user, service refusals shown on forms, paging."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from yiwang.identity.models import User
from yiwang.platform.errors import DomainError, InvalidInput


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def apply_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form, beside the field it concerns when known."""
    for item in error.errors:
        form.add_error(item.field if item.field in form.fields else None, item.message)
    if not error.errors:
        form.add_error(None, error.message)


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "").strip()
    if not raw:
        return 1
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInput("页码应为正整数。", code="page_invalid")
    return min(int(raw), 10_000)


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
