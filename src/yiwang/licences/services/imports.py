"""Bulk import of historical licences from Excel (历史证照批量导入), all or nothing.

    report = licence_import_workbook(data=uploaded_bytes, department_id=7, actor=user)
    data = licence_import_template(licence_type_codes=["MARRIAGE"])        # .xlsx bytes

A department loads the licences it issued before the platform existed. Every row of the sheet
(`licences.excel`) is checked first — the type, the number (not twice in the file, not already
in the library for this department), the holder's code and code type, the dates, the trust level
and the face data against the type's schema (`face.clean_face`) — and every problem is collected
with its row, column and a Chinese sentence. If there is any, `RuleViolated(code=
"import_refused")` lists them all and nothing is written. Otherwise every row is issued through
`licence_issue` (signed with the department's key, status history, audit, `LicenceIssued`) in one
transaction, oldest first, so that when a holder may hold one licence of a type the later ones
supersede the earlier. `docs/licences-import.md` describes the columns and the numbers.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.identity.models import User
from yiwang.licences import excel
from yiwang.licences.face import clean_face
from yiwang.licences.holders import Holder, normalise_holder_code
from yiwang.licences.models import Licence, LicenceType
from yiwang.licences.selectors import user_may_issue
from yiwang.licences.services.issuing import licence_issue
from yiwang.licences.workflow import HolderKind, LicenceStatus, ValidityRule
from yiwang.org.models import Department
from yiwang.platform.errors import FieldError, Forbidden, InvalidInput, NotFound, RuleViolated
from yiwang.platform.services import audit_record

__all__ = [
    "ImportProblem",
    "LicenceImportReport",
    "licence_import_template",
    "licence_import_workbook",
]

MAX_ERRORS_SHOWN = 500  # beyond this, one more line says how many were left out
BATCH = 500  # look-ups in the library, this many values per query
NUMBER_MAX = 60
HOLDER_NAME_MAX = 200


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file: its row (0 for the file as a whole), the column's name and
    letter ("" when not one column) and what to do, in a sentence that names both."""

    row: int
    column: str
    letter: str
    message: str

    @property
    def cell(self) -> str:
        """`E12` for a cell, `12` for a whole row, "" for the file."""
        if not self.row:
            return ""
        return f"{self.letter}{self.row}" if self.letter else str(self.row)


@dataclass
class LicenceImportReport:
    issued: int = 0
    superseded: int = 0  # licences (in the library or earlier in the file) a row replaced
    seconds: float = 0.0
    licence_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "导入完成：共颁发 %(issued)s 张电子证照，其中 %(superseded)s 张取代了持证主体原有的"
            "同类证照；用时 %(seconds)s 秒。"
        ) % {"issued": self.issued, "superseded": self.superseded, "seconds": f"{self.seconds:.1f}"}


@dataclass
class _Row:
    row: int
    licence_type: LicenceType
    holder: Holder  # the code normalised
    number: str
    issued_on: date
    valid_from: date
    valid_to: date | None
    trust_level: str
    face: dict[str, str]
    face_columns: dict[str, str]  # face key → header, for problems found while issuing


# --- Problems -------------------------------------------------------------------------------------


def _refusal(problems: list[ImportProblem]) -> RuleViolated:
    ordered = sorted(problems, key=lambda p: (p.row, p.letter.rjust(3)))
    shown = ordered[:MAX_ERRORS_SHOWN]
    errors = [FieldError(field=p.cell, message=p.message) for p in shown]
    if len(ordered) > len(shown):
        left = len(ordered) - len(shown)
        errors.append(FieldError(field="", message=_("另有 %(n)s 处错误未列出。") % {"n": left}))
    return RuleViolated(
        _("导入文件有 %(n)s 处错误，未导入任何内容。请逐项修改后重新上传。") % {"n": len(ordered)},
        code="import_refused",
        errors=errors,
    )


class _Collector:
    """Problems of one sheet, located by the sheet's column letters."""

    def __init__(self, letters: dict[str, str]) -> None:
        self.letters = letters
        self.problems: list[ImportProblem] = []

    def cell(self, row: int, header: str, problem: str) -> None:
        message = _("第%(row)s行“%(column)s”%(problem)s") % {
            "row": row,
            "column": header,
            "problem": problem,
        }
        self.problems.append(ImportProblem(row, header, self.letters.get(header, ""), message))

    def row(self, row: int, header: str, problem: str) -> None:
        """A sentence that names its column itself (the face schema's messages)."""
        message = _("第%(row)s行：%(problem)s") % {"row": row, "problem": problem}
        self.problems.append(ImportProblem(row, header, self.letters.get(header, ""), message))


# --- Checking -------------------------------------------------------------------------------------


def _department(actor: User, department_id: int) -> Department:
    if not user_may_issue(actor, department_id):
        raise Forbidden(_("您没有以该部门名义导入电子证照的权限。"))
    department = Department.objects.filter(pk=department_id).select_related("region").first()
    if department is None:
        raise NotFound()
    return department


def _header_problems(sheet: excel.Sheet, types: dict[str, LicenceType]) -> list[ImportProblem]:
    """Every column must be a fixed column or a face field (label or face:<key>) of a type."""
    labels: set[str] = set()
    keys: set[str] = set()
    for licence_type in types.values():
        for field_schema in licence_type.face_fields:
            labels.add(str(field_schema.get("label") or "").strip())
            keys.add(f"{excel.FACE_PREFIX}{field_schema['key']}")
    problems = []
    for header, letter in sheet.letters.items():
        if header in excel.FIXED_HEADERS or header in labels or header in keys:
            continue
        message = _(
            "第1行“%(column)s”不是模板中的列，也不是任何证照类型的证面信息项，请核对列名"
        ) % {"column": header}
        problems.append(ImportProblem(1, header, letter, message))
    return problems


def _required_text(out: _Collector, values: dict[str, Any], row: int, column: excel.Column) -> str:
    value = excel.text(values.get(column.header))
    if not value:
        out.cell(row, column.header, _("不能为空"))
    return value


def _type_of(
    out: _Collector, values: dict[str, Any], row: int, types: dict[str, LicenceType]
) -> LicenceType | None:
    code = _required_text(out, values, row, excel.TYPE_CODE)
    if not code:
        return None
    licence_type = types.get(code)
    if licence_type is None:
        out.cell(
            row,
            excel.TYPE_CODE.header,
            _("“%(code)s”不是证照类型简码，请按模板说明填写") % {"code": code},
        )
        return None
    if not licence_type.is_active:
        out.cell(
            row, excel.TYPE_CODE.header, _("证照类型“%(name)s”已停用") % {"name": licence_type.name}
        )
        return None
    return licence_type


def _holder_of(
    out: _Collector, values: dict[str, Any], row: int, licence_type: LicenceType | None
) -> Holder | None:
    name = _required_text(out, values, row, excel.HOLDER_NAME)
    if len(name) > HOLDER_NAME_MAX:
        out.cell(row, excel.HOLDER_NAME.header, _("不能超过 %(n)s 个字") % {"n": HOLDER_NAME_MAX})
    code_type = None
    if _required_text(out, values, row, excel.HOLDER_CODE_TYPE):
        code_type = excel.parse_code_type(values[excel.HOLDER_CODE_TYPE.header])
        if code_type is None:
            out.cell(
                row,
                excel.HOLDER_CODE_TYPE.header,
                _("应为 111（公民身份号码）或 001（统一社会信用代码）"),
            )
        elif licence_type is not None and code_type != licence_type.holder_kind:
            kind = HolderKind(licence_type.holder_kind)
            out.cell(
                row,
                excel.HOLDER_CODE_TYPE.header,
                _("应为 %(code)s：%(type)s的持证主体为%(kind)s")
                % {"code": kind.value, "type": licence_type.name, "kind": kind.label},
            )
            code_type = None
    raw = values.get(excel.HOLDER_CODE.header)
    code = _required_text(out, values, row, excel.HOLDER_CODE)
    if not code or code_type is None:
        return None
    try:
        code = normalise_holder_code(code_type, code)
    except InvalidInput as error:
        problem = error.errors[0].message if error.errors else error.message
        if isinstance(raw, int | float):
            problem += _("（该单元格是数字，Excel 可能已改动号码：请将本列设为文本格式后重新填写）")
        out.cell(row, excel.HOLDER_CODE.header, problem)
        return None
    if not name or len(name) > HOLDER_NAME_MAX:
        return None
    return Holder(code_type, code, name)


def _date_of(
    out: _Collector, values: dict[str, Any], row: int, column: excel.Column
) -> tuple[date | None, bool]:
    """(the date or None, whether the cell was fine)."""
    raw = values.get(column.header)
    if raw is None:
        if column.required:
            out.cell(row, column.header, _("不能为空"))
            return None, False
        return None, True
    parsed = excel.parse_date(raw)
    if parsed is None:
        out.cell(row, column.header, _("应为日期（如 2019-06-30）"))
        return None, False
    return parsed, True


def _dates_of(
    out: _Collector, values: dict[str, Any], row: int, licence_type: LicenceType | None
) -> tuple[date, date, date | None] | None:
    issued_on, ok_issued = _date_of(out, values, row, excel.ISSUED_ON)
    if issued_on is not None and issued_on > timezone.localdate():
        out.cell(row, excel.ISSUED_ON.header, _("不能晚于今天"))
        ok_issued = False
    valid_from, ok_from = _date_of(out, values, row, excel.VALID_FROM)
    valid_to: date | None = None
    ok_to = True
    if not excel.is_long_term(values.get(excel.VALID_TO.header)):
        valid_to, ok_to = _date_of(out, values, row, excel.VALID_TO)
    if not (ok_issued and ok_from and ok_to) or issued_on is None:
        return None
    valid_from = valid_from or issued_on
    if valid_to is not None and valid_to < valid_from:
        out.cell(row, excel.VALID_TO.header, _("不能早于有效期起（%(d)s）") % {"d": valid_from})
        return None
    if (
        valid_to is None
        and licence_type is not None
        and licence_type.validity_rule == ValidityRule.STATED
    ):
        out.cell(
            row,
            excel.VALID_TO.header,
            _("不能为空：%(type)s的有效期以证面为准") % {"type": licence_type.name},
        )
        return None
    return issued_on, valid_from, valid_to


def _face_of(
    out: _Collector, sheet: excel.Sheet, values: dict[str, Any], row: int, t: LicenceType
) -> tuple[dict[str, str], dict[str, str]] | None:
    schema = t.face_fields
    columns = {str(f["key"]): excel.face_column_of(f, schema, sheet.letters) for f in schema}
    data = {key: values[h] for key, h in columns.items() if h and values.get(h) is not None}
    for field_schema in schema:  # face dates take the same spellings as the date columns
        key = str(field_schema["key"])
        if field_schema.get("kind") == "date" and key in data:
            data[key] = excel.parse_date(data[key]) or data[key]
    cleaned, problems = clean_face(schema, data)
    for problem in problems:
        key = problem.field.removeprefix("face.")
        header = columns.get(key, "")
        message = problem.message
        if not header:
            message += _("（表中没有这一列）")
        out.row(row, header, message)
    own = {h for h in columns.values() if h}
    ok = not problems
    for header in values:
        if header in excel.FIXED_HEADERS or header in own:
            continue
        ok = False
        out.cell(row, header, _("不是%(type)s的证面信息项，应留空") % {"type": t.name})
    return (cleaned, {k: h for k, h in columns.items() if h}) if ok else None


def _check_row(
    out: _Collector,
    sheet: excel.Sheet,
    line: excel.SheetRow,
    types: dict[str, LicenceType],
    numbers: dict[tuple[str, str], int],
) -> _Row | None:
    values, row = line.values, line.row
    before = len(out.problems)
    licence_type = _type_of(out, values, row, types)
    number = _required_text(out, values, row, excel.NUMBER)
    if len(number) > NUMBER_MAX:
        out.cell(row, excel.NUMBER.header, _("不能超过 %(n)s 个字") % {"n": NUMBER_MAX})
    elif number and licence_type is not None:
        first = numbers.setdefault((licence_type.code, number), row)
        if first != row:
            out.cell(
                row,
                excel.NUMBER.header,
                _("与第%(row)s行重复（同一类型的编号不能重复）") % {"row": first},
            )
    holder = _holder_of(out, values, row, licence_type)
    dates = _dates_of(out, values, row, licence_type)
    trust_level = excel.parse_trust_level(values.get(excel.TRUST_LEVEL.header))
    if trust_level is None:
        out.cell(row, excel.TRUST_LEVEL.header, _("应为 A、B、C 或 D"))
    face = _face_of(out, sheet, values, row, licence_type) if licence_type is not None else None
    if (
        len(out.problems) > before
        or licence_type is None
        or holder is None
        or dates is None
        or trust_level is None
        or face is None
    ):
        return None
    return _Row(
        row=row,
        licence_type=licence_type,
        holder=holder,
        number=number,
        issued_on=dates[0],
        valid_from=dates[1],
        valid_to=dates[2],
        trust_level=trust_level,
        face=face[0],
        face_columns=face[1],
    )


def _check_library(out: _Collector, rows: list[_Row], department: Department) -> None:
    """Numbers the department already has in the library, and holders who already hold a newer
    valid licence of a type they may hold only one of (a historical row must not replace it)."""
    by_type: dict[int, list[_Row]] = {}
    for item in rows:
        by_type.setdefault(item.licence_type.pk, []).append(item)
    for type_id, group in by_type.items():
        wanted = {item.number: item for item in group}
        numbers = list(wanted)
        for start in range(0, len(numbers), BATCH):
            for number in Licence.objects.filter(
                issuer=department,
                licence_type_id=type_id,
                number__in=numbers[start : start + BATCH],
            ).values_list("number", flat=True):
                item = wanted[number]
                out.cell(
                    item.row,
                    excel.NUMBER.header,
                    _("证照库中已有本单位颁发的编号为“%(number)s”的%(type)s，不能重复导入")
                    % {"number": number, "type": item.licence_type.name},
                )
    single = [item for item in rows if not item.licence_type.several_valid]
    by_holder: dict[tuple[str, int], list[_Row]] = {}
    for item in single:
        by_holder.setdefault((item.holder.index, item.licence_type.pk), []).append(item)
    indexes = list({index for index, _type_id in by_holder})
    for start in range(0, len(indexes), BATCH):
        current = Licence.objects.filter(
            holder_code_index__in=indexes[start : start + BATCH],
            licence_type_id__in={t for _index, t in by_holder},
            status__in=[LicenceStatus.VALID, LicenceStatus.SUSPENDED],
        ).values_list("holder_code_index", "licence_type_id", "issued_on", "number")
        for index, type_id, issued_on, number in current:
            for item in by_holder.get((index, type_id), []):
                if issued_on > item.issued_on:
                    out.row(
                        item.row,
                        excel.HOLDER_CODE.header,
                        _(
                            "持证主体已有更晚颁发的有效%(type)s（编号 %(number)s，"
                            "%(date)s 颁发），历史证照不能取代它"
                        )
                        % {"type": item.licence_type.name, "number": number, "date": issued_on},
                    )


def _checked(sheet: excel.Sheet, department: Department) -> tuple[list[_Row], list[ImportProblem]]:
    types = {t.code: t for t in LicenceType.objects.all()}
    problems = _header_problems(sheet, types)
    if problems:
        return [], problems
    out = _Collector(sheet.letters)
    numbers: dict[tuple[str, str], int] = {}
    rows = [r for line in sheet.rows if (r := _check_row(out, sheet, line, types, numbers))]
    _check_library(out, rows, department)
    return rows, out.problems


# --- Writing --------------------------------------------------------------------------------------

_FIELD_COLUMNS = {
    "holder_code": excel.HOLDER_CODE.header,
    "holder_code_type": excel.HOLDER_CODE_TYPE.header,
    "holder_name": excel.HOLDER_NAME.header,
    "licence_type": excel.TYPE_CODE.header,
    "trust_level": excel.TRUST_LEVEL.header,
    "valid_to": excel.VALID_TO.header,
    "valid_from": excel.VALID_FROM.header,
    "issued_on": excel.ISSUED_ON.header,
    "number": excel.NUMBER.header,
}


def _issue(
    rows: list[_Row], department: Department, actor: User, out: _Collector
) -> LicenceImportReport:
    report = LicenceImportReport()
    for item in sorted(rows, key=lambda r: (r.issued_on, r.row)):
        try:
            licence = licence_issue(
                licence_type=item.licence_type,
                holder=item.holder,
                issuer=department,
                face=item.face,
                actor=actor,
                number=item.number,
                issued_on=item.issued_on,
                valid_from=item.valid_from,
                valid_to=item.valid_to,
                trust_level=item.trust_level,
            )
        except InvalidInput as error:  # what the checks above did not foresee: still reported
            for problem in error.errors or [FieldError("", error.message)]:
                key = problem.field.removeprefix("face.")
                header = item.face_columns.get(key) or _FIELD_COLUMNS.get(problem.field, "")
                out.row(item.row, header, problem.message)
            continue
        report.issued += 1
        report.licence_ids.append(licence.pk)
        if licence.previous_id is not None:
            report.superseded += 1
    return report


def licence_import_workbook(*, data: bytes, department_id: int, actor: User) -> LicenceImportReport:
    """Import the workbook's licences as issued by the department, or refuse the whole file.

    Raises `Forbidden` when the actor may not issue for the department (nothing is read),
    `NotFound` for an unknown department, and `RuleViolated(code="import_refused")` whose
    `errors` are `FieldError(field=<cell: "E12", a row "12", or "" for the file>, message=<a
    Chinese sentence naming the row and column>)` when anything is wrong; nothing is written then.
    """
    started = time.monotonic()
    department = _department(actor, department_id)
    sheet = excel.read_sheet(data)
    if sheet.problems:
        raise _refusal([ImportProblem(p.row, "", p.letter, p.message) for p in sheet.problems])
    rows, problems = _checked(sheet, department)
    if problems:
        raise _refusal(problems)
    out = _Collector(sheet.letters)
    with transaction.atomic():
        report = _issue(rows, department, actor, out)
        if out.problems:
            raise _refusal(out.problems)  # leaving the block rolls every row back
        report.seconds = time.monotonic() - started
        audit_record(
            actor=actor,
            action="licences.import",
            target=department,
            summary=f"{department.name} 导入历史电子证照 {report.issued} 张"[:200],
            details={"issued": report.issued, "superseded": report.superseded},
        )
    return report


def licence_import_template(*, licence_type_codes: Sequence[str] = ()) -> bytes:
    """The import template (.xlsx) for these types (all active types when none are given), with
    one column per face field; `NotFound` for a code that is not an active type."""
    active = {t.code: t for t in LicenceType.objects.filter(is_active=True).order_by("code")}
    codes = [c.strip() for c in licence_type_codes if c.strip()]
    for code in codes:
        if code not in active:
            raise NotFound(_("没有类型简码为“%(code)s”的在用证照类型。") % {"code": code})
    types = [active[c] for c in dict.fromkeys(codes)] if codes else list(active.values())
    return excel.template_workbook(types)
