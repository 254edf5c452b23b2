"""The hotline centre's lists and ticket page: dispatch (with the suggested unit), merge,
release contact data, extension decisions, review of replies and callbacks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yiwang.hotline import selectors, services
from yiwang.hotline.models import Ticket, TicketAssignment
from yiwang.hotline.views.alerts import hotspot_banner
from yiwang.hotline.views.common import apply_error, page_number, query_without_page, user_of
from yiwang.hotline.views.forms import (
    CallbackForm,
    DispatchForm,
    ExtensionDecisionForm,
    MergeForm,
    ReleaseForm,
    ReviewForm,
)
from yiwang.hotline.workflow import TicketStatus
from yiwang.identity.models import User
from yiwang.platform.errors import DomainError, NotFound

LISTS = {
    "received": selectors.tickets_to_dispatch,
    "review": selectors.tickets_to_review,
    "callback": selectors.callbacks_due,
    "extensions": selectors.extensions_pending,
}


def _dispatcher(request: HttpRequest) -> User:
    user = user_of(request)
    if not selectors.user_is_dispatcher(user):
        raise NotFound()
    return user


@require_GET
@never_cache
@login_required
def work_lists(request: HttpRequest) -> HttpResponse:
    user = _dispatcher(request)
    current = request.GET.get("list", "received")
    if current not in LISTS:
        current = "received"
    page = LISTS[current](user, page=page_number(request))
    context = {
        "current": current,
        "page": page,
        "counts": selectors.dispatch_counts(user),
        "query_string": query_without_page(request),
        "decision_form": ExtensionDecisionForm(),
        **hotspot_banner(user),
    }
    return render(request, "hotline/dispatch.html", context)


def _suggestion(ticket: Ticket) -> dict[str, Any]:
    """The routing rule's (or category's) suggestion, the learned one when no rule matched, and
    open tickets that look like duplicates of this one."""
    rule = selectors.route_by_rules(
        category=ticket.category, area_id=ticket.area_id, ticket_type=ticket.ticket_type
    )
    learned = None
    if rule is None or rule.source != "rule":
        offered = selectors.dispatch_suggestion(ticket)
        if offered is not None and offered.source == "model":
            learned = {"lead": offered.lead, "percent": round(offered.confidence * 100)}
    return {
        "rule": rule,
        "learned": learned,
        "duplicates": selectors.duplicate_candidates(ticket),
    }


def _ticket_page(
    request: HttpRequest,
    user: User,
    ticket: Ticket,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    departments = selectors.departments_for_dispatch()
    suggestion = _suggestion(ticket) if ticket.status == TicketStatus.RECEIVED else {}
    initial: dict[str, Any] = {}
    rule = suggestion.get("rule")
    if rule is not None:
        initial = {"lead": rule.lead.pk, "co_handlers": [d.pk for d in rule.co_handlers]}
    assignments = selectors.ticket_assignments(ticket)
    active_units = [a.department for a in assignments if a.is_active]
    forms_: dict[str, forms.Form] = {
        "dispatch": DispatchForm(initial=initial, departments=departments),
        "merge": MergeForm(),
        "release": ReleaseForm(departments=active_units),
        "review": ReviewForm(),
        "callback": CallbackForm(),
    }
    forms_.update(bound or {})
    context = {
        "ticket": ticket,
        "steps": selectors.ticket_steps(ticket, public_only=False),
        "assignment_rows": _assignment_rows(assignments),
        "attachments": selectors.ticket_attachments(ticket),
        "suggestion": suggestion,
        "forms": forms_,
        "is_dispatcher": selectors.user_is_dispatcher(user),
        "reporter_hidden": selectors.reporter_hidden(ticket),
        "clock": selectors.clock_state(
            ticket.dispatch_due_at
            if ticket.status == TicketStatus.RECEIVED
            else ticket.handling_due_at
        ),
    }
    return render(request, "hotline/ticket.html", context, status=status)


def _assignment_rows(assignments: list[TicketAssignment]) -> list[dict[str, Any]]:
    rows = []
    for assignment in assignments:
        due = selectors.assignment_due(assignment)
        rows.append({"a": assignment, "due": due, "clock": selectors.clock_state(due)})
    return rows


def _hotline_ticket(request: HttpRequest, ticket_id: int) -> tuple[User, Ticket]:
    user = user_of(request)
    if not selectors.user_is_operator(user):
        raise NotFound()
    return user, selectors.ticket_for_staff(user, ticket_id)


@require_GET
@never_cache
@login_required
def ticket_page(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user, ticket = _hotline_ticket(request, ticket_id)
    return _ticket_page(request, user, ticket)


def _done(request: HttpRequest, text: str, ticket: Ticket) -> HttpResponse:
    messages.success(request, text)
    return redirect("hotline:ticket", ticket_id=ticket.pk)


@require_POST
@login_required
def dispatch(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user, ticket = _hotline_ticket(request, ticket_id)
    departments = selectors.departments_for_dispatch()
    form = DispatchForm(request.POST, departments=departments)
    if form.is_valid():
        by_id = {d.pk: d for d in departments}
        try:
            services.ticket_dispatch(
                ticket=ticket,
                lead=by_id[form.cleaned_data["lead"]],
                co_handlers=[by_id[d] for d in form.cleaned_data["co_handlers"]],
                actor=user,
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            return _done(request, _("已派单。"), ticket)
    return _ticket_page(request, user, ticket, bound={"dispatch": form}, status=422)


@require_POST
@login_required
def merge(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user, ticket = _hotline_ticket(request, ticket_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        master = selectors.ticket_by_number_for_staff(
            user, form.cleaned_data["master_number"].strip()
        )
        if master is None:
            form.add_error("master_number", _("没有找到该编号的工单，请核对。"))
        else:
            try:
                services.ticket_merge(duplicate=ticket, master=master, actor=user)
            except DomainError as error:
                apply_error(form, error)
            else:
                return _done(
                    request, _("已合并到工单 %(number)s。") % {"number": master.number}, ticket
                )
    return _ticket_page(request, user, ticket, bound={"merge": form}, status=422)


@require_POST
@login_required
def release(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user, ticket = _hotline_ticket(request, ticket_id)
    units = [a.department for a in selectors.ticket_assignments(ticket) if a.is_active]
    form = ReleaseForm(request.POST, departments=units)
    if form.is_valid():
        department = next(d for d in units if d.pk == form.cleaned_data["department"])
        try:
            services.ticket_release_contact(
                ticket=ticket, department=department, reason=form.cleaned_data["reason"], actor=user
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            return _done(request, _("已向承办单位公开联系方式。"), ticket)
    return _ticket_page(request, user, ticket, bound={"release": form}, status=422)


@require_POST
@login_required
def review(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user, ticket = _hotline_ticket(request, ticket_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.ticket_review(
                ticket=ticket, approve=approve, note=form.cleaned_data["note"], actor=user
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            return _done(request, _("审核通过。") if approve else _("已退回重办。"), ticket)
    return _ticket_page(request, user, ticket, bound={"review": form}, status=422)


@require_POST
@login_required
def callback(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user, ticket = _hotline_ticket(request, ticket_id)
    form = CallbackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ticket_callback(
                ticket=ticket,
                contacted=data["contacted"],
                satisfaction=data["satisfaction"] or "",
                resolution=data["resolution"] or "",
                note=data["note"],
                rework=data["rework"],
                actor=user,
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            return _done(request, _("已记录回访。"), ticket)
    return _ticket_page(request, user, ticket, bound={"callback": form}, status=422)


@require_POST
@login_required
def extension_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _dispatcher(request)
    extension = selectors.extension_for_dispatcher(user, request_id)
    form = ExtensionDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_extension_decide(
                request=extension,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                actor=user,
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("已审批延期申请。"))
            return redirect(f"{_list_url()}?list=extensions")
    for problems in form.errors.values():
        for message in problems:
            messages.error(request, str(message))
    return redirect(f"{_list_url()}?list=extensions")


def _list_url() -> str:
    return reverse("hotline:dispatch")
