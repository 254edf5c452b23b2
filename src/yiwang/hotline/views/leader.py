"""The leader's list (市领导): enterprise requests flagged for attention, with their progress,
and the reading (阅示) written on one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yiwang.hotline import selectors, services
from yiwang.hotline.views.common import apply_error, page_number, query_without_page, user_of
from yiwang.hotline.views.forms import LeaderReadForm
from yiwang.platform.errors import DomainError


@require_GET
@never_cache
@login_required
def flagged(request: HttpRequest) -> HttpResponse:
    page = selectors.leader_tickets(user_of(request), page=page_number(request))
    context = {"page": page, "query_string": query_without_page(request)}
    return render(request, "hotline/leader.html", context)


@never_cache
@login_required
def read(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user = user_of(request)
    ticket = selectors.ticket_for_leader(user, ticket_id)
    form = LeaderReadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ticket_leader_read(ticket=ticket, note=form.cleaned_data["note"], actor=user)
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("已阅示。"))
            return redirect("hotline:leader_ticket", ticket_id=ticket.pk)
    context = {
        "ticket": ticket,
        "steps": selectors.ticket_steps(ticket, public_only=False),
        "assignments": selectors.ticket_assignments(ticket),
        "form": form,
    }
    status = 422 if form.errors else 200
    return render(request, "hotline/leader_ticket.html", context, status=status)
