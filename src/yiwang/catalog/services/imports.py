"""Import and export of the implementation list (实施清单) as Excel, all or nothing.

    report = catalog_import_workbook(data=uploaded_bytes, by=request.user)   # RuleViolated if bad
    data = catalog_export_workbook(department_ids=[...])                      # .xlsx bytes

An import reads every sheet (`catalog.excel`), checks every row and column and the publication
rules of the version each row would become (`imports_checks`), and only if nothing at all is
wrong writes everything in one transaction (`imports_write`); otherwise it raises
`RuleViolated(code="import_refused")` listing every problem as a `FieldError` whose field is the
cell (`事项!T12`), and nothing is written. `catalog_items_import` is the same for entries built in
code (the demo catalogue uses it).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models import OuterRef, Subquery

from yiwang.catalog import excel, workflow
from yiwang.catalog.models import (
    BasicItem,
    MaterialRequirement,
    ServiceItem,
    ServiceItemVersion,
    Theme,
)
from yiwang.catalog.selectors.management import CHILD_KIND_BY_RELATION, GUIDE_FIELDS, model_field
from yiwang.catalog.services.imports_checks import check_entries, default_of, orphan_rows
from yiwang.catalog.services.imports_entries import (
    CatalogImportError,
    ImportReport,
    ItemEntry,
    Row,
)
from yiwang.catalog.services.imports_write import BATCH, write_checked
from yiwang.identity.models import User
from yiwang.org.models import Department, Region
from yiwang.platform.errors import FieldError, RuleViolated
from yiwang.platform.services import audit_record

__all__ = [
    "CatalogImportError",
    "ImportReport",
    "ItemEntry",
    "Row",
    "catalog_export_workbook",
    "catalog_import_template",
    "catalog_import_workbook",
    "catalog_items_import",
]

MAX_ERRORS_SHOWN = 500  # beyond this, one more line says how many were left out


def _refuse(errors: list[CatalogImportError]) -> RuleViolated:
    shown = errors[:MAX_ERRORS_SHOWN]
    field_errors = [FieldError(field=error.cell, message=error.message) for error in shown]
    if len(errors) > len(shown):
        left = len(errors) - len(shown)
        field_errors.append(FieldError(field="", message=f"另有 {left} 处错误未列出。"))
    return RuleViolated(
        f"导入文件有 {len(errors)} 处错误，未导入任何内容。请逐项修改后重新上传。",
        code="import_refused",
        errors=field_errors,
    )


def _lookups(entries: list[ItemEntry]) -> dict[str, Any]:
    codes = [entry.implementation_code for entry in entries]
    drafts = ServiceItemVersion.objects.filter(item=OuterRef("pk"), status=workflow.DRAFT)
    existing: dict[str, ServiceItem] = {}
    for start in range(0, len(codes), BATCH):
        chunk = codes[start : start + BATCH]
        for item in (
            ServiceItem.objects.filter(implementation_code__in=chunk)
            .select_related("basic_item")
            .annotate(draft_number=Subquery(drafts.values("number")[:1]))
        ):
            existing[item.implementation_code] = item
    wanted_basics = {e.basic_code for e in entries} | {e.basic_parent_code for e in entries}
    paths = {str(e.guide.get("result_sample") or "") for e in entries}
    paths |= {
        str(row.get(name) or "")
        for e in entries
        for row in e.children.get("materials", [])
        for name in ("blank_form", "sample")
    }
    paths.discard("")
    known = set(
        ServiceItemVersion.objects.filter(result_sample__in=paths)
        .order_by()
        .values_list("result_sample", flat=True)
    )
    for name in ("blank_form", "sample"):
        known |= set(
            MaterialRequirement.objects.filter(**{f"{name}__in": paths})
            .order_by()
            .values_list(name, flat=True)
        )
    return {
        "known_files": known,
        "departments": {
            d.uscc: d for d in Department.objects.filter(is_active=True).select_related("region")
        },
        "regions": {r.code: r for r in Region.objects.filter(valid_to__isnull=True)},
        "themes": {t.code: t for t in Theme.objects.all()},
        "basics": BasicItem.objects.in_bulk(list(wanted_basics - {""}), field_name="basic_code"),
        "existing": existing,
    }


def _import(
    entries: list[ItemEntry],
    *,
    by: User | None,
    source: str,
    known_errors: list[CatalogImportError],
) -> ImportReport:
    started = time.monotonic()
    report = ImportReport()
    checked = check_entries(entries, **_lookups(entries))
    errors = known_errors + checked.errors
    if errors:
        report.errors = errors
        raise _refuse(errors)
    with transaction.atomic():
        write_checked(checked, by=by, report=report)
        report.seconds = time.monotonic() - started
        if report.versions_published or report.items_identity_updated:
            audit_record(
                actor=by,
                action="catalog.import",
                summary=f"{source}实施清单：{report.summary()}"[:200],
                details={
                    "created": report.items_created,
                    "revised": report.items_revised,
                    "unchanged": report.items_unchanged,
                    "basic_items_created": report.basic_items_created,
                },
            )
    return report


def catalog_items_import(
    *, items: list[ItemEntry], by: User | None, source: str = "导入"
) -> ImportReport:
    """Create or update implementation items from entries, all or nothing.

    Every entry is checked first (references, fields, publication rules); any problem raises
    `RuleViolated(code="import_refused")` with all of them and writes nothing. Otherwise new
    items are created and published, changed ones get a new published version (their live
    version retires), unchanged ones are left alone, and one audit entry sums the import up.
    """
    return _import(items, by=by, source=source, known_errors=[])


# --- Spreadsheet → entries ------------------------------------------------------------------------

_ITEM_ONLY = {
    "implementation_code",
    "basic_code",
    "basic_name",
    "basic_parent_code",
    "basic_parent_name",
    "local_code",
    "exercise_level",
    "department_uscc",
    "department_name",
    "region_code",
    "delegated_from_code",
    "delegation_note",
    "theme_codes",
}


def _with_defaults(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """Empty optional cells take the model's default (e.g. 实施主体性质 → 1 法定机关)."""
    filled = {}
    for name, value in values.items():
        if value in (None, "") and name != "implementation_code":
            default = default_of(model, name)
            if default is not None:
                value = default
            elif value is None and not model_field(model, name).null:
                value = ""
        filled[name] = value
    return filled


def _entries_from(book: excel.ParsedWorkbook) -> list[ItemEntry]:
    children: dict[str, dict[str, list[excel.ParsedRow]]] = defaultdict(lambda: defaultdict(list))
    for sheet in excel.CHILD_SHEETS:
        for row in book.rows.get(sheet.relation, []):
            code = str(row.values.get("implementation_code") or "")
            children[code][sheet.relation].append(row)
    entries = []
    for row in book.rows.get(excel.ITEMS.relation, []):
        values = row.values
        code = str(values["implementation_code"] or "")
        guide = {k: v for k, v in values.items() if k not in _ITEM_ONLY}
        guide = _with_defaults(ServiceItemVersion, guide)
        if guide.get("online_depth") not in (None, ""):
            guide["online_depth"] = int(guide["online_depth"])
        child_rows = children.get(code, {})
        entry_children: dict[str, list[Row]] = {}
        for relation, rows in child_rows.items():
            model = CHILD_KIND_BY_RELATION[relation].model
            entry_children[relation] = [
                _with_defaults(
                    model,
                    {k: v for k, v in child.values.items() if k != "implementation_code"},
                )
                for child in rows
            ]
        entries.append(
            ItemEntry(
                implementation_code=code,
                basic_code=str(values["basic_code"] or ""),
                basic_name=str(values["basic_name"] or ""),
                basic_parent_code=str(values["basic_parent_code"] or ""),
                basic_parent_name=str(values["basic_parent_name"] or ""),
                department_uscc=str(values["department_uscc"] or "").upper(),
                region_code=str(values["region_code"] or ""),
                exercise_level=str(values["exercise_level"] or ""),
                local_code=str(values["local_code"] or ""),
                delegated_from_code=str(values["delegated_from_code"] or ""),
                delegation_note=str(values["delegation_note"] or ""),
                theme_codes=list(values["theme_codes"] or []),
                guide=guide,
                children=entry_children,
                source_row=row,
                child_source_rows={k: list(v) for k, v in child_rows.items()},
            )
        )
    return entries


def catalog_import_workbook(*, data: bytes, by: User | None) -> ImportReport:
    """Import an implementation list workbook (the template of docs/catalog-import.md).

    Never raises anything but `RuleViolated(code="import_refused")` for a bad file (garbage
    bytes, an empty file, a wrong header, bad cells, broken rules: every problem listed, each
    `FieldError.field` the cell such as `事项!T12`), in which case nothing was written.
    """
    started = time.monotonic()
    book = excel.read_workbook(data)
    errors = [
        CatalogImportError(problem.sheet, problem.row, problem.column, problem.message)
        for problem in book.problems
    ]
    if any(error.row <= 1 for error in errors):
        raise _refuse(errors)  # no workbook, a missing sheet or a wrong header: nothing to check
    entries = _entries_from(book)
    codes = {entry.implementation_code for entry in entries}
    orphans = [
        error
        for sheet in excel.CHILD_SHEETS
        for error in orphan_rows(book.rows[sheet.relation], codes)
    ]
    report = _import(entries, by=by, source="Excel 导入", known_errors=errors + orphans)
    report.seconds = time.monotonic() - started
    return report


# --- Export ---------------------------------------------------------------------------------------


def _item_rows(
    versions: list[ServiceItemVersion],
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    item_rows = []
    child_rows: dict[str, list[dict[str, Any]]] = {s.relation: [] for s in excel.CHILD_SHEETS}
    for version in versions:
        item = version.item
        basic = item.basic_item
        row: dict[str, Any] = {name: getattr(version, name) for name in GUIDE_FIELDS}
        row["result_sample"] = version.result_sample.name or ""
        row.update(
            implementation_code=item.implementation_code,
            basic_code=basic.basic_code,
            basic_name=basic.name,
            basic_parent_code=basic.parent.basic_code if basic.parent else "",
            basic_parent_name=basic.parent.name if basic.parent else "",
            local_code=item.local_code,
            exercise_level=item.exercise_level,
            department_uscc=item.department.uscc,
            department_name=item.department.name,
            region_code=item.region.code,
            delegated_from_code=(
                item.delegated_from.implementation_code if item.delegated_from else ""
            ),
            delegation_note=item.delegation_note,
            theme_codes=[theme.code for theme in version.themes.all()],
            online_depth=str(version.online_depth),
            change_note="",
        )
        item_rows.append(row)
        for sheet in excel.CHILD_SHEETS:
            kind = CHILD_KIND_BY_RELATION[sheet.relation]
            for child in getattr(version, sheet.relation).all():
                values = {name: getattr(child, name) for name in kind.columns}
                for name, value in values.items():
                    if isinstance(value, models.fields.files.FieldFile):
                        values[name] = value.name or ""
                values["implementation_code"] = item.implementation_code
                child_rows[sheet.relation].append(values)
    return item_rows, child_rows


def catalog_export_workbook(*, department_ids: Iterable[int] | None = None) -> bytes:
    """The live (published) version of every item — or of the given departments' items — in
    the import template's layout: exported, edited and imported again, it round-trips."""
    items = ServiceItem.objects.filter(live_version__isnull=False)
    if department_ids is not None:
        items = items.filter(department_id__in=list(department_ids))
    version_ids = list(
        items.order_by("implementation_code").values_list("live_version_id", flat=True)
    )
    item_rows: list[dict[str, Any]] = []
    child_rows: dict[str, list[dict[str, Any]]] = {s.relation: [] for s in excel.CHILD_SHEETS}
    for start in range(0, len(version_ids), BATCH):
        chunk = version_ids[start : start + BATCH]
        versions = list(
            ServiceItemVersion.objects.filter(pk__in=chunk)
            .select_related(
                "item__basic_item__parent",
                "item__department",
                "item__region",
                "item__delegated_from",
            )
            .prefetch_related(*(sheet.relation for sheet in excel.CHILD_SHEETS), "themes")
            .order_by("item__implementation_code")
        )
        rows, children = _item_rows(versions)
        item_rows += rows
        for relation, found in children.items():
            child_rows[relation] += found
    return excel.write_workbook({excel.ITEMS.relation: item_rows, **child_rows})


def catalog_import_template() -> bytes:
    """The empty template, with the 说明 sheet (every column and code list explained)."""
    return excel.template_workbook()
