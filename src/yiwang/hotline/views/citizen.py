"""The citizen's side: snap and report (随手拍) from a phone, my tickets with their public
steps, rating the handling; the enterprise direct line (政企直通车); the photos."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yiwang.hotline import selectors, services
from yiwang.hotline.models import Ticket
from yiwang.hotline.views.common import apply_error, page_number, query_without_page, user_of
from yiwang.hotline.views.forms import EnterpriseForm, RateForm, ReportForm
from yiwang.hotline.workflow import Channel, TicketStatus, TicketType
from yiwang.identity import selectors as identity_selectors
from yiwang.identity.models import User
from yiwang.platform.errors import DomainError


def _defaults(user: User) -> dict[str, str]:
    person = identity_selectors.person_of(user)
    return {
        "reporter_name": person.name if person else "",
        "reporter_phone": user.phone or "",
    }


def _place(form: ReportForm) -> selectors.Place | None:
    """The town or street under the point the citizen picked, to name it on the page again."""
    if not form.is_bound or form.point_refused:
        return None
    data = getattr(form, "cleaned_data", {})
    return selectors.place_at(data.get("longitude"), data.get("latitude"))


def _key(request: HttpRequest) -> str:
    raw = request.POST.get("idempotency_key", "")
    if raw and len(raw) <= 64 and raw.replace("-", "").isalnum():
        return f"web:{request.user.pk}:{raw}"
    return ""


@never_cache
@login_required
def report(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = ReportForm(request.POST or None, request.FILES or None, initial=_defaults(user))
    suggested = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        category = data["category_code"]
        if not category:
            suggested = selectors.category_suggest(data["content"])
            category = suggested.code if suggested else ""
        if not category:
            form.add_error(
                "category_code", _("没能从描述中判断问题分类，请从列表中选择最接近的一项。")
            )
        else:
            intake = services.TicketIntake(
                channel=Channel.APP,
                ticket_type=TicketType.HELP,
                category_code=category,
                content=data["content"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                reporter_user=user,
                anonymous=bool(data.get("anonymous")),
                latitude=data["latitude"],
                longitude=data["longitude"],
                address=data["address"],
                idempotency_key=_key(request),
            )
            try:
                with transaction.atomic():
                    ticket = services.ticket_register(data=intake, actor=user)
                    photo = data.get("photo")
                    if photo and not selectors.ticket_attachments(ticket):
                        services.ticket_attach_photo(ticket=ticket, upload=photo, reporter=user)
            except DomainError as error:
                apply_error(form, error)
            else:
                messages.success(
                    request,
                    _("已提交，工单编号 %(number)s。我们会尽快转交办理。")
                    % {"number": ticket.number},
                )
                return redirect("hotline:mine_ticket", ticket_id=ticket.pk)
    elif request.method == "POST":
        content = str(form.data.get("content", ""))
        suggested = selectors.category_suggest(content) if content else None
    context = {
        "form": form,
        "suggested": suggested,
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        "city_map": selectors.city_map(),
        "place": _place(form),
    }
    return render(request, "hotline/report.html", context, status=422 if form.errors else 200)


@require_GET
@never_cache
@login_required
def category_hint(request: HttpRequest) -> HttpResponse:
    """The category suggested by what the citizen wrote (htmx partial)."""
    text = request.GET.get("content", "")[:500]
    suggested = selectors.category_suggest(text) if text.strip() else None
    return render(request, "hotline/_category_hint.html", {"suggested": suggested})


@require_GET
@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    page = selectors.reporter_tickets(user, page=page_number(request))
    context = {"page": page, "query_string": query_without_page(request)}
    return render(request, "hotline/mine.html", context)


def _can_rate(ticket: Ticket) -> bool:
    return ticket.status == TicketStatus.REVIEWED


def _mine_page(
    request: HttpRequest, ticket: Ticket, form: RateForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "ticket": ticket,
        "steps": selectors.ticket_steps(ticket, public_only=True),
        "attachments": selectors.ticket_attachments(ticket),
        "can_rate": _can_rate(ticket),
        "form": form or RateForm(),
    }
    return render(request, "hotline/mine_ticket.html", context, status=status)


@require_GET
@never_cache
@login_required
def mine_ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = selectors.ticket_for_reporter(user_of(request), ticket_id)
    return _mine_page(request, ticket)


@require_POST
@login_required
def rate(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user = user_of(request)
    ticket = selectors.ticket_for_reporter(user, ticket_id)
    form = RateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ticket_rate_by_reporter(
                ticket=ticket,
                reporter=user,
                satisfaction=data["satisfaction"],
                resolution=data["resolution"],
                comment=data["comment"],
                rework_wanted=data["rework_wanted"],
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            if data["rework_wanted"]:
                messages.success(request, _("感谢您的评价，工单已退回承办单位重新办理。"))
            else:
                messages.success(request, _("感谢您的评价，工单已办结。"))
            return redirect("hotline:mine_ticket", ticket_id=ticket.pk)
    return _mine_page(request, ticket, form, status=422)


@require_GET
@never_cache
@login_required
def attachment(request: HttpRequest, attachment_id: int, original: bool = False) -> FileResponse:
    found = selectors.attachment_for_viewer(user_of(request), attachment_id, original=original)
    file = found.original if original else found.public_file
    return FileResponse(
        file.open("rb"),
        content_type=found.content_type if original else "image/jpeg",
        filename=PurePath(file.name or "photo.jpg").name,
    )


@never_cache
@login_required
def enterprise(request: HttpRequest) -> HttpResponse:
    """The enterprise direct line: a representative or agent raises a request for their
    enterprise, may keep the contact confidential and flag it for a leader."""
    user = user_of(request)
    enterprises = identity_selectors.enterprises_for_user(user)
    choices = [(e.pk, e.name) for e in enterprises]
    form = EnterpriseForm(request.POST or None, enterprises=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next(e for e in enterprises if e.pk == data["enterprise"])
        person = identity_selectors.person_of(user)
        intake = services.TicketIntake(
            channel=Channel.ENTERPRISE,
            ticket_type=data["ticket_type"],
            category_code=data["category_code"],
            content=data["content"],
            reporter_name=person.name if person else "",
            reporter_phone=user.phone or "",
            reporter_user=user,
            enterprise=chosen,
            confidential=data["confidential"],
            flag_for_leader=data["flag_for_leader"],
            idempotency_key=_key(request),
        )
        try:
            ticket = services.ticket_register(data=intake, actor=user)
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(
                request, _("已提交，诉求编号 %(number)s。") % {"number": ticket.number}
            )
            return redirect("hotline:mine_ticket", ticket_id=ticket.pk)
    context = {
        "form": form,
        "has_enterprise": bool(enterprises),
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
    }
    return render(request, "hotline/enterprise.html", context, status=422 if form.errors else 200)
