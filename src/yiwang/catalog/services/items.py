"""Writes on implementation items (实施清单事项): create one with its first draft, change its
identity details."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from yiwang.catalog import workflow
from yiwang.catalog.models import (
    BasicItem,
    CaseType,
    ExerciseLevel,
    ServiceItem,
    ServiceItemVersion,
    Theme,
)
from yiwang.catalog.selectors.management import CHILD_KIND_BY_RELATION
from yiwang.catalog.services.versions import (
    Row,
    apply_guide_fields,
    build_children,
    lock_item,
    save_children,
)
from yiwang.identity.models import User
from yiwang.org.models import Department, Region
from yiwang.platform.errors import Conflict, FieldError, InvalidInput
from yiwang.platform.services import audit_record

ITEM_EDITABLE_FIELDS = frozenset(
    {"local_code", "exercise_level", "delegated_from", "delegation_note", "region"}
)


def _check_item_identity(
    *, implementation_code: str, exercise_level: str, exclude_pk: int | None = None
) -> list[FieldError]:
    errors: list[FieldError] = []
    if not implementation_code:
        errors.append(FieldError("implementation_code", "请填写实施编码。"))
    elif len(implementation_code) > 64:
        errors.append(FieldError("implementation_code", "实施编码不能超过 64 个字符。"))
    if exercise_level not in ExerciseLevel.values:
        errors.append(FieldError("exercise_level", "请从代码表 A.2 中选择行使层级。"))
    if errors:
        return errors
    taken = ServiceItem.objects.filter(implementation_code=implementation_code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        errors.append(
            FieldError("implementation_code", f"实施编码 {implementation_code} 已被其他事项使用。")
        )
    return errors


@transaction.atomic
def service_item_create(
    *,
    basic_item: BasicItem,
    implementation_code: str,
    department: Department,
    region: Region,
    exercise_level: str,
    by: User | None,
    local_code: str = "",
    delegated_from: ServiceItem | None = None,
    delegation_note: str = "",
    materials: list[Row] | None = None,
    fees: list[Row] | None = None,
    faqs: list[Row] | None = None,
    procedure: list[Row] | None = None,
    special_steps: list[Row] | None = None,
    handling_items: list[Row] | None = None,
    themes: Iterable[Theme] | None = None,
    **guide_fields: Any,
) -> ServiceItemVersion:
    """Create an implementation item and its first version, a DRAFT (publish it with
    `version_publish`). The name and item type default to the basic item's; the case type to
    即办件 when the promised limit is 0, else 承诺件. Children rows as in `version_set_*`.
    Every problem is reported at once (`InvalidInput`/`Conflict`) and nothing is written."""
    implementation_code = implementation_code.strip()
    errors = _check_item_identity(
        implementation_code=implementation_code, exercise_level=str(exercise_level)
    )
    if errors:
        if any("已被其他事项使用" in e.message for e in errors):
            raise Conflict(errors[0].message, code="implementation_code_taken", errors=errors)
        raise InvalidInput("事项信息填写有误，请按提示修改。", code="invalid_item", errors=errors)
    item = ServiceItem(
        implementation_code=implementation_code,
        local_code=local_code,
        basic_item=basic_item,
        department=department,
        region=region,
        exercise_level=str(exercise_level),
        delegated_from=delegated_from,
        delegation_note=delegation_note,
    )
    values: dict[str, Any] = {"name": basic_item.name, "item_type": basic_item.item_type}
    values.update(guide_fields)
    if "case_type" not in values:
        promised = values.get("promised_limit_value", 0)
        values["case_type"] = CaseType.IMMEDIATE if promised == 0 else CaseType.PROMISED
    version = ServiceItemVersion(number=1, status=workflow.DRAFT, created_by=by)
    apply_guide_fields(version, values)
    children = {
        "materials": materials,
        "fees": fees,
        "faqs": faqs,
        "procedure_steps": procedure,
        "special_steps": special_steps,
        "handling_items": handling_items,
    }
    built = {
        relation: build_children(CHILD_KIND_BY_RELATION[relation], version, rows)
        for relation, rows in children.items()
        if rows
    }
    item.save()
    version.item = item
    version.save()
    for relation, objects in built.items():
        save_children(CHILD_KIND_BY_RELATION[relation], version, objects)
    if themes is not None:
        version.themes.set(list(themes))
    audit_record(
        actor=by,
        action="catalog.item.created",
        target=item,
        summary=f"新建事项 {implementation_code} {version.name}（第1版草稿）"[:200],
        details={"version_id": version.pk, "department_id": department.pk},
    )
    return version


@transaction.atomic
def service_item_update(*, item: ServiceItem, by: User | None, **fields: Any) -> ServiceItem:
    """Change an item's identity details (local code, level, region, delegation). The
    implementation code and department never change: a new body is a new item."""
    unknown = [name for name in fields if name not in ITEM_EDITABLE_FIELDS]
    if unknown:
        raise InvalidInput(
            "提交的字段有误。",
            code="unknown_field",
            errors=[FieldError(name, f"“{name}”不可修改。") for name in unknown],
        )
    item = lock_item(item.pk)
    if "exercise_level" in fields:
        errors = _check_item_identity(
            implementation_code=item.implementation_code,
            exercise_level=str(fields["exercise_level"]),
            exclude_pk=item.pk,
        )
        if errors:
            raise InvalidInput(
                "事项信息填写有误，请按提示修改。", code="invalid_item", errors=errors
            )
    delegated_from = fields.get("delegated_from")
    if delegated_from is not None and delegated_from.pk == item.pk:
        raise InvalidInput(
            "事项不能下放自其本身。",
            code="invalid_item",
            errors=[FieldError("delegated_from", "事项不能下放自其本身。")],
        )
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, fields[name])
    if changed:
        item.save(update_fields=changed)
        audit_record(
            actor=by,
            action="catalog.item.updated",
            target=item,
            summary=f"修改事项 {item.implementation_code}：{'、'.join(changed)}"[:200],
            details={"fields": changed},
        )
    return item
