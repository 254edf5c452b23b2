"""A licence's face as labelled rows and its dates as people read them, shared by the wallet
page and the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from yiwang.licences.models import Licence
from yiwang.licences.workflow import LicenceStatus

DATE_FORMAT = "Y年n月j日"


@dataclass(frozen=True)
class FaceRow:
    label: str
    value: str


def chinese_date(value: date) -> str:
    """2026-01-05 → 2026年1月5日 (UI.md)."""
    return dateformat.format(value, DATE_FORMAT)


def _shown_value(field: dict[str, Any], value: str) -> str:
    if field.get("kind") == "date":
        try:
            return chinese_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def face_rows(licence: Licence) -> list[FaceRow]:
    """Every face field with its label from the type's schema, in schema order; values the
    schema no longer lists (the type was edited after issue) follow under their keys."""
    schema = licence.licence_type.face_fields or []
    face = {str(k): str(v) for k, v in (licence.face or {}).items()}
    rows: list[FaceRow] = []
    listed: set[str] = set()
    for field in schema:
        key = str(field.get("key", ""))
        listed.add(key)
        if key in face and face[key] != "":
            rows.append(FaceRow(str(field.get("label") or key), _shown_value(field, face[key])))
    rows.extend(FaceRow(key, value) for key, value in face.items() if key not in listed and value)
    return rows


def validity_text(licence: Licence) -> str:
    """“2026年1月5日 至 2031年1月4日”, or “长期有效” when the licence has no end."""
    if licence.valid_to is None:
        return _("长期有效")
    return _("%(start)s 至 %(end)s") % {
        "start": chinese_date(licence.valid_from),
        "end": chinese_date(licence.valid_to),
    }


def shown_status(licence: Licence, *, today: date | None = None) -> str:
    """The status to show: a valid licence past its end reads as expired even before the
    nightly expiry has marked it (as the public verification does)."""
    today = today or timezone.localdate()
    if (
        licence.status == LicenceStatus.VALID
        and licence.valid_to is not None
        and licence.valid_to < today
    ):
        return LicenceStatus.EXPIRED
    return str(licence.status)


def status_tone(status: str) -> str:
    """ok (green) for valid, warn (amber) for paused or expired, error (red) for the rest."""
    if status == LicenceStatus.VALID:
        return "ok"
    if status in (LicenceStatus.SUSPENDED, LicenceStatus.EXPIRED):
        return "warn"
    return "error"
