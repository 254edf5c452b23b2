"""The implementation-list spreadsheet (实施清单导入模板): its sheets and columns (`template`), a
reader that turns a workbook into typed rows or says, cell by cell, what is wrong (`reader`, over
the streaming `xlsx` reader), and a writer (`writer`, openpyxl).

No database and no rules here: `services/imports.py` checks references (departments, regions,
themes) and the publication rules, and writes. `docs/catalog-import.md` documents every column.
"""

from yiwang.catalog.excel.reader import CellProblem, ParsedRow, ParsedWorkbook, read_workbook
from yiwang.catalog.excel.template import (
    CHILD_SHEETS,
    INSTRUCTIONS_TITLE,
    ITEMS,
    SHEETS,
    Column,
    Sheet,
)
from yiwang.catalog.excel.writer import template_workbook, write_workbook

__all__ = [
    "CHILD_SHEETS",
    "INSTRUCTIONS_TITLE",
    "ITEMS",
    "SHEETS",
    "CellProblem",
    "Column",
    "ParsedRow",
    "ParsedWorkbook",
    "Sheet",
    "read_workbook",
    "template_workbook",
    "write_workbook",
]
