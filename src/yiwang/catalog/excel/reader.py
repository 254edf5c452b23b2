"""Reading a workbook into typed rows, or saying, cell by cell, what is wrong with it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils import get_column_letter

from yiwang.catalog.excel.template import (
    BOOL,
    CHOICE,
    CODES,
    DECIMAL,
    INT,
    ITEMS,
    LIST,
    MAX_ROWS,
    SHEETS,
    Choices,
    Column,
    Sheet,
)
from yiwang.catalog.excel.xlsx import XlsxError, XlsxReader

_SEPARATORS = ("^", "、", ",", "，", ";", "；")
_TRUE = {"是", "y", "yes", "true", "1", "√"}
_FALSE = {"否", "n", "no", "false", "0", ""}


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong with the file, located as precisely as it can be."""

    sheet: str
    row: int  # 0: the sheet or the file as a whole
    column: str  # column letter, "" when the problem is not in one cell
    message: str


@dataclass
class ParsedRow:
    sheet: Sheet
    row: int  # the spreadsheet's row number (the header is row 1)
    values: dict[str, Any]
    letters: dict[str, str]  # field → column letter
    bad: bool = False  # a cell of this row has a problem (reported in `problems`)

    def letter(self, field_name: str) -> str:
        return self.letters.get(field_name, "")


@dataclass
class ParsedWorkbook:
    rows: dict[str, list[ParsedRow]] = field(default_factory=dict)  # relation → rows
    problems: list[CellProblem] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse(column: Column, raw: Any) -> tuple[Any, str | None]:
    """(value, problem): the cell's typed value, or what is wrong with it (in words)."""
    text = _text(raw)
    if not text:
        if column.required:
            return None, "不能为空"
        return _EMPTY.get(column.kind, ""), None
    if column.kind == INT:
        if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
            number = int(raw)
        elif text.isdigit():
            number = int(text)
        else:
            return None, "应为不小于0的整数"
        if number < 0:
            return None, "应为不小于0的整数"
        return number, None
    if column.kind == DECIMAL:
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None, "应为金额（数字，最多两位小数）"
        if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= Decimal(10**10):
            return None, "应为金额（数字，最多两位小数）"
        return amount, None
    if column.kind == BOOL:
        lowered = text.lower()
        if lowered in _TRUE:
            return True, None
        if lowered in _FALSE:
            return False, None
        return None, "应填“是”或“否”"
    if column.kind == CHOICE:
        code = _choice(column.choices, text)
        if code is None:
            return None, f"应为以下之一：{column.choice_text()}"
        return code, None
    if column.kind in (CODES, LIST):
        parts = _split(text)
        if column.kind == LIST:
            value: Any = parts
        else:
            codes = [_choice(column.choices, part) for part in parts]
            if any(code is None for code in codes) or not codes:
                return None, f"应为以下代码，可多个（用^分隔）：{column.choice_text()}"
            value = list(dict.fromkeys(code for code in codes if code is not None))
        if column.max_length and len("、".join(parts)) > column.max_length:
            return None, f"不能超过{column.max_length}个字"
        return value, None
    if column.max_length and len(text) > column.max_length:
        return None, f"不能超过{column.max_length}个字（现有{len(text)}个字）"
    return text, None


_EMPTY: dict[str, Any] = {INT: None, DECIMAL: None, BOOL: None, CODES: [], LIST: [], CHOICE: ""}


def _choice(choices: Choices, text: str) -> str | None:
    for code, label in choices:
        if text in (code, label):
            return code
    # Excel turns “01” into 1: accept a code that lost its leading zero.
    if text.isdigit():
        for code, _ in choices:
            if code.isdigit() and int(code) == int(text):
                return code
    return None


def _split(text: str) -> list[str]:
    for separator in _SEPARATORS[1:]:
        text = text.replace(separator, _SEPARATORS[0])
    return [part.strip() for part in text.split(_SEPARATORS[0]) if part.strip()]


def _header_problems(
    sheet: Sheet, headers: list[str]
) -> tuple[dict[int, Column], list[CellProblem]]:
    """Map column positions to the template's columns; every unknown, repeated or missing
    required header is a problem."""
    by_header = {column.header: column for column in sheet.columns}
    mapping: dict[int, Column] = {}
    problems: list[CellProblem] = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        if not header:
            continue
        letter = get_column_letter(index + 1)
        column = by_header.get(header.rstrip("*").strip())
        if column is None:
            problems.append(
                CellProblem(sheet.title, 1, letter, f"第1行“{header}”不是模板中的列，请核对列名")
            )
        elif column.header in seen:
            problems.append(CellProblem(sheet.title, 1, letter, f"第1行“{header}”列重复"))
        else:
            seen.add(column.header)
            mapping[index] = column
    for column in sheet.columns:
        if column.required and column.header not in seen:
            problems.append(CellProblem(sheet.title, 1, "", f"缺少必填列“{column.header}”"))
    return mapping, problems


def _read_sheet(sheet: Sheet, rows: Iterator[tuple[int, list[Any]]], book: ParsedWorkbook) -> None:
    first = next(rows, None)
    headers = [_text(value) for value in first[1]] if first is not None and first[0] == 1 else []
    mapping, problems = _header_problems(sheet, headers)
    book.problems += problems
    parsed: list[ParsedRow] = []
    book.rows[sheet.relation] = parsed
    if problems:
        return
    letters = {column.field: get_column_letter(index + 1) for index, column in mapping.items()}
    defaults = {
        column.field: None if column.required else _EMPTY.get(column.kind, "")
        for column in sheet.columns
        if column not in mapping.values()
    }
    for number, raw_row in rows:
        if number > MAX_ROWS + 1:
            book.problems.append(
                CellProblem(sheet.title, number, "", f"行数超过上限（{MAX_ROWS}行），请分批导入")
            )
            return
        if all(_text(value) == "" for value in raw_row):
            continue
        values: dict[str, Any] = dict(defaults)  # optional columns left out take their default
        bad = False
        for index, column in mapping.items():
            raw = raw_row[index] if index < len(raw_row) else None
            value, problem = _parse(column, raw)
            if problem is not None:
                bad = True
                book.problems.append(
                    CellProblem(
                        sheet.title,
                        number,
                        letters[column.field],
                        f"第{number}行“{column.header}”{problem}",
                    )
                )
            values[column.field] = value
        parsed.append(ParsedRow(sheet, number, values, letters, bad))


def read_workbook(data: bytes) -> ParsedWorkbook:
    """Every row of every sheet, typed; `problems` lists everything wrong, never raises."""
    book = ParsedWorkbook()
    if not data:
        book.problems.append(
            CellProblem("", 0, "", "文件为空，请选择按模板填写的 Excel 文件（.xlsx）")
        )
        return book
    try:
        workbook = XlsxReader(data)
    except XlsxError:
        book.problems.append(
            CellProblem("", 0, "", "文件不是有效的 Excel 文件（.xlsx），请用导出的模板填写后上传")
        )
        return book
    try:
        titles = set(workbook.sheet_names)
        for sheet in SHEETS:
            if sheet.title not in titles:
                book.problems.append(CellProblem(sheet.title, 0, "", f"缺少工作表“{sheet.title}”"))
                continue
            _read_sheet(sheet, workbook.rows(sheet.title), book)
    except XlsxError:
        book.problems.append(
            CellProblem("", 0, "", "文件已损坏，无法读取，请用 Excel 重新保存后上传")
        )
    finally:
        workbook.close()
    if not book.problems and not book.rows.get(ITEMS.relation):
        book.problems.append(
            CellProblem(ITEMS.title, 0, "", "“事项”表没有任何事项，请至少填写一行")
        )
    return book
