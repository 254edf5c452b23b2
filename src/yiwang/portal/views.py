from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {})


@require_POST
def elder_mode(request: HttpRequest) -> HttpResponse:
    """Switch the larger-text, high-contrast mode (适老化); it persists in a cookie."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    turn_on = request.COOKIES.get("elder_mode") != "1"
    response.set_cookie(
        "elder_mode", "1" if turn_on else "0", max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response
