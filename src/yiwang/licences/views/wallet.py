"""The holder's wallet (我的电子证照): the licences the signed-in user holds, as a person or for an
enterprise they may act for; one licence with its QR code, PDF, history, renewal chain and the
access log of who used it. Someone else's licence is the same 404 as a missing one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yiwang.identity.models import User
from yiwang.licences import selectors
from yiwang.licences.holders import Holder, mask_holder_code
from yiwang.licences.models import Licence
from yiwang.licences.rendering.facts import (
    face_rows,
    shown_status,
    status_tone,
    validity_text,
)
from yiwang.licences.rendering.pdf import licence_pdf
from yiwang.licences.rendering.qr import qr_svg, verify_path
from yiwang.licences.workflow import HolderKind, LicenceStatus, TrustLevel
from yiwang.platform.masking import mask_name


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@dataclass(frozen=True)
class Card:
    """A licence as the wallet shows it."""

    licence: Licence
    status: str
    status_label: str | Promise
    tone: str
    validity: str

    @classmethod
    def of(cls, licence: Licence) -> Card:
        status = shown_status(licence)
        return cls(
            licence=licence,
            status=status,
            status_label=LicenceStatus(status).label,
            tone=status_tone(status),
            validity=validity_text(licence),
        )


@dataclass(frozen=True)
class HolderGroup:
    holder: Holder
    heading: str | Promise
    cards: list[Card]


def _heading(holder: Holder) -> str | Promise:
    return _("本人") if holder.code_type == HolderKind.CITIZEN else holder.name


@require_GET
@never_cache
@login_required
def wallet(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    show_ended = request.GET.get("all") == "1"
    holders = selectors.holders_of_user(user)
    licences = selectors.licences_for_user(user, include_ended=show_ended) if holders else []
    groups = [
        HolderGroup(
            holder=holder,
            heading=_heading(holder),
            cards=[Card.of(lic) for lic in licences if lic.holder_code_index == holder.index],
        )
        for holder in holders
    ]
    context = {
        "verified": bool(holders),
        "groups": [g for g in groups if g.cards or g.holder.code_type == HolderKind.CITIZEN],
        "count": len(licences),
        "show_ended": show_ended,
    }
    return render(request, "licences/wallet.html", context)


@dataclass(frozen=True)
class AccessRow:
    """One line of the access log (用证记录): the staff member appears masked."""

    when: datetime
    unit: str
    staff: str
    purpose: str | Promise
    result: str | Promise
    reason: str
    case_number: str


@require_GET
@never_cache
@login_required
def licence_detail(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = selectors.licence_for_user(_user(request), licence_id)
    url = request.build_absolute_uri(verify_path(licence.identifier))
    accesses = [
        AccessRow(
            when=timezone.localtime(a.accessed_at),
            unit=a.unit_name,
            staff=mask_name(a.accessor_label) if a.accessor_label else "",
            purpose=a.get_purpose_display(),
            result=a.get_result_display(),
            reason=a.reason,
            case_number=a.case_number,
        )
        for a in selectors.licence_accesses(licence)
    ]
    chain = selectors.licence_chain(licence)
    context = {
        "card": Card.of(licence),
        "licence": licence,
        "holder_label": _heading(
            Holder(licence.holder_code_type, licence.holder_code, licence.holder_name)
        ),
        "holder_code": mask_holder_code(licence.holder_code_type, licence.holder_code),
        "face": face_rows(licence),
        "trust_label": TrustLevel(licence.trust_level).label,
        "verify_url": url,
        "qr": qr_svg(url, label=str(_("电子证照核验二维码"))),
        "history": selectors.licence_history(licence),
        "chain": [Card.of(version) for version in chain] if len(chain) > 1 else [],
        "accesses": accesses,
    }
    return render(request, "licences/licence.html", context)


@require_GET
@never_cache
@login_required
def licence_pdf_download(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = selectors.licence_for_user(_user(request), licence_id)
    url = request.build_absolute_uri(verify_path(licence.identifier))
    response = HttpResponse(licence_pdf(licence, verify_url=url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="licence-{licence.pk}.pdf"'
    return response
