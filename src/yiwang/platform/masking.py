"""Masks for personal data shown on screens and in exports (UI.md: `3504**********123X`)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_PHONE_PUNCTUATION = re.compile(r"[\s()\-]")


def mask_citizen_id(value: str) -> str:
    value = value.strip()
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_phone(value: str) -> str:
    """+86 138 1234 5678 → 138****5678 (spaces, hyphens and the country code dropped)."""
    digits = _PHONE_PUNCTUATION.sub("", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the family name stays, the rest is hidden."""
    value = value.strip()
    if len(value) <= 1:
        return value
    return value[0] + "*" * (len(value) - 1)


def mask_email(value: str) -> str:
    local, at, domain = value.partition("@")
    if not at:
        return mask_name(value)
    return f"{local[:1]}***@{domain}"


def mask_url(value: str) -> str:
    """https://dept.example.gov.cn/hooks/abc?token=x → https://dept.example.gov.cn/…: paths and
    query strings often carry secrets."""
    parts = urlsplit(value.strip())
    if not parts.scheme or not parts.netloc:
        return "***"
    return f"{parts.scheme}://{parts.hostname or ''}/…"


def mask_recipient(channel: str, value: str) -> str:
    """The mask for a message recipient on a channel: `sms`, `email` or `webhook`."""
    if channel == "sms":
        return mask_phone(value)
    if channel == "email":
        return mask_email(value)
    if channel == "webhook":
        return mask_url(value)
    return "*" * min(len(value), 8)
