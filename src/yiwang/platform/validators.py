"""National identifiers: citizen ID numbers (GB 11643), unified social credit codes (GB 32100)
and administrative region codes (GB/T 2260). DOMAIN.md §11 holds the algorithms.

`normalise_*` return the canonical form (what people type, made upper-case, half-width and without
spaces) or raise `InvalidInput` with a stable `code` and a plain Chinese message that says what to
do. `validate_*` wrap them for Django forms. `make_*` compute the check characters for demo data.

The checksum is checked before the region and the birth date: MOD 11-2 catches every single-digit
typo, and "the last digit is wrong, check the number" is the right advice for a typo anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from yiwang.platform.errors import InvalidInput

# GB/T 2260 province-level codes, by the first digit's region.
PROVINCE_CODES = frozenset(
    (
        *("11", "12", "13", "14", "15"),  # 华北
        *("21", "22", "23"),  # 东北
        *("31", "32", "33", "34", "35", "36", "37"),  # 华东
        *("41", "42", "43", "44", "45", "46"),  # 中南
        *("50", "51", "52", "53", "54"),  # 西南
        *("61", "62", "63", "64", "65"),  # 西北
        *("71", "81", "82"),  # 台湾, 香港, 澳门
    )
)
# Residence permits of Taiwan residents carry 830000 in the citizen ID format.
_CITIZEN_ID_PROVINCES = PROVINCE_CODES | {"83"}
# National-level organisations (registered centrally) carry region 100000 in their USCC.
_USCC_PROVINCES = PROVINCE_CODES | {"10"}

_OLDEST_BIRTH = date(1800, 1, 1)
_WHITESPACE = re.compile(r"\s+")


def _clean(value: str) -> str:
    """Full-width to half-width (NFKC), no spaces, upper case: what a phone keyboard may give."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", value or "")).upper()


# --- Citizen ID (GB 11643-1999, ISO 7064 MOD 11-2) ------------------------------------------------

_CITIZEN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CITIZEN_ID_CHECK = "10X98765432"  # indexed by S mod 11
_CITIZEN_ID_18 = re.compile(r"^\d{17}[\dX]$")
_CITIZEN_ID_15 = re.compile(r"^\d{15}$")

CITIZEN_ID_MESSAGES = {
    "citizen_id_required": "请填写身份证号码。",
    "citizen_id_length": "身份证号码应为18位，请核对后重新输入。",
    "citizen_id_characters": "身份证号码只能包含数字，最后一位可以是字母X，请核对后重新输入。",
    "citizen_id_check_digit": "身份证号码最后一位校验码不正确，请核对后重新输入。",
    "citizen_id_region": "身份证号码前6位的地区码不正确，请核对后重新输入。",
    "citizen_id_birth_date": "身份证号码中的出生日期（第7至14位）不正确，请核对后重新输入。",
}


def citizen_id_check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits: `0`–`9` or `X`."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("citizen_id_check_digit needs exactly 17 digits")
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, _CITIZEN_ID_WEIGHTS, strict=True)
    )
    return _CITIZEN_ID_CHECK[total % 11]


def _citizen_id_error(code: str) -> InvalidInput:
    return InvalidInput(CITIZEN_ID_MESSAGES[code], code=code)


def _parse_birth(digits: str) -> date | None:
    try:
        born = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    if born < _OLDEST_BIRTH or born > timezone.localdate():
        return None
    return born


def normalise_citizen_id(value: str) -> str:
    """The canonical 18-character citizen ID number, or `InvalidInput`.

    Accepts a lower-case `x`, full-width digits and spaces; converts a legacy 15-digit number
    (first generation cards: `19` goes before the year and the check digit is appended).
    """
    cleaned = _clean(value)
    if not cleaned:
        raise _citizen_id_error("citizen_id_required")
    if len(cleaned) == 15:
        if not _CITIZEN_ID_15.match(cleaned):
            raise _citizen_id_error("citizen_id_characters")
        first17 = f"{cleaned[:6]}19{cleaned[6:]}"
        cleaned = first17 + citizen_id_check_digit(first17)
    elif len(cleaned) != 18:
        raise _citizen_id_error("citizen_id_length")
    if not _CITIZEN_ID_18.match(cleaned):
        raise _citizen_id_error("citizen_id_characters")
    if citizen_id_check_digit(cleaned[:17]) != cleaned[17]:
        raise _citizen_id_error("citizen_id_check_digit")
    if cleaned[:2] not in _CITIZEN_ID_PROVINCES:
        raise _citizen_id_error("citizen_id_region")
    if _parse_birth(cleaned[6:14]) is None:
        raise _citizen_id_error("citizen_id_birth_date")
    return cleaned


def citizen_id_birth_date(citizen_id: str) -> date:
    """Birth date of a normalised citizen ID number."""
    return date(int(citizen_id[6:10]), int(citizen_id[10:12]), int(citizen_id[12:14]))


def citizen_id_is_male(citizen_id: str) -> bool:
    """Sequence (positions 15–17): odd for men, even for women."""
    return int(citizen_id[16]) % 2 == 1


def make_citizen_id(region6: str, birth: date, sequence: int) -> str:
    """A well-formed citizen ID number for demo data (odd sequence: male, even: female)."""
    if not 0 <= sequence <= 999:
        raise ValueError("sequence runs from 0 to 999")
    if len(region6) != 6 or not region6.isdigit():
        raise ValueError("region6 must be 6 digits")
    first17 = f"{region6}{birth:%Y%m%d}{sequence:03d}"
    return first17 + citizen_id_check_digit(first17)


# --- Unified social credit code (GB 32100-2015) -------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {char: value for value, char in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_VALUES = {
    char: value for value, char in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}
_USCC_SHAPE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")

USCC_MESSAGES = {
    "uscc_required": "请填写统一社会信用代码。",
    "uscc_length": "统一社会信用代码应为18位，请核对后重新输入。",
    "uscc_characters": (
        "统一社会信用代码只能包含数字和大写字母（不使用I、O、S、V、Z），请核对后重新输入。"
    ),
    "uscc_check_character": "统一社会信用代码最后一位校验码不正确，请核对后重新输入。",
    "uscc_organisation_code": (
        "统一社会信用代码第9至17位的组织机构代码不正确（第17位校验码不符），请核对后重新输入。"
    ),
    "uscc_region": "统一社会信用代码第3至8位的地区码不正确，请核对后重新输入。",
}


def _uscc_error(code: str) -> InvalidInput:
    return InvalidInput(USCC_MESSAGES[code], code=code)


def organisation_code_check_character(body8: str) -> str:
    """GB 11714 check character (USCC position 17) for the 8-character organisation code body."""
    if len(body8) != 8 or any(char not in _ORG_CODE_VALUES for char in body8):
        raise ValueError("organisation code body is 8 digits or capital letters")
    total = sum(
        _ORG_CODE_VALUES[char] * weight
        for char, weight in zip(body8, _ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check_character(first17: str) -> str:
    """The 18th character of a USCC for its first 17 characters."""
    if len(first17) != 17 or any(char not in _USCC_VALUES for char in first17):
        raise ValueError("uscc_check_character needs 17 characters of the GB 32100 alphabet")
    total = sum(
        _USCC_VALUES[char] * weight for char, weight in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(value: str) -> str:
    """The canonical 18-character USCC, or `InvalidInput`."""
    cleaned = _clean(value)
    if not cleaned:
        raise _uscc_error("uscc_required")
    if len(cleaned) != 18:
        raise _uscc_error("uscc_length")
    if not _USCC_SHAPE.match(cleaned):
        raise _uscc_error("uscc_characters")
    if uscc_check_character(cleaned[:17]) != cleaned[17]:
        raise _uscc_error("uscc_check_character")
    if organisation_code_check_character(cleaned[8:16]) != cleaned[16]:
        raise _uscc_error("uscc_organisation_code")
    if not cleaned[2:8].isdigit() or cleaned[2:4] not in _USCC_PROVINCES:
        raise _uscc_error("uscc_region")
    return cleaned


def make_uscc(authority: str, category: str, region6: str, org_body8: str) -> str:
    """A well-formed USCC for demo data; computes positions 17 and 18."""
    if len(authority) != 1 or len(category) != 1 or len(region6) != 6:
        raise ValueError("authority and category are one character, region6 six digits")
    first16 = f"{authority}{category}{region6}{org_body8}"
    first17 = first16 + organisation_code_check_character(org_body8)
    return first17 + uscc_check_character(first17)


# --- Region codes (GB/T 2260, GB/T 10114) ---------------------------------------------------------

REGION_CODE_MESSAGES = {
    "region_code_required": "请填写行政区划代码。",
    "region_code_format": "行政区划代码应为6位或12位数字，请核对后重新输入。",
    "region_code_province": "行政区划代码前两位不是有效的省级代码，请核对后重新输入。",
}
_REGION_CODE = re.compile(r"^(\d{6}|\d{12})$")


def normalise_region_code(value: str) -> str:
    """A 6-digit county-level or 12-digit town/village code, or `InvalidInput`."""
    cleaned = _clean(value)
    if not cleaned:
        code = "region_code_required"
    elif not _REGION_CODE.match(cleaned):
        code = "region_code_format"
    elif cleaned[:2] not in PROVINCE_CODES:
        code = "region_code_province"
    else:
        return cleaned
    raise InvalidInput(REGION_CODE_MESSAGES[code], code=code)


# --- Django form validators -----------------------------------------------------------------------


def validate_citizen_id(value: str) -> None:
    try:
        normalise_citizen_id(value)
    except InvalidInput as exc:
        raise ValidationError(exc.message, code=exc.code) from exc


def validate_uscc(value: str) -> None:
    try:
        normalise_uscc(value)
    except InvalidInput as exc:
        raise ValidationError(exc.message, code=exc.code) from exc


def validate_region_code(value: str) -> None:
    try:
        normalise_region_code(value)
    except InvalidInput as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
