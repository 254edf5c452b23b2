"""Template filters that show personal data masked: `{{ phone|mask_phone }}`."""

from __future__ import annotations

from django import template

from yiwang.platform import masking

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    return masking.mask_phone(str(value)) if value else ""


@register.filter
def mask_citizen_id(value: str) -> str:
    return masking.mask_citizen_id(str(value)) if value else ""
