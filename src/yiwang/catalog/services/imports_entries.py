"""What an import is made of (entries), what goes wrong (`CatalogImportError`) and what it did
(`ImportReport`). Shared by the spreadsheet import and the demo loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yiwang.catalog.excel import ParsedRow

Row = dict[str, Any]


@dataclass
class ItemEntry:
    """One implementation item as it should be after the import: its identity, its guide fields
    (`ServiceItemVersion` columns), its child rows by relation (`materials`, `fees`, `faqs`,
    `procedure_steps`, `special_steps`, `handling_items`; each row a dict of that model's
    columns) and its theme codes. An existing implementation code gets a new published version
    when anything differs; a new one becomes a new item."""

    implementation_code: str
    basic_code: str
    department_uscc: str
    region_code: str
    exercise_level: str
    guide: dict[str, Any]
    children: dict[str, list[Row]] = field(default_factory=dict)
    theme_codes: list[str] = field(default_factory=list)
    local_code: str = ""
    delegated_from_code: str = ""
    delegation_note: str = ""
    popularity: int | None = None  # None: keep (new items: 0)
    # A basic item (基本目录) that does not exist yet is created from these.
    basic_name: str = ""
    basic_parent_code: str = ""
    basic_parent_name: str = ""
    # Where the entry came from, so that errors point at cells (spreadsheet imports only).
    source_row: ParsedRow | None = None
    child_source_rows: dict[str, list[ParsedRow]] = field(default_factory=dict)


@dataclass(frozen=True)
class CatalogImportError:
    """One problem, located: sheet, row and column letter of the spreadsheet (empty when the
    problem is not in one cell, e.g. a missing sheet), and a Chinese message that says what to
    change ("第12行“承诺办结时限”应为不小于0的整数")."""

    sheet: str
    row: int
    column: str
    message: str

    @property
    def cell(self) -> str:
        """`事项!T12`, `事项!12` (a whole row), `事项` (a whole sheet) or "" (the file)."""
        if not self.sheet:
            return ""
        if not self.row:
            return self.sheet
        return f"{self.sheet}!{self.column}{self.row}"

    def __str__(self) -> str:
        return f"{self.cell}：{self.message}" if self.cell else self.message


@dataclass
class ImportReport:
    """What an import did (or, with `errors`, why it did nothing)."""

    items_created: int = 0
    items_revised: int = 0  # a new version published
    items_unchanged: int = 0
    items_identity_updated: int = 0  # level, region, local code or delegation changed
    basic_items_created: int = 0
    versions_published: int = 0
    child_rows_written: int = 0
    errors: list[CatalogImportError] = field(default_factory=list)
    seconds: float = 0.0
    created_item_ids: list[int] = field(default_factory=list)
    published_version_ids: list[int] = field(default_factory=list)

    @property
    def items_total(self) -> int:
        return self.items_created + self.items_revised + self.items_unchanged

    def summary(self) -> str:
        return (
            f"共 {self.items_total} 个事项：新建 {self.items_created} 个，发布新版本 "
            f"{self.items_revised} 个，未变 {self.items_unchanged} 个；新建基本目录事项 "
            f"{self.basic_items_created} 个，写入材料等明细 {self.child_rows_written} 行；"
            f"用时 {self.seconds:.1f} 秒。"
        )
