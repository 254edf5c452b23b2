"""Request-wide concerns: request ids in logs, domain errors as friendly pages, staff 2FA."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from allauth.core.exceptions import RateLimited as AllauthRateLimited
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from yiwang.identity.selectors import memberships_cached, user_needs_second_factor_setup
from yiwang.platform.errors import DomainError, RateLimited
from yiwang.platform.logging import request_id_var
from yiwang.project.errors import api_error_response, render_error_page

log = logging.getLogger("yiwang.request")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


API_PREFIX = "/api/"


def _forget_request_id(**kwargs: object) -> None:
    request_id_var.set("-")


# Django logs 4xx/5xx responses after the middleware chain has returned, so the request id is
# forgotten only when the request is finished, not when the middleware returns.
request_finished.connect(_forget_request_id, dispatch_uid="yiwang.forget_request_id")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request_id_var.set(request_id)
        started = time.perf_counter()
        with memberships_cached():  # staff roles are read once per request
            response = self.get_response(request)
        response["X-Request-Id"] = request_id
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


class DomainErrorMiddleware:
    """A domain error escaping a page view becomes a friendly page with the right status; an
    error answered outside ninja under /api/ (unknown path, wrong method) keeps the API's JSON
    error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code in (404, 405)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return api_error_response(response.status_code)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return render_error_page(request, exception)
        if isinstance(exception, AllauthRateLimited):
            return render_error_page(request, RateLimited())
        return None


STAFF_EXEMPT_PREFIXES = (
    "/accounts/",
    "/static/",
    "/healthz",
    "/readyz",
    "/api/",
    "/i18n/",
    "/open311/",  # key-authenticated machine API: sessions play no part
)


class StaffSecondFactorMiddleware:
    """Staff must have a TOTP authenticator, and must have used it in this session.

    allauth asks for the code at sign-in once an authenticator exists; this middleware sends a
    staff member who has none yet to the set-up page before anything else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The path first: exempt requests (the API, Open311) never load the session or user.
        if request.path.startswith(STAFF_EXEMPT_PREFIXES):
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and user_needs_second_factor_setup(user):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
