"""Face-field schemas of licence types and the validation of a licence's face data.

A schema is a list of fields: `{"key": "legal_representative", "label": "法定代表人",
"kind": "text" | "date" | "number" | "choice", "required": true, "max_length": 100,
"choices": [...]}`. Validated values are strings (dates as YYYY-MM-DD), which is what gets
signed. Pure functions, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

KINDS = ("text", "date", "number", "choice")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DEFAULT_MAX_LENGTH = 200


@dataclass(frozen=True)
class FaceProblem:
    field: str
    message: str


def schema_problems(schema: Any) -> list[FaceProblem]:
    """What is wrong with a type's schema itself (for the type editor)."""
    if not isinstance(schema, list):
        return [FaceProblem("face_fields", "证面信息项应为列表")]
    problems: list[FaceProblem] = []
    seen: set[str] = set()
    for position, item in enumerate(schema, start=1):
        where = f"face_fields[{position}]"
        if not isinstance(item, dict):
            problems.append(FaceProblem(where, f"第 {position} 项应为对象"))
            continue
        key = item.get("key")
        if not isinstance(key, str) or not _KEY.match(key):
            problems.append(
                FaceProblem(where, f"第 {position} 项的 key 应为小写英文字母开头的标识")
            )
        elif key in seen:
            problems.append(FaceProblem(where, f"信息项“{key}”重复"))
        else:
            seen.add(key)
        if not str(item.get("label") or "").strip():
            problems.append(FaceProblem(where, f"第 {position} 项缺少中文名称"))
        kind = item.get("kind", "text")
        if kind not in KINDS:
            problems.append(FaceProblem(where, f"第 {position} 项的类型应为 {'、'.join(KINDS)}"))
        if kind == "choice" and not (isinstance(item.get("choices"), list) and item["choices"]):
            problems.append(FaceProblem(where, f"第 {position} 项是选项类型，需要列出可选值"))
    return problems


def _clean_value(field: dict[str, Any], raw: Any) -> tuple[str, str | None]:
    label = str(field.get("label") or field["key"])
    kind = field.get("kind", "text")
    if isinstance(raw, date):
        text = raw.isoformat()
    elif isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        text = str(raw)
    else:
        text = str(raw).strip()
    if kind == "date":
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return text, f"“{label}”应为日期（如 2026-01-31）"
    if kind == "number":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text, f"“{label}”应为数字"
        if not number.is_finite():
            return text, f"“{label}”应为数字"
        return format(number.normalize(), "f") if number != number.to_integral() else str(
            int(number)
        ), None
    if kind == "choice":
        choices = [str(c) for c in field.get("choices", [])]
        if text not in choices:
            return text, f"“{label}”应为以下之一：{'、'.join(choices)}"
        return text, None
    limit = int(field.get("max_length") or DEFAULT_MAX_LENGTH)
    if len(text) > limit:
        return text, f"“{label}”不能超过 {limit} 个字"
    return text, None


def clean_face(
    schema: list[dict[str, Any]], data: dict[str, Any]
) -> tuple[dict[str, str], list[FaceProblem]]:
    """The face data as strings, in schema order, and every problem (missing required fields,
    wrong formats, fields the type does not have)."""
    cleaned: dict[str, str] = {}
    problems: list[FaceProblem] = []
    known = {str(f["key"]) for f in schema}
    for key in data:
        if key not in known:
            problems.append(FaceProblem(f"face.{key}", f"此类证照没有“{key}”信息项"))
    for field in schema:
        key = str(field["key"])
        raw = data.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if field.get("required", True):
                label = str(field.get("label") or key)
                problems.append(FaceProblem(f"face.{key}", f"请填写“{label}”"))
            continue
        value, problem = _clean_value(field, raw)
        if problem:
            problems.append(FaceProblem(f"face.{key}", problem))
        else:
            cleaned[key] = value
    return cleaned, problems
