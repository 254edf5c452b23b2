"""Checking an import before anything is written: references (basic items, departments,
regions, themes, delegated-from items, sample files), every field as the model validates it, and
the publication rules of DOMAIN §3.8 for the version each entry would become. Every problem is
collected; the caller writes only when there is none."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models

from yiwang.catalog import excel, workflow
from yiwang.catalog.models import (
    BasicItem,
    ExerciseLevel,
    ServiceItem,
    ServiceItemVersion,
    Theme,
)
from yiwang.catalog.selectors.management import (
    CHILD_KIND_BY_RELATION,
    EDITABLE_VERSION_FIELDS,
    field_label,
    model_field,
)
from yiwang.catalog.services.imports_entries import CatalogImportError, ItemEntry
from yiwang.org.models import Department, Region, region_code_prefix

_SHEET_BY_RELATION = {sheet.relation: sheet for sheet in excel.SHEETS}
_FILE_FIELDS = {"items": ("result_sample",), "materials": ("blank_form", "sample")}
# Version fields validated by hand (full_clean would check stored files, not names).
_VERSION_SKIP = {"result_sample", "themes", "change_note"}
_BOOKKEEPING = [
    "item",
    "number",
    "status",
    "based_on",
    "valid_from",
    "valid_to",
    "created_by",
    "created_at",
    "updated_at",
    "published_by",
    "published_at",
    "retire_reason",
    "result_sample",
]


@dataclass
class Checked:
    """The checked import: everything resolved, unsaved rows built, ready to write."""

    entries: list[ItemEntry]
    departments: dict[str, Department]
    regions: dict[str, Region]
    themes: dict[str, Theme]
    basics: dict[str, BasicItem]  # existing, by code
    existing: dict[str, ServiceItem]  # by implementation code
    versions: dict[str, ServiceItemVersion] = field(default_factory=dict)  # unsaved, by code
    children: dict[str, dict[str, list[models.Model]]] = field(default_factory=dict)
    errors: list[CatalogImportError] = field(default_factory=list)
    known_files: set[str] = field(default_factory=set)  # files guides already refer to


def _located(entry: ItemEntry, field_name: str, message: str) -> CatalogImportError:
    """An error in one of the entry's own cells (or its row, when the field has no column)."""
    row = entry.source_row
    if row is None:
        return CatalogImportError("", 0, "", f"{entry.implementation_code}：{message}")
    letter = row.letter(field_name) or row.letter("implementation_code")
    return CatalogImportError(row.sheet.title, row.row, letter, f"第{row.row}行{message}")


def _header(relation: str, field_name: str) -> str:
    sheet = _SHEET_BY_RELATION[relation]
    column = next((c for c in sheet.columns if c.field == field_name), None)
    if column is not None:
        return column.header
    if relation == "items":
        return field_label(field_name)
    return str(model_field(CHILD_KIND_BY_RELATION[relation].model, field_name).verbose_name)


def _child_error(
    entry: ItemEntry, relation: str, index: int, field_name: str, message: str
) -> CatalogImportError:
    rows = entry.child_source_rows.get(relation)
    header = _header(relation, field_name)
    if rows is None or index >= len(rows):
        label = CHILD_KIND_BY_RELATION[relation].label
        text = f"{entry.implementation_code}：{label}第{index + 1}项“{header}”{message}"
        return CatalogImportError("", 0, "", text)
    row = rows[index]
    letter = row.letter(field_name)
    return CatalogImportError(row.sheet.title, row.row, letter, f"第{row.row}行“{header}”{message}")


def _validation_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


class _Checker:
    def __init__(self, checked: Checked) -> None:
        self.c = checked
        self.file_exists: dict[str, bool] = {}

    def error(self, entry: ItemEntry, field_name: str, message: str) -> None:
        self.c.errors.append(_located(entry, field_name, message))

    def cell(self, entry: ItemEntry, field_name: str, problem: str) -> None:
        self.error(entry, field_name, f"“{_header('items', field_name)}”{problem}")

    def exists(self, name: str) -> bool:
        """Whether a file the import refers to is there: in storage, or already the sample or
        form of a guide (a file of a published guide is trusted as it is)."""
        if name not in self.file_exists:
            self.file_exists[name] = name in self.c.known_files or default_storage.exists(name)
        return self.file_exists[name]

    # --- identity ---------------------------------------------------------------------------

    def identity(self, entry: ItemEntry, batch_basics: set[str], batch_codes: set[str]) -> None:
        """References and identity. An empty required cell was reported by the reader (or,
        for entries built in code, is reported here) and is not checked further."""
        c = self.c
        code = entry.implementation_code
        required = {
            "implementation_code": code,
            "basic_code": entry.basic_code,
            "exercise_level": entry.exercise_level,
            "department_uscc": entry.department_uscc,
            "region_code": entry.region_code,
        }
        if entry.source_row is None:
            for name, value in required.items():
                if not value:
                    self.cell(entry, name, "不能为空")
        if entry.basic_code and entry.basic_code not in c.basics and not entry.basic_name:
            self.cell(
                entry,
                "basic_code",
                f"{entry.basic_code}不在基本目录中，请填写“基本目录事项名称”以新建",
            )
        parent = entry.basic_parent_code
        if (
            parent
            and parent not in c.basics
            and parent not in batch_basics
            and not entry.basic_parent_name
        ):
            self.cell(entry, "basic_parent_code", f"{parent}不在基本目录中，请填写“主项名称”以新建")
        if parent and parent == entry.basic_code:
            self.cell(entry, "basic_parent_code", "不能与基本编码相同")
        if entry.exercise_level and entry.exercise_level not in ExerciseLevel.values:
            self.cell(entry, "exercise_level", "应为代码表 A.2 中的代码（1至7）")
        department = c.departments.get(entry.department_uscc)
        if entry.department_uscc and department is None:
            self.cell(
                entry,
                "department_uscc",
                f"{entry.department_uscc}不是系统中在用部门的统一社会信用代码",
            )
        region = c.regions.get(entry.region_code)
        if entry.region_code and region is None:
            self.cell(entry, "region_code", f"{entry.region_code}不是系统中现行的行政区划代码")
        if department is not None and region is not None:
            prefix = region_code_prefix(department.region.code)
            if not region.code.startswith(prefix):
                self.cell(
                    entry, "region_code", f"{region.name}不在实施主体{department.name}的辖区内"
                )
        existing = c.existing.get(code)
        if existing is not None:
            self.existing_item(entry, existing, department)
        source = entry.delegated_from_code
        if source and source == code:
            self.cell(entry, "delegated_from_code", "不能是事项本身")
        elif source and source not in c.existing and source not in batch_codes:
            self.cell(entry, "delegated_from_code", f"{source}不是已有事项或本文件中事项的实施编码")
        unknown = [theme for theme in entry.theme_codes if theme not in c.themes]
        if unknown:
            self.cell(entry, "theme_codes", f"中的{'、'.join(unknown)}不是系统中的主题代码")
        sample = str(entry.guide.get("result_sample") or "")
        if sample and not self.exists(sample):
            self.cell(entry, "result_sample", f"文件“{sample}”不存在，请先上传样本")

    def existing_item(
        self, entry: ItemEntry, existing: ServiceItem, department: Department | None
    ) -> None:
        if department is not None and existing.department_id != department.pk:
            self.cell(
                entry,
                "department_uscc",
                "与已有事项的实施主体不一致（实施主体变化应使用新的实施编码）",
            )
        if entry.basic_code and existing.basic_item.basic_code != entry.basic_code:
            self.cell(
                entry, "basic_code", f"与已有事项的基本编码{existing.basic_item.basic_code}不一致"
            )
        draft_number = getattr(existing, "draft_number", None)
        if draft_number:
            self.error(
                entry,
                "implementation_code",
                f"（{entry.implementation_code}）有未发布的草稿（第{draft_number}版），"
                "请先在后台发布或放弃该草稿后再导入",
            )

    # --- fields -----------------------------------------------------------------------------

    def version(self, entry: ItemEntry) -> ServiceItemVersion | None:
        unknown = [n for n in entry.guide if n not in EDITABLE_VERSION_FIELDS or n == "themes"]
        for name in unknown:
            self.error(entry, name, f"“{name}”不是办事指南字段")
        if unknown:
            return None
        version = ServiceItemVersion(**entry.guide)
        exclude = [
            *_BOOKKEEPING,
            *(f.name for f in ServiceItemVersion._meta.fields if f.name not in entry.guide),
        ]
        try:
            version.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in _validation_messages(error).items():
                for message in messages:
                    self.cell(entry, name, f"：{message}" if name != "__all__" else message)
        for name in ("service_objects", "handling_forms"):
            column = excel.ITEMS.column(name)
            allowed = {code for code, _ in column.choices}
            value = entry.guide.get(name) or []
            if not isinstance(value, list) or any(str(v) not in allowed for v in value):
                self.cell(entry, name, f"应为以下代码：{column.choice_text()}")
        return version

    def children(
        self, entry: ItemEntry, version: ServiceItemVersion | None
    ) -> dict[str, list[models.Model]]:
        built: dict[str, list[models.Model]] = {}
        for relation, rows in entry.children.items():
            kind = CHILD_KIND_BY_RELATION.get(relation)
            if kind is None:
                self.error(entry, "implementation_code", f"“{relation}”不是办事指南的明细")
                continue
            columns = set(kind.columns)
            objects: list[models.Model] = []
            sources = entry.child_source_rows.get(relation, [])
            for index, row in enumerate(rows):
                if index < len(sources) and sources[index].bad:
                    continue  # its bad cells are reported already
                unknown = [key for key in row if key not in columns]
                for key in unknown:
                    self.c.errors.append(
                        _child_error(entry, relation, index, key, "不是模板中的列")
                    )
                if unknown:
                    continue
                values = dict(row)
                if "order" in columns and values.get("order") in (None, ""):
                    values["order"] = index + 1
                obj = kind.model(**values)
                if version is not None:
                    obj.version = version  # type: ignore[attr-defined]
                skip = ["version", *_FILE_FIELDS.get(relation, ())]
                try:
                    obj.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
                except ValidationError as error:
                    for name, messages in _validation_messages(error).items():
                        for message in messages:
                            self.c.errors.append(
                                _child_error(entry, relation, index, name, f"：{message}")
                            )
                for name in _FILE_FIELDS.get(relation, ()):
                    path = str(values.get(name) or "")
                    if path and not self.exists(path):
                        self.c.errors.append(
                            _child_error(
                                entry, relation, index, name, f"文件“{path}”不存在，请先上传"
                            )
                        )
                objects.append(obj)
            built[relation] = objects
        return built

    # --- rules ------------------------------------------------------------------------------

    def rules(self, entry: ItemEntry) -> None:
        g = entry.guide
        children = entry.children
        themes = tuple(
            workflow.ThemeRef(self.c.themes[code].name, self.c.themes[code].audience)
            for code in entry.theme_codes
            if code in self.c.themes
        )
        steps = sorted(
            children.get("procedure_steps", []),
            key=lambda row: row.get("order") or 0,
        )
        snapshot = workflow.VersionSnapshot(
            name=str(g.get("name") or ""),
            item_type=str(g.get("item_type") or ""),
            case_type=str(g.get("case_type") or ""),
            promised_limit_value=g.get("promised_limit_value"),
            promised_limit_unit=str(g.get("promised_limit_unit") or ""),
            statutory_limit_value=g.get("statutory_limit_value"),
            statutory_limit_unit=str(g.get("statutory_limit_unit") or ""),
            legal_basis=str(g.get("legal_basis") or ""),
            conditions=str(g.get("conditions") or ""),
            extension_allowed=bool(g.get("extension_allowed")),
            extension_max_working_days=int(g.get("extension_max_working_days") or 0),
            joint_handling=bool(g.get("joint_handling")),
            handling_forms=tuple(str(v) for v in g.get("handling_forms") or ()),
            visit_count=int(g.get("visit_count") or 0),
            onsite_reason=str(g.get("onsite_reason") or ""),
            online_depth=int(g.get("online_depth") or 1),
            courier_supported=bool(g.get("courier_supported")),
            service_objects=tuple(str(v) for v in g.get("service_objects") or ()),
            themes=themes,
            result_type=str(g.get("result_type") or workflow.RESULT_OTHER),
            result_name=str(g.get("result_name") or ""),
            has_result_sample=bool(g.get("result_sample")),
            charged=bool(g.get("charged")),
            fee_basis=str(g.get("fee_basis") or ""),
            online_payment_supported=bool(g.get("online_payment_supported")),
            address=str(g.get("address") or ""),
            office_hours=str(g.get("office_hours") or ""),
            consultation_phone=str(g.get("consultation_phone") or ""),
            complaint_phone=str(g.get("complaint_phone") or ""),
            fee_count=len(children.get("fees", [])),
            faq_count=len(children.get("faqs", [])),
            material_count=len(children.get("materials", [])),
            procedure_step_names=tuple(str(row.get("name") or "") for row in steps),
        )
        name = snapshot.name or entry.implementation_code
        for violation in workflow.publication_violations(snapshot):
            self.error(entry, violation.field, f"（{name}）不符合发布规则：{violation.message}")


def check_entries(
    entries: list[ItemEntry],
    *,
    departments: dict[str, Department],
    regions: dict[str, Region],
    themes: dict[str, Theme],
    basics: dict[str, BasicItem],
    existing: dict[str, ServiceItem],
    known_files: set[str],
) -> Checked:
    """Check every entry; the result's `errors` list everything wrong (empty: ready to write)."""
    checked = Checked(entries, departments, regions, themes, basics, existing)
    checked.known_files = known_files
    checker = _Checker(checked)
    codes = Counter(entry.implementation_code for entry in entries)
    batch_basics = {entry.basic_code for entry in entries}
    batch_codes = set(codes)
    for entry in entries:
        if codes[entry.implementation_code] > 1:
            checker.cell(
                entry, "implementation_code", f"{entry.implementation_code}在文件中重复出现"
            )
        checker.identity(entry, batch_basics, batch_codes)
        if entry.source_row is not None and entry.source_row.bad:
            # The reader reported this row's bad cells; its values are not worth checking.
            checker.children(entry, None)
            continue
        version = checker.version(entry)
        built = checker.children(entry, version)
        checker.rules(entry)
        if version is not None:
            checked.versions[entry.implementation_code] = version
            checked.children[entry.implementation_code] = built
    return checked


def orphan_rows(rows: Iterable[excel.ParsedRow], codes: set[str]) -> list[CatalogImportError]:
    """Rows of a child sheet whose implementation code is not in the 事项 sheet."""
    errors = []
    for row in rows:
        code = str(row.values.get("implementation_code") or "")
        if code and code not in codes:
            errors.append(
                CatalogImportError(
                    row.sheet.title,
                    row.row,
                    row.letter("implementation_code"),
                    f"第{row.row}行“实施编码”{code}不在“事项”表中",
                )
            )
    return errors


def default_of(model: type[models.Model], name: str) -> Any:
    """The model's default for a column left empty in the file (None when it has none)."""
    found = model._meta.get_field(name)
    if isinstance(found, models.Field) and found.has_default():
        return found.get_default()
    return None
