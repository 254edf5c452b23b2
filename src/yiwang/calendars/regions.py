"""Region scopes of a calendar: the national calendar ("") and GB/T 2260 regional overrides.

A region's calendar is the national one with the overrides of every enclosing region laid over it,
the most specific last: a county (350402) inherits what its prefecture (350400) and province
(350000) declared, which is how local holidays of autonomous prefectures reach their counties.
Codes are plain strings: org is a sibling context, so no foreign key to its regions.
"""

from __future__ import annotations

import re
import unicodedata

from yiwang.platform.errors import FieldError, InvalidInput

NATIONAL = ""
_DIGITS = re.compile(r"^\d+$")
REGION_CODE_MESSAGE = "行政区划代码应为6位、9位或12位数字，例如 350400；查询全国日历请留空。"


def normalise_region_code(value: str | None, *, field: str = "region") -> str:
    """The canonical code: half-width digits, 6 digits for counties and above, 12 below them."""
    code = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or ""))
    if code == NATIONAL:
        return NATIONAL
    if not _DIGITS.match(code) or len(code) not in (6, 9, 12) or code[:2] == "00":
        raise InvalidInput(
            REGION_CODE_MESSAGE,
            code="region_code_invalid",
            errors=[FieldError(field=field, message=REGION_CODE_MESSAGE)],
        )
    if len(code) == 9:
        code += "000"
    if len(code) == 12 and code.endswith("000000"):
        code = code[:6]
    return code


def region_chain(code: str) -> tuple[str, ...]:
    """The scopes whose days apply to `code`, national first, most specific last."""
    if code == NATIONAL:
        return (NATIONAL,)
    chain = [NATIONAL, code[:2] + "0000", code[:4] + "00", code[:6]]
    if len(code) == 12:
        chain += [code[:9] + "000", code]
    return tuple(dict.fromkeys(chain))
