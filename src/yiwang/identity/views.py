"""Identity pages: my profile, verify identity, my enterprises and their agents."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiwang.identity import selectors, services
from yiwang.identity.forms import AgentAuthoriseForm, EnterpriseRegisterForm, VerifyIdentityForm
from yiwang.identity.models import RealNameLevel, User
from yiwang.platform.errors import DomainError
from yiwang.platform.masking import mask_citizen_id, mask_phone

LEVEL_UNLOCKS = {
    RealNameLevel.NONE: gettext_lazy("可浏览办事指南、咨询和投诉建议。"),
    RealNameLevel.L1: gettext_lazy("可浏览办事指南、咨询和投诉建议。"),
    RealNameLevel.L2: gettext_lazy("可在线申办大部分事项、查看电子证照、预约办事、授权经办人。"),
    RealNameLevel.L3: gettext_lazy("可办理需要高等级认证的事项。"),
    RealNameLevel.L4: gettext_lazy("可办理全部事项。"),
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _apply_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form, beside the field it concerns when known."""
    for item in error.errors:
        form.add_error(item.field if item.field in form.fields else None, item.message)
    if not error.errors:
        form.add_error(None, error.message)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    person = selectors.person_of(user)
    level = RealNameLevel(person.realname_level if person else RealNameLevel.NONE)
    context = {
        "person": person,
        "citizen_id_masked": mask_citizen_id(person.citizen_id) if person else "",
        "phone_masked": mask_phone(user.phone) if user.phone else "",
        "level": level,
        "unlocks": LEVEL_UNLOCKS[level],
        "enterprises": selectors.enterprises_for_user(user),
        "memberships": selectors.staff_memberships_of(user),
        "verifications": selectors.verifications_for_user(user, limit=5),
    }
    return render(request, "identity/profile.html", context)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = VerifyIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_verify_identity(
                user=user,
                name=form.cleaned_data["name"],
                citizen_id=form.cleaned_data["citizen_id"],
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("实名认证成功。"))
            return redirect("identity:profile")
    person = selectors.person_of(user)
    return render(request, "identity/verify.html", {"form": form, "person": person})


@login_required
def enterprises(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = EnterpriseRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_register(
                user=user,
                name=form.cleaned_data["name"],
                uscc=form.cleaned_data["uscc"],
                registered_address=form.cleaned_data["registered_address"],
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("企业注册成功：%(name)s") % {"name": enterprise.name})
            return redirect("identity:enterprise", enterprise_id=enterprise.pk)
    context = {
        "form": form,
        "enterprises": selectors.enterprises_for_user(user),
        "person": selectors.person_of(user),
        "acting_enterprise_id": request.session.get("acting_enterprise_id"),
    }
    return render(request, "identity/enterprises.html", context)


@login_required
def enterprise(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    user = _user(request)
    current = selectors.enterprise_for_user(user, enterprise_id)
    person = selectors.person_of(user)
    is_representative = person is not None and current.legal_representative_id == person.pk
    form = AgentAuthoriseForm(request.POST or None) if is_representative else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.agent_authorise(enterprise=current, by_user=user, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("已授权经办人。"))
            return redirect("identity:enterprise", enterprise_id=current.pk)
    agents = (
        selectors.agents_of_enterprise_for_user(user, enterprise_id) if is_representative else []
    )
    context = {
        "enterprise": current,
        "is_representative": is_representative,
        "form": form,
        "agents": agents,
        "acting": request.session.get("acting_enterprise_id") == current.pk,
    }
    return render(request, "identity/enterprise.html", context)


@login_required
@require_POST
def agent_revoke(request: HttpRequest, authorisation_id: int) -> HttpResponse:
    user = _user(request)
    authorisation = selectors.agent_authorisation_for_user(user, authorisation_id)
    services.agent_revoke(authorisation=authorisation, by_user=user)
    messages.success(request, _("已撤销授权。"))
    return redirect("identity:enterprise", enterprise_id=authorisation.enterprise_id)


@login_required
@require_POST
def act_as(request: HttpRequest) -> HttpResponse:
    """Choose whom I act for: myself, or an enterprise I represent or am an agent of."""
    user = _user(request)
    raw = request.POST.get("enterprise_id", "")
    if raw.isdigit():
        chosen = selectors.enterprise_for_user(user, int(raw))
        request.session["acting_enterprise_id"] = chosen.pk
        messages.success(request, _("您现在以“%(name)s”的身份办事。") % {"name": chosen.name})
    else:
        request.session.pop("acting_enterprise_id", None)
        messages.success(request, _("您现在以个人身份办事。"))
    return redirect("identity:enterprises")
