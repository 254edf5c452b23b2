"""The citizen's front door: the home page and the elder-mode switch."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yiwang.catalog.models import Audience, ThemeKind
from yiwang.catalog.selectors import public as catalog
from yiwang.identity import selectors as identity_selectors
from yiwang.platform.masking import mask_name

ELDER_MODE_COOKIE = "elder_mode"


def home(request: HttpRequest) -> HttpResponse:
    person = identity_selectors.person_of(request.user)
    context = {
        "person": person,
        "greeting_name": mask_name(person.name) if person else "",
        "enterprises": identity_selectors.enterprises_for_user(request.user),
        "is_staff_member": identity_selectors.user_is_staff_member(request.user),
        "life_events": catalog.themes_of(audience=Audience.PERSON, kind=ThemeKind.LIFE_EVENT),
        "popular": catalog.popular_items(6),
    }
    return render(request, "portal/home.html", context)


@require_POST
def elder_mode(request: HttpRequest) -> HttpResponse:
    """Switch the larger-text, high-contrast mode (适老化); it persists in a cookie."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    turn_on = request.COOKIES.get(ELDER_MODE_COOKIE) != "1"
    response.set_cookie(
        ELDER_MODE_COOKIE, "1" if turn_on else "0", max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response
