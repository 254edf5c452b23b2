"""The operator's console (话务台): the caller's history, the knowledge base while talking,
a direct answer in a few key presses, registering a ticket, recording calls that are not."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yiwang.hotline import selectors, services
from yiwang.hotline.views.alerts import hotspot_banner
from yiwang.hotline.views.common import apply_error, user_of
from yiwang.hotline.views.forms import DirectAnswerForm, IntakeForm, UnregisteredForm
from yiwang.hotline.workflow import Channel, ContactKind, TicketType
from yiwang.identity.models import StaffRole, User
from yiwang.identity.selectors import user_has_role
from yiwang.platform.errors import DomainError, NotFound
from yiwang.platform.masking import mask_phone

UNREGISTERED_KINDS = (ContactKind.SILENT, ContactKind.ABUSIVE, ContactKind.HUNG_UP)


def _operator(request: HttpRequest) -> User:
    user = user_of(request)
    if not selectors.user_is_operator(user):
        raise NotFound()
    return user


def _intake(data: dict[str, Any], actor: User) -> services.TicketIntake:
    return services.TicketIntake(
        channel=Channel.PHONE,
        ticket_type=data["ticket_type"],
        category_code=data["category_code"],
        content=data["content"],
        urgency=data.get("urgency") or "",
        reporter_name=data.get("reporter_name") or "",
        reporter_phone=data.get("reporter_phone") or "",
        confidential=bool(data.get("confidential")),
        reply_wanted=bool(data.get("reply_wanted")),
        address=data.get("address") or "",
    )


def _console(
    request: HttpRequest,
    user: User,
    *,
    form: IntakeForm | None = None,
    query: str = "",
    status: int = 200,
) -> HttpResponse:
    phone = request.GET.get("phone", "").strip()[:20]
    if form is None:
        form = IntakeForm(initial={"reporter_phone": phone, "reply_wanted": True})
    phone = str(form["reporter_phone"].value() or phone)
    context = {
        "form": form,
        "query": query,
        "hits": selectors.knowledge_search(user, query) if query else [],
        "history": selectors.caller_history(user, phone) if phone else [],
        "phone": phone,
        "phone_masked": mask_phone(phone) if phone else "",
        "unregistered_kinds": [(k.value, k.label) for k in UNREGISTERED_KINDS],
        "is_dispatcher": selectors.user_is_dispatcher(user),
        **hotspot_banner(user),
    }
    return render(request, "hotline/console.html", context, status=status)


@never_cache
@login_required
def console(request: HttpRequest) -> HttpResponse:
    user = _operator(request)
    if request.method != "POST":
        return _console(request, user, query=request.GET.get("q", "").strip()[:64])
    form = IntakeForm(request.POST)
    if form.is_valid():
        try:
            ticket = services.ticket_register(data=_intake(form.cleaned_data, user), actor=user)
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                _("已登记工单 %(number)s，等待派单。") % {"number": ticket.number},
            )
            return redirect("hotline:console")
    return _console(request, user, form=form, status=422)


@require_GET
@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """/hotline/ for staff: the page of their hotline role."""
    user = user_of(request)
    if selectors.user_is_dispatcher(user):
        return redirect("hotline:dispatch")
    if selectors.user_is_operator(user):
        return redirect("hotline:console")
    if selectors.unit_departments(user):
        return redirect("hotline:unit")
    if user_has_role(user, StaffRole.LEADER):
        return redirect("hotline:leader")
    raise NotFound()


@require_GET
@never_cache
@login_required
def knowledge(request: HttpRequest) -> HttpResponse:
    """Results as the operator types (htmx partial)."""
    user = _operator(request)
    query = request.GET.get("q", "").strip()[:64]
    hits = selectors.knowledge_search(user, query) if query else []
    return render(request, "hotline/_knowledge.html", {"hits": hits, "query": query})


@require_GET
@never_cache
@login_required
def history(request: HttpRequest) -> HttpResponse:
    """The caller's previous tickets (htmx partial)."""
    user = _operator(request)
    phone = request.GET.get("reporter_phone", request.GET.get("phone", "")).strip()[:20]
    context = {
        "history": selectors.caller_history(user, phone) if phone else [],
        "phone": phone,
        "phone_masked": mask_phone(phone) if phone else "",
    }
    return render(request, "hotline/_history.html", context)


@require_POST
@never_cache
@login_required
def answer(request: HttpRequest) -> HttpResponse:
    """Answer directly from an article: the first POST shows what will be said and registered
    (Enter confirms); the confirmed POST registers the call and closes it with the answer."""
    user = _operator(request)
    form = DirectAnswerForm(request.POST)
    article = None
    if form.is_valid():
        article = selectors.knowledge_article_for_operator(user, form.cleaned_data["article"])
        data = dict(form.cleaned_data)
        data["category_code"] = data["category_code"] or (
            article.category.code if article.category else ""
        )
        data["content"] = data["content"] or _("咨询：%(title)s") % {"title": article.title}
        data["ticket_type"] = data["ticket_type"] or TicketType.CONSULTATION
        reply = (data.get("answer") or "").strip() or article.body
        if data.get("confirmed"):
            try:
                with transaction.atomic():
                    ticket = services.ticket_register(data=_intake(data, user), actor=user)
                    services.ticket_answer_directly(
                        ticket=ticket, answer=reply, actor=user, article=article
                    )
            except DomainError as error:
                apply_error(form, error)
            else:
                messages.success(
                    request,
                    _("工单 %(number)s 已直接答复并办结。") % {"number": ticket.number},
                )
                return redirect("hotline:console")
        else:
            form = DirectAnswerForm(
                initial={**data, "answer": reply, "confirmed": True, "article": article.pk}
            )
    context = {"form": form, "article": article}
    return render(
        request, "hotline/answer_confirm.html", context, status=422 if form.errors else 200
    )


@require_POST
@login_required
def unregistered(request: HttpRequest) -> HttpResponse:
    user = _operator(request)
    form = UnregisteredForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("来电类别不正确，请重新选择。"))
        return redirect("hotline:console")
    kind = form.cleaned_data["kind"]
    services.contact_record_unregistered(kind=kind, actor=user)
    messages.success(request, _("已记录：%(kind)s。") % {"kind": ContactKind(kind).label})
    return redirect("hotline:console")
