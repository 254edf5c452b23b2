"""A unit's tickets (承办单位): what to sign, what is being handled, each with its clock; the
ticket with its full history and the unit's actions. Another unit's ticket is a 404."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yiwang.hotline import selectors, services
from yiwang.hotline.models import TicketAssignment
from yiwang.hotline.views.common import apply_error, page_number, query_without_page, user_of
from yiwang.hotline.views.forms import (
    CoReportForm,
    ExtensionRequestForm,
    ReplyForm,
    ReturnForm,
    StartForm,
)
from yiwang.hotline.workflow import AssignmentStatus
from yiwang.identity.models import User
from yiwang.platform.errors import DomainError
from yiwang.platform.masking import mask_phone


@require_GET
@never_cache
@login_required
def work(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    status = request.GET.get("status", "")
    page = selectors.unit_work(user, page=page_number(request), status=status)
    context = {
        "page": page,
        "status": status,
        "statuses": [
            ("", _("全部")),
            (AssignmentStatus.DISPATCHED, AssignmentStatus.DISPATCHED.label),
            (AssignmentStatus.SIGNED, AssignmentStatus.SIGNED.label),
            (AssignmentStatus.HANDLING, AssignmentStatus.HANDLING.label),
        ],
        "query_string": query_without_page(request),
    }
    return render(request, "hotline/unit.html", context)


def _page(
    request: HttpRequest,
    user: User,
    assignment: TicketAssignment,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    ticket = assignment.ticket
    contact_visible = selectors.contact_visible_to(user, ticket)
    forms_: dict[str, forms.Form] = {
        "start": StartForm(),
        "return": ReturnForm(),
        "extension": ExtensionRequestForm(),
        "co_report": CoReportForm(),
        "reply": ReplyForm(),
    }
    forms_.update(bound or {})
    assignments = selectors.ticket_assignments(ticket)
    context = {
        "assignment": assignment,
        "ticket": ticket,
        "steps": selectors.ticket_steps(ticket, public_only=False),
        "assignments": assignments,
        "attachments": selectors.ticket_attachments(ticket),
        "contact_visible": contact_visible,
        "phone": ticket.reporter_phone if contact_visible else "",
        "phone_masked": mask_phone(ticket.reporter_phone) if ticket.reporter_phone else "",
        "due_at": selectors.assignment_due(assignment),
        "clock": selectors.clock_state(selectors.assignment_due(assignment)),
        "pending_extension": any(
            r.status == "pending" for r in assignment.extension_requests.all()
        ),
        "forms": forms_,
    }
    return render(request, "hotline/unit_ticket.html", context, status=status)


@require_GET
@never_cache
@login_required
def ticket(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = user_of(request)
    assignment = selectors.assignment_for_unit(user, assignment_id)
    return _page(request, user, assignment)


def _act(
    request: HttpRequest,
    assignment_id: int,
    name: str,
    form_class: type[forms.Form] | None,
    action: Callable[[TicketAssignment, User, dict[str, object]], str],
) -> HttpResponse:
    user = user_of(request)
    assignment = selectors.assignment_for_unit(user, assignment_id)
    form = form_class(request.POST) if form_class is not None else None
    if form is None or form.is_valid():
        try:
            done = action(assignment, user, form.cleaned_data if form is not None else {})
        except DomainError as error:
            if form is None:
                messages.error(request, error.message)
                return redirect("hotline:unit_ticket", assignment_id=assignment.pk)
            apply_error(form, error)
        else:
            messages.success(request, done)
            if name == "return":
                return redirect("hotline:unit")
            return redirect("hotline:unit_ticket", assignment_id=assignment.pk)
    assert form is not None
    return _page(request, user, assignment, bound={name: form}, status=422)


def _sign(assignment: TicketAssignment, user: User, data: dict[str, object]) -> str:
    services.ticket_sign(assignment=assignment, actor=user)
    return _("已签收。")


def _start(assignment: TicketAssignment, user: User, data: dict[str, object]) -> str:
    services.ticket_start(assignment=assignment, actor=user, note=str(data.get("note") or ""))
    return _("已开始办理。")


def _return(assignment: TicketAssignment, user: User, data: dict[str, object]) -> str:
    services.ticket_return(
        assignment=assignment,
        reason_code=str(data["reason_code"]),
        note=str(data["note"]),
        actor=user,
    )
    return _("已退单，工单已退回热线中心。")


def _extension(assignment: TicketAssignment, user: User, data: dict[str, object]) -> str:
    days = data["days"]
    assert isinstance(days, int)
    services.ticket_extension_request(
        assignment=assignment, days=days, reason=str(data["reason"]), actor=user
    )
    return _("已提交延期申请，等待热线中心审批。")


def _co_report(assignment: TicketAssignment, user: User, data: dict[str, object]) -> str:
    services.ticket_co_report(assignment=assignment, report=str(data["report"]), actor=user)
    return _("已反馈协办情况。")


def _reply(assignment: TicketAssignment, user: User, data: dict[str, object]) -> str:
    services.ticket_reply(assignment=assignment, reply=str(data["reply"]), actor=user)
    return _("已答复，等待热线中心审核。")


@require_POST
@login_required
def sign(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _act(request, assignment_id, "sign", None, _sign)


@require_POST
@login_required
def start(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _act(request, assignment_id, "start", StartForm, _start)


@require_POST
@login_required
def give_back(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _act(request, assignment_id, "return", ReturnForm, _return)


@require_POST
@login_required
def extension(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _act(request, assignment_id, "extension", ExtensionRequestForm, _extension)


@require_POST
@login_required
def co_report(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _act(request, assignment_id, "co_report", CoReportForm, _co_report)


@require_POST
@login_required
def reply(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _act(request, assignment_id, "reply", ReplyForm, _reply)
