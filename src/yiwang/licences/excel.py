"""The spreadsheet of historical licences (电子证照批量导入模板): its columns, reading an uploaded
workbook into rows of raw cell values, parsing single cells, and writing the template.

One sheet, one row per licence. Row 1 holds the column names: the fixed columns of `COLUMNS`,
then one column per face field, named by the field's Chinese label (`法定代表人`) or by
`face:<key>` (`face:legal_representative`), which always works and is what the template uses
when a label would be ambiguous. A template's row 2 explains every column and its row 3 is an
example; rows whose 证照类型简码 cell starts with “说明” or “示例” are skipped, so they may stay.

No database and no rules here: `services/imports.py` checks types, holders, face data and
duplicates, and issues. `docs/licences-import.md` documents the columns.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from yiwang.licences.models import LicenceType
from yiwang.licences.workflow import HolderKind, TrustLevel, ValidityRule
from yiwang.platform.validators import make_citizen_id, make_uscc

SHEET_TITLE = "电子证照"
FACE_PREFIX = "face:"
SKIP_MARKS = ("说明", "示例")
MAX_ROWS = 20_000
LONG_TERM_WORDS = frozenset({"长期", "长期有效", "永久", "永久有效"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    width: int = 16


TYPE_CODE = Column("type_code", "证照类型简码", True, 22)
NUMBER = Column("number", "证照编号", True, 20)
HOLDER_NAME = Column("holder_name", "持证主体名称", True, 24)
HOLDER_CODE_TYPE = Column("holder_code_type", "持证主体代码类型", True, 16)
HOLDER_CODE = Column("holder_code", "持证主体代码", True, 22)
ISSUED_ON = Column("issued_on", "颁证日期", True, 12)
VALID_FROM = Column("valid_from", "有效期起", False, 12)
VALID_TO = Column("valid_to", "有效期至", False, 12)
TRUST_LEVEL = Column("trust_level", "可信等级", False, 10)

COLUMNS: tuple[Column, ...] = (
    TYPE_CODE,
    NUMBER,
    HOLDER_NAME,
    HOLDER_CODE_TYPE,
    HOLDER_CODE,
    ISSUED_ON,
    VALID_FROM,
    VALID_TO,
    TRUST_LEVEL,
)
FIXED_HEADERS = frozenset(c.header for c in COLUMNS)


def column_notes() -> dict[str, str]:
    """What each fixed column takes (the template's row 2 and the documentation)."""
    return {
        TYPE_CODE.header: _("必填。证照类型简码（如 MARRIAGE_CERTIFICATE），须为在用的证照类型"),
        NUMBER.header: _("必填。证照上印制的编号；同一单位同一类型的编号不能重复"),
        HOLDER_NAME.header: _("必填。持证人姓名或单位名称"),
        HOLDER_CODE_TYPE.header: _("必填。111 公民身份号码，或 001 统一社会信用代码"),
        HOLDER_CODE.header: _("必填。18 位公民身份号码或统一社会信用代码；请将本列设为文本格式"),
        ISSUED_ON.header: _("必填。日期，如 2019-06-30；不能晚于今天"),
        VALID_FROM.header: _("可空，空为颁证日期"),
        VALID_TO.header: _(
            "可空。空或“长期有效”：按证照类型的有效期规则（固定年限的自有效期起算）"
        ),
        TRUST_LEVEL.header: _(
            "可空，空为 A。A 发证机关签发，B 经窗口与原件核对，C 申请人上传，D 申请人承诺"
        ),
    }


# --- Reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetProblem:
    """Something wrong with the file itself: row 0 is the whole file, row 1 the header row."""

    row: int
    letter: str
    message: str


@dataclass
class SheetRow:
    row: int  # the spreadsheet's row number (the header is row 1)
    values: dict[str, Any]  # header → cell value; empty cells are left out


@dataclass
class Sheet:
    letters: dict[str, str] = field(default_factory=dict)  # header → column letter, in order
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)


def _value(raw: Any) -> Any:
    """A cell as the checks want it: text stripped, dates as dates, whole floats as ints."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date() if raw.time() == datetime.min.time() else raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str):
        return raw.strip() or None
    return raw


def header_name(raw: Any) -> str:
    text = "" if raw is None else str(raw).strip()
    return text.rstrip("*＊").strip()


def read_sheet(data: bytes) -> Sheet:
    """Every non-empty row of the workbook's licence sheet (`电子证照`, or else the first sheet);
    `problems` lists what makes the file unreadable as a whole. Never raises."""
    sheet = Sheet()
    if not data:
        sheet.problems.append(
            SheetProblem(0, "", _("文件为空，请选择按模板填写的 Excel 文件（.xlsx）"))
        )
        return sheet
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        sheet.problems.append(
            SheetProblem(0, "", _("文件不是有效的 Excel 文件（.xlsx），请用下载的模板填写后上传"))
        )
        return sheet
    try:
        titles = workbook.sheetnames
        worksheet = workbook[SHEET_TITLE if SHEET_TITLE in titles else titles[0]]
        rows = worksheet.iter_rows(values_only=True)
        _read_rows(sheet, rows)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, IndexError):
        sheet.problems.append(
            SheetProblem(0, "", _("文件已损坏，无法读取，请用 Excel 重新保存后上传"))
        )
    finally:
        workbook.close()
    return sheet


def _read_rows(sheet: Sheet, rows: Any) -> None:
    first = next(rows, None)
    headers = [header_name(h) for h in (first or ())]
    positions: dict[int, str] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        letter = get_column_letter(index + 1)
        if header in sheet.letters:
            sheet.problems.append(
                SheetProblem(1, letter, _("第1行“%(header)s”列重复") % {"header": header})
            )
            continue
        sheet.letters[header] = letter
        positions[index] = header
    for column in COLUMNS:
        if column.required and column.header not in sheet.letters:
            sheet.problems.append(
                SheetProblem(1, "", _("第1行缺少必填列“%(header)s”") % {"header": column.header})
            )
    if sheet.problems:
        return
    for number, raw_row in enumerate(rows, start=2):
        values = {}
        for index, header in positions.items():
            value = _value(raw_row[index]) if index < len(raw_row) else None
            if value is not None:
                values[header] = value
        if not values:
            continue
        if str(values.get(TYPE_CODE.header, "")).startswith(SKIP_MARKS):
            continue  # the template's note and example rows
        if len(sheet.rows) >= MAX_ROWS:
            sheet.problems.append(
                SheetProblem(
                    number,
                    "",
                    _("超过 %(max)s 行，请分成几个文件导入（从第 %(row)s 行起未读取）")
                    % {"max": MAX_ROWS, "row": number},
                )
            )
            return
        sheet.rows.append(SheetRow(number, values))
    if not sheet.rows:
        sheet.problems.append(
            SheetProblem(0, "", _("表中没有任何证照，请从第2行起每行填写一张证照"))
        )


# --- Cells ----------------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value: Any) -> date | None:
    """A date cell or text (2019-06-30, 2019/6/30, 2019.6.30, 2019年6月30日, 20190630); None
    when it is not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    match = _DATE_TEXT.match(raw)
    if match is None and re.fullmatch(r"\d{8}", raw):
        match = re.match(r"(\d{4})(\d{2})(\d{2})", raw)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_code_type(value: Any) -> str | None:
    """111 or 001 (also their names, and 1 for an 001 that Excel turned into a number)."""
    raw = text(value)
    for kind in HolderKind:
        if raw in (kind.value, str(kind.label)) or (raw.isdigit() and int(raw) == int(kind.value)):
            return str(kind.value)
    return None


def parse_trust_level(value: Any) -> str | None:
    raw = text(value).upper().removesuffix("级")
    if not raw:
        return str(TrustLevel.A.value)
    return raw if raw in TrustLevel.values else None


def is_long_term(value: Any) -> bool:
    return text(value) in LONG_TERM_WORDS


# --- Face columns ---------------------------------------------------------------------------------


def face_header(field_schema: dict[str, Any], schema: list[dict[str, Any]]) -> str:
    """The column name the template uses for a face field: its label, unless another field of
    the type has the same label or the label is a fixed column's name; then `face:<key>`."""
    label = str(field_schema.get("label") or "").strip()
    same = [f for f in schema if str(f.get("label") or "").strip() == label]
    if not label or len(same) > 1 or label in FIXED_HEADERS or label.startswith(FACE_PREFIX):
        return f"{FACE_PREFIX}{field_schema['key']}"
    return label


def face_column_of(field_schema: dict[str, Any], schema: list[dict[str, Any]], letters: Any) -> str:
    """The header of the sheet's column holding this face field of a row's type ("" if none):
    `face:<key>` first, else the label when no other field of the type shares it."""
    by_key = f"{FACE_PREFIX}{field_schema['key']}"
    if by_key in letters:
        return by_key
    label = str(field_schema.get("label") or "").strip()
    same = [f for f in schema if str(f.get("label") or "").strip() == label]
    if label and len(same) == 1 and label in letters:
        return label
    return ""


# --- Writing --------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_NOTE = Font(italic=True, color="666666")
_EXAMPLE = Font(color="1F4E79")
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _face_note(field_schema: dict[str, Any], type_names: list[str]) -> str:
    kinds = {
        "text": _("文字"),
        "date": _("日期，如 2019-06-30"),
        "number": _("数字"),
        "choice": _("选项"),
    }
    kind = str(field_schema.get("kind", "text"))
    parts = [
        _("必填") if field_schema.get("required", True) else _("可空"),
        _("证面信息项（%(types)s）") % {"types": "、".join(type_names)},
        kinds.get(kind, kind),
    ]
    if kind == "choice":
        parts.append(
            _("可选：%(choices)s") % {"choices": "、".join(map(str, field_schema["choices"]))}
        )
    if kind == "text" and field_schema.get("max_length"):
        parts.append(_("最多 %(n)s 字") % {"n": field_schema["max_length"]})
    return "。".join(parts)


def _face_example(field_schema: dict[str, Any]) -> str:
    kind = field_schema.get("kind", "text")
    if kind == "date":
        return "2019-06-30"
    if kind == "number":
        return "100"
    if kind == "choice":
        return str(field_schema["choices"][0])
    return str(field_schema.get("label") or field_schema["key"])[:20]


def _example_row(licence_type: LicenceType) -> dict[str, Any]:
    citizen = licence_type.holder_kind == HolderKind.CITIZEN
    valid_to = "2029-06-29" if licence_type.validity_rule == ValidityRule.STATED else ""
    return {
        TYPE_CODE.header: f"{SKIP_MARKS[1]}：{licence_type.code}",
        NUMBER.header: "2019000123",
        HOLDER_NAME.header: "张三" if citizen else "示范市某某有限公司",
        HOLDER_CODE_TYPE.header: licence_type.holder_kind,
        HOLDER_CODE.header: make_citizen_id("359900", date(1990, 1, 1), 1)
        if citizen
        else make_uscc("9", "1", "359900", "00000001"),
        ISSUED_ON.header: "2019-06-30",
        VALID_FROM.header: "",
        VALID_TO.header: valid_to,
        TRUST_LEVEL.header: "A",
    }


def template_workbook(types: Sequence[LicenceType]) -> bytes:
    """The template for these types: the header row (required columns marked * and shaded), a
    note row, an example row (both skipped on import), one column per distinct face header."""
    notes = column_notes()
    headers = [c.header for c in COLUMNS]
    widths = [c.width for c in COLUMNS]
    required = {c.header for c in COLUMNS if c.required}
    face_types: dict[str, list[str]] = {}
    face_fields: dict[str, dict[str, Any]] = {}
    for licence_type in types:
        for field_schema in licence_type.face_fields:
            header = face_header(field_schema, licence_type.face_fields)
            if header not in face_fields:
                headers.append(header)
                widths.append(18)
                face_fields[header] = field_schema
            face_types.setdefault(header, []).append(licence_type.name)
    for header, field_schema in face_fields.items():
        notes[header] = _face_note(field_schema, face_types[header])
    example: dict[str, Any] = _example_row(types[0]) if types else {}
    if types:
        note = notes[TYPE_CODE.header]
        codes = "、".join(f"{t.code}（{t.name}）" for t in types)
        these = _("本模板的类型：%(codes)s") % {"codes": codes}
        skipped = _("第2、3行为说明和示例，导入时跳过")
        notes[TYPE_CODE.header] = f"{SKIP_MARKS[0]}：{note}。{these}。{skipped}"
        for field_schema in types[0].face_fields:
            example[face_header(field_schema, types[0].face_fields)] = _face_example(field_schema)
    else:
        notes[TYPE_CODE.header] = f"{SKIP_MARKS[0]}：{notes[TYPE_CODE.header]}"

    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = SHEET_TITLE
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = widths[index - 1]
        cell = ws.cell(row=1, column=index, value=f"{header}*" if header in required else header)
        cell.font = _BOLD
        if header in required:
            cell.fill = _REQUIRED_FILL
        note = ws.cell(row=2, column=index, value=notes.get(header, ""))
        note.font = _NOTE
        note.alignment = _WRAP
        sample = ws.cell(row=3, column=index, value=example.get(header) or None)
        sample.font = _EXAMPLE
        sample.number_format = "@"
        # Codes, numbers and dates stay text: Excel would turn an ID number into 1.2E+17.
        ws.column_dimensions[letter].number_format = "@"
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
