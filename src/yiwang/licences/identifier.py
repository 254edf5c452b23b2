"""GB/T 36904 licence identifiers and their ISO/IEC 7064 MOD 37,36 check character.

    1.2.156.3005.2 . type code . issuer USCC . serial . version . check
    root OID         21 chars    18 chars     ≤20      3 digits   1 char

The type code is the defining authority's USCC followed by a three-digit sequence. The check
character is computed over type code + issuer + serial + version (no dots), with the values
0–9 → 0–9 and A–Z → 10–35. Pure functions, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROOT_OID = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}

_TYPE_CODE = re.compile(r"^[0-9A-Z]{18}\d{3}$")
_ISSUER = re.compile(r"^[0-9A-Z]{18}$")
_SERIAL = re.compile(r"^[0-9A-Z]{1,20}$")
_VERSION = re.compile(r"^\d{3}$")


class IdentifierError(ValueError):
    """A malformed identifier; `message` says in Chinese what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_character(body: str) -> str:
    """MOD 37,36 hybrid check character of `body` (upper-case alphanumerics)."""
    p = 36
    for ch in body:
        value = _VALUE.get(ch)
        if value is None:
            raise IdentifierError(f"“{ch}”不是数字或大写字母")
        s = (p + value) % 36 or 36
        p = (2 * s) % 37
    return ALPHABET[(37 - p) % 36]


@dataclass(frozen=True)
class LicenceIdentifier:
    type_code: str
    issuer_code: str
    serial: str
    version: int

    def __post_init__(self) -> None:
        if not _TYPE_CODE.match(self.type_code):
            raise IdentifierError("证照类型代码应为 18 位统一社会信用代码加 3 位顺序号")
        if not _ISSUER.match(self.issuer_code):
            raise IdentifierError("颁证单位代码应为 18 位统一社会信用代码")
        if not _SERIAL.match(self.serial):
            raise IdentifierError("证照顺序号应为 1 至 20 位数字或大写字母")
        if not 1 <= self.version <= 999:
            raise IdentifierError("版本号应为 001 至 999")

    @property
    def body(self) -> str:
        return f"{self.type_code}{self.issuer_code}{self.serial}{self.version:03d}"

    @property
    def check(self) -> str:
        return check_character(self.body)

    def __str__(self) -> str:
        return ".".join(
            (
                ROOT_OID,
                self.type_code,
                self.issuer_code,
                self.serial,
                f"{self.version:03d}",
                self.check,
            )
        )


def parse_identifier(text: str) -> LicenceIdentifier:
    """Parse and check an identifier as printed or scanned; raises `IdentifierError`."""
    cleaned = text.strip().upper()
    if not cleaned.startswith(ROOT_OID + "."):
        raise IdentifierError("这不是电子证照标识（应以 1.2.156.3005.2 开头）")
    parts = cleaned[len(ROOT_OID) + 1 :].split(".")
    if len(parts) != 5:
        raise IdentifierError(
            "电子证照标识应由类型代码、颁证单位代码、顺序号、版本号和校验位五段组成"
        )
    type_code, issuer_code, serial, version, check = parts
    if not _VERSION.match(version):
        raise IdentifierError("版本号应为 3 位数字")
    identifier = LicenceIdentifier(type_code, issuer_code, serial, int(version))
    if len(check) != 1 or identifier.check != check:
        raise IdentifierError("校验位不符，标识可能抄错或被改动")
    return identifier
