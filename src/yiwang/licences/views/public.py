"""The public verify page (no sign-in): anyone who is shown a licence, or scans its QR code,
checks here that it is genuine and valid. The holder appears masked; pages are not indexed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yiwang.licences import selectors
from yiwang.licences.identifier import IdentifierError, parse_identifier
from yiwang.licences.selectors import Verification
from yiwang.licences.workflow import LicenceStatus, TrustLevel

IDENTIFIER_MAX = 120
# What may go into the path of the result page; anything else is answered on the form page.
_PATH_SAFE = re.compile(r"^[0-9A-Z.]{1,120}$")
NOINDEX = "noindex, nofollow"


@dataclass(frozen=True)
class Verdict:
    """The big answer at the top of the page: a headline, a tone (ok green, warn amber, error
    red) and the icon that says the same without colour."""

    headline: str | Promise
    tone: str

    @property
    def icon(self) -> str:
        return {"ok": "✓", "warn": "!"}.get(self.tone, "✕")


_STATUS_VERDICTS = {
    LicenceStatus.SUSPENDED: Verdict(_("暂停使用"), "warn"),
    LicenceStatus.EXPIRED: Verdict(_("已过期"), "warn"),
    LicenceStatus.REVOKED: Verdict(_("已吊销"), "error"),
    LicenceStatus.CANCELLED: Verdict(_("已注销"), "error"),
    LicenceStatus.SUPERSEDED: Verdict(_("已换发，此版本不再使用"), "error"),
}


def _verdict(verification: Verification) -> Verdict:
    if verification.usable:
        return Verdict(_("真实有效"), "ok")
    if not verification.found:
        try:
            parse_identifier(verification.identifier)
        except IdentifierError:
            return Verdict(_("标识格式不正确"), "error")
        return Verdict(_("未找到该证照"), "error")
    if not verification.genuine:
        return Verdict(_("可能被篡改"), "error")
    return _STATUS_VERDICTS.get(
        LicenceStatus(verification.status), Verdict(verification.status_label, "error")
    )


def _render(
    request: HttpRequest,
    identifier: str,
    verification: Verification | None,
    *,
    error: str | Promise = "",
) -> HttpResponse:
    context = {
        # Kept in the field when it needs correcting; a licence found leaves the field empty.
        "identifier": "" if verification is not None and verification.found else identifier,
        "error": error,
        "verification": verification,
        "verdict": _verdict(verification) if verification is not None else None,
        "trust_label": TrustLevel(verification.trust_level).label
        if verification is not None and verification.trust_level
        else "",
    }
    response = render(request, "licences/verify.html", context)
    response["X-Robots-Tag"] = NOINDEX
    return response


@require_GET
@never_cache
def verify_form(request: HttpRequest) -> HttpResponse:
    """The form; `?identifier=` goes to the result page, or is answered here when it cannot
    be part of a URL path."""
    typed = request.GET.get("identifier", "")
    if "identifier" not in request.GET:
        return _render(request, "", None)
    cleaned = "".join(typed.split()).upper()[:IDENTIFIER_MAX]
    if not cleaned:
        return _render(request, "", None, error=_("请输入证照标识。"))
    if _PATH_SAFE.match(cleaned):
        return redirect("licences:verify_result", identifier=cleaned)
    return _render(request, typed.strip()[:IDENTIFIER_MAX], selectors.licence_verify(cleaned))


@require_GET
@never_cache
def verify_result(request: HttpRequest, identifier: str) -> HttpResponse:
    verification = selectors.licence_verify(identifier)
    return _render(request, verification.identifier, verification)
