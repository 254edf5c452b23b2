"""Template helpers for guides: time limits, depth, visit tags, money."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from yiwang.catalog.models import LimitUnit

register = template.Library()

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@register.simple_tag
def time_limit(value: int | None, unit: str) -> str:
    """“即办”, “5个工作日”, “20个自然日” …"""
    if value is None:
        return _("无")
    if value == 0:
        return _("即办")
    label = LimitUnit(unit).label if unit in LimitUnit.values else unit
    if unit in (LimitUnit.WORKING_DAY, LimitUnit.CALENDAR_DAY):
        return _("%(n)s个%(unit)s") % {"n": value, "unit": label}
    return f"{value}{label}"


@register.filter
def roman(depth: int) -> str:
    return _ROMAN.get(int(depth), str(depth))


@register.filter
def visit_tag(visits: int) -> str:
    if visits == 0:
        return _("不见面")
    if visits == 1:
        return _("最多跑一次")
    return _("跑动%(n)s次") % {"n": visits}


@register.filter
def yuan(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return f"¥{amount:,.2f}"


@register.filter
def licence_names(codes: list[str] | None, names: dict[str, str]) -> str:
    """The library's names of the licence type codes a material accepts, joined (unknown
    codes, e.g. a type the library does not hold yet, are left out)."""
    return "、".join(names[code] for code in codes or [] if code in names)


@register.filter
def dict_get(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, "") if key else ""
