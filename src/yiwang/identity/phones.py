"""Mainland mobile numbers: what people type (138 0000 0001) → E.164 (+8613800000001)."""

from __future__ import annotations

import re

from yiwang.platform.errors import InvalidInput

_MAINLAND = re.compile(r"^1[3-9]\d{9}$")
PHONE_FORMAT_MESSAGE = "请输入11位手机号码，例如 13800000001。"


def normalise_phone(value: str) -> str:
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _MAINLAND.match(digits):
        raise InvalidInput(PHONE_FORMAT_MESSAGE, code="phone_format")
    return f"+86{digits}"
