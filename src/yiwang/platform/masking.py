"""Masks for personal data shown on screens and in exports (UI.md: `3504**********123X`)."""

from __future__ import annotations


def mask_citizen_id(value: str) -> str:
    value = value.strip()
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_phone(value: str) -> str:
    digits = value.strip()
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
