"""Writing workbooks in the template's layout (openpyxl, write-only: fast and small)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yiwang.catalog.excel.template import (
    BOOL,
    CODES,
    DECIMAL,
    INSTRUCTIONS_TITLE,
    ITEMS,
    LIST,
    SHEETS,
    Column,
    Sheet,
)

_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_value(column: Column, value: Any) -> Any:
    if value is None or value == "":
        return None
    if column.kind == BOOL:
        return "是" if value else "否"
    if column.kind in (CODES, LIST):
        return "^".join(str(v) for v in value) if column.kind == CODES else "、".join(value)
    if column.kind == DECIMAL:
        return float(value)
    return value


def _header_cells(ws: Worksheet, sheet: Sheet) -> list[WriteOnlyCell]:
    cells = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=f"{column.header}*" if column.required else column.header)
        cell.font = _HEADER_FONT
        if column.required:
            cell.fill = _REQUIRED_FILL
        cells.append(cell)
    return cells


def _text_cell(ws: Worksheet, value: Any) -> Any:
    """Text that looks like a formula stays text (no formula injection into a manager's Excel)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _instructions(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 8
    ws.column_dimensions["D"].width = 90
    title = WriteOnlyCell(ws, value="实施清单导入模板说明")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    for line in (
        "导入全部成功或全部不写入：任何一处错误都会被列出（工作表、行、列），修改后重新上传。",
        "列名带*的为必填。选项列可填代码或名称（如“01”或“行政许可”）；多选用^分隔（如1^2^3）。",
        "实施编码已存在的事项，导入后发布新版本（内容未变的不产生新版本）；新的实施编码新建事项并发布。",
        "各子表（申请材料、收费项目、常见问题、办理流程、特殊环节、业务办理项）按实施编码对应事项，整体替换该事项原有内容。",
        "每个事项导入前按发布规则检查（承诺时限不超过法定时限、到现场次数与网办深度一致、收费事项有收费依据等）。",
    ):
        ws.append([line])
    ws.append([])
    header = [WriteOnlyCell(ws, value=text) for text in ("工作表", "列名", "必填", "说明和可选值")]
    for cell in header:
        cell.font = _HEADER_FONT
    ws.append(header)
    for sheet in SHEETS:
        ws.append([sheet.title, "", "", sheet.note])
        for column in sheet.columns:
            explained = "；".join(
                part
                for part in (
                    column.note,
                    f"可选值：{column.choice_text()}" if column.choices else "",
                )
                if part
            )
            cells = [
                WriteOnlyCell(ws, value=v)
                for v in ("", column.header, "是" if column.required else "", explained)
            ]
            cells[3].alignment = _WRAP
            ws.append(cells)


def write_workbook(rows: dict[str, Iterable[dict[str, Any]]]) -> bytes:
    """A workbook in the template's layout: the 说明 sheet, then one sheet per `SHEETS` entry
    filled from `rows[relation]` (dicts keyed by the columns' fields)."""
    workbook = Workbook(write_only=True)
    _instructions(workbook.create_sheet(INSTRUCTIONS_TITLE))
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.title)
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = "B2" if sheet is ITEMS else "A2"
        ws.append(_header_cells(ws, sheet))
        for row in rows.get(sheet.relation, ()):
            ws.append([_text_cell(ws, _cell_value(c, row.get(c.field))) for c in sheet.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The empty template (说明 and every sheet with its headers)."""
    return write_workbook({})


def headers_of(sheet: Sheet) -> Sequence[str]:
    return [column.header for column in sheet.columns]
