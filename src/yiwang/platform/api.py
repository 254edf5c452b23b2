"""Platform endpoints: identifier validation for department systems and forms.

Each answers 200 with `{valid, normalised, code, message}`; an invalid value is an answer, not an
error. The values travel in the query string, which the request log does not record.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from ninja import Router, Schema

from yiwang.platform.errors import InvalidInput
from yiwang.platform.validators import normalise_citizen_id, normalise_region_code, normalise_uscc

router = Router(tags=["平台"])


class IdentifierValidateOut(Schema):
    valid: bool
    normalised: str | None
    code: str | None
    message: str | None


def _validate(normalise: Callable[[str], str], value: str) -> IdentifierValidateOut:
    try:
        normalised = normalise(value)
    except InvalidInput as exc:
        return IdentifierValidateOut(
            valid=False, normalised=None, code=exc.code, message=exc.message
        )
    return IdentifierValidateOut(valid=True, normalised=normalised, code=None, message=None)


@router.get(
    "/validate/citizen-id",
    response=IdentifierValidateOut,
    summary="校验公民身份号码（GB 11643）",
    operation_id="platform_validate_citizen_id",
)
def validate_citizen_id(request: HttpRequest, value: str = "") -> IdentifierValidateOut:
    """Checks length, characters, check digit, region and birth date; converts 15-digit numbers."""
    return _validate(normalise_citizen_id, value)


@router.get(
    "/validate/uscc",
    response=IdentifierValidateOut,
    summary="校验统一社会信用代码（GB 32100）",
    operation_id="platform_validate_uscc",
)
def validate_uscc(request: HttpRequest, value: str = "") -> IdentifierValidateOut:
    """Checks the alphabet, both check characters (positions 17 and 18) and the region."""
    return _validate(normalise_uscc, value)


@router.get(
    "/validate/region-code",
    response=IdentifierValidateOut,
    summary="校验行政区划代码（GB/T 2260）",
    operation_id="platform_validate_region_code",
)
def validate_region_code(request: HttpRequest, value: str = "") -> IdentifierValidateOut:
    """6-digit county or 12-digit town/village code with a valid province prefix."""
    return _validate(normalise_region_code, value)
