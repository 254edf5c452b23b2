"""The staff home: who I am here, what I may do, and what needs my attention."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yiwang.calendars.selectors import missing_next_year_warning
from yiwang.identity import selectors as identity_selectors
from yiwang.identity.models import StaffRole
from yiwang.platform.errors import NotFound


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not identity_selectors.user_is_staff_member(request.user):
        raise NotFound()
    memberships = identity_selectors.staff_memberships_of(request.user)
    roles = sorted({m.role for m in memberships})
    calendar_warning = None
    if request.user.is_superuser or StaffRole.ADMINISTRATOR in roles:
        calendar_warning = missing_next_year_warning(timezone.localdate())
    context = {
        "memberships": memberships,
        "role_labels": [StaffRole(r).label for r in roles],
        "calendar_warning": calendar_warning,
    }
    return render(request, "workbench/home.html", context)
