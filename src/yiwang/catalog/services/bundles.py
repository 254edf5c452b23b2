"""Writes on bundles (一件事): a lead department, supporting departments, member items, one
promise of at most 45 working days."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yiwang.catalog import workflow
from yiwang.catalog.events import BundlePublished, BundleWithdrawn
from yiwang.catalog.models import Audience, Bundle, BundleMember, ServiceItem, Theme
from yiwang.catalog.selectors.management import bundle_snapshot
from yiwang.identity.models import User
from yiwang.org.models import Department
from yiwang.platform.errors import Conflict, FieldError, InvalidInput, RuleViolated
from yiwang.platform.events import publish
from yiwang.platform.services import audit_record

BUNDLE_FIELDS = frozenset(
    {
        "name",
        "audience",
        "description",
        "lead_department",
        "promised_total_working_days",
        "form_schema",
        "aliases",
    }
)
BUNDLE_M2M_FIELDS = frozenset({"supporting_departments", "themes"})
MEMBER_FIELDS = frozenset({"item", "order", "parallel_group", "optional", "condition"})


def _refuse_basic(bundle: Bundle) -> None:
    errors = workflow.bundle_basic_violations(
        lead_department_id=bundle.lead_department_id,
        promised_total_working_days=bundle.promised_total_working_days,
    )
    try:
        bundle.full_clean(
            exclude=["lead_department", "promised_total_working_days"], validate_unique=False
        )
    except ValidationError as error:
        errors += [
            FieldError(name, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    if errors:
        raise InvalidInput("“一件事”填写有误，请按提示修改。", code="invalid_bundle", errors=errors)


def _refuse_if_unpublishable(bundle: Bundle) -> None:
    violations = workflow.bundle_publication_violations(bundle_snapshot(bundle))
    if violations:
        raise RuleViolated(
            f"该“一件事”有 {len(violations)} 处不符合发布规则，请逐项修改。",
            code="publication_refused",
            errors=violations,
        )


def _set_members(bundle: Bundle, rows: list[dict[str, Any]]) -> None:
    """Replace the members; `depends_on` lists items (of this bundle) to be handled first."""
    errors: list[FieldError] = []
    seen: set[int] = set()
    for index, row in enumerate(rows):
        unknown = [k for k in row if k not in MEMBER_FIELDS | {"depends_on"}]
        errors += [
            FieldError(f"members.{index}.{k}", f"“{k}”不是成员事项的字段。") for k in unknown
        ]
        item = row.get("item")
        if not isinstance(item, ServiceItem):
            errors.append(FieldError(f"members.{index}.item", "请选择成员事项。"))
        elif item.pk in seen:
            errors.append(FieldError(f"members.{index}.item", f"事项 {item} 重复加入。"))
        else:
            seen.add(item.pk)
    for index, row in enumerate(rows):
        for dependency in row.get("depends_on") or []:
            if dependency.pk not in seen:
                errors.append(
                    FieldError(
                        f"members.{index}.depends_on", f"前置事项 {dependency} 不在本“一件事”中。"
                    )
                )
    if errors:
        raise InvalidInput(
            "成员事项填写有误，请按提示修改。", code="invalid_members", errors=errors
        )
    BundleMember.objects.filter(bundle=bundle).delete()
    members = BundleMember.objects.bulk_create(
        [
            BundleMember(
                bundle=bundle,
                item=row["item"],
                order=row.get("order", index + 1),
                parallel_group=row.get("parallel_group", 1),
                optional=row.get("optional", False),
                condition=row.get("condition", ""),
            )
            for index, row in enumerate(rows)
        ]
    )
    by_item = {member.item_id: member for member in members}
    for member, row in zip(members, rows, strict=True):
        dependencies = [by_item[item.pk] for item in row.get("depends_on") or []]
        if dependencies:
            member.depends_on.set(dependencies)


@transaction.atomic
def bundle_create(
    *,
    code: str,
    name: str,
    audience: str,
    lead_department: Department | None,
    promised_total_working_days: int,
    by: User | None,
    supporting_departments: Iterable[Department] = (),
    description: str = "",
    form_schema: list[dict[str, Any]] | None = None,
    themes: Iterable[Theme] = (),
    aliases: str = "",
    members: list[dict[str, Any]] | None = None,
) -> Bundle:
    """A new, unpublished bundle. Refused when the lead department is missing or the promised
    total exceeds 45 working days. `members`: rows of `item`, `order`, `parallel_group`,
    `optional`, `condition`, `depends_on` (items)."""
    code = code.strip()
    bundle = Bundle(
        code=code,
        name=name.strip(),
        audience=audience or Audience.PERSON,
        description=description,
        promised_total_working_days=promised_total_working_days,
        form_schema=form_schema or [],
        aliases=aliases,
    )
    if lead_department is not None:
        bundle.lead_department = lead_department
    _refuse_basic(bundle)
    if Bundle.objects.filter(code=code).exists():
        raise Conflict(
            f"编码 {code} 已被其他“一件事”使用。",
            code="bundle_code_taken",
            errors=[FieldError("code", f"编码 {code} 已被其他“一件事”使用。")],
        )
    bundle.save()
    bundle.supporting_departments.set(list(supporting_departments))
    bundle.themes.set(list(themes))
    if members:
        _set_members(bundle, members)
    audit_record(
        actor=by,
        action="catalog.bundle.created",
        target=bundle,
        summary=f"新建“一件事” {code} {bundle.name}"[:200],
    )
    return bundle


@transaction.atomic
def bundle_update(*, bundle: Bundle, by: User | None, **fields: Any) -> Bundle:
    """Change a bundle (`supporting_departments`, `themes` and `members` replace). A published
    bundle stays publishable or the change is refused."""
    unknown = [n for n in fields if n not in BUNDLE_FIELDS | BUNDLE_M2M_FIELDS | {"members"}]
    if unknown:
        raise InvalidInput(
            "提交的字段有误。",
            code="unknown_field",
            errors=[FieldError(n, f"“{n}”不可修改。") for n in unknown],
        )
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    changed = [n for n in fields if n in BUNDLE_FIELDS and getattr(bundle, n) != fields[n]]
    for name in changed:
        setattr(bundle, name, fields[name])
    _refuse_basic(bundle)
    if changed:
        bundle.save(update_fields=changed)
    for name in sorted(BUNDLE_M2M_FIELDS & fields.keys()):
        related = getattr(bundle, name)
        wanted = {obj.pk for obj in fields[name]}
        if set(related.values_list("pk", flat=True)) != wanted:
            related.set(wanted)
            changed.append(name)
    if "members" in fields:
        _set_members(bundle, fields["members"])
        changed.append("members")
    if bundle.is_published:
        _refuse_if_unpublishable(bundle)
    if changed:
        audit_record(
            actor=by,
            action="catalog.bundle.updated",
            target=bundle,
            summary=f"修改“一件事” {bundle.code}：{'、'.join(changed)}"[:200],
            details={"fields": changed},
        )
    return bundle


@transaction.atomic
def bundle_set_members(*, bundle: Bundle, by: User | None, rows: list[dict[str, Any]]) -> Bundle:
    return bundle_update(bundle=bundle, by=by, members=rows)


@transaction.atomic
def bundle_publish(*, bundle: Bundle, by: User | None) -> Bundle:
    """Publish a bundle: refused with every violation (lead department, ≤ 45 WD, at least two
    members, each with a live guide, every member's department taking part)."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    _refuse_if_unpublishable(bundle)
    if not bundle.is_published:
        bundle.is_published = True
        bundle.save(update_fields=["is_published"])
        audit_record(
            actor=by,
            action="catalog.bundle.published",
            target=bundle,
            summary=f"发布“一件事” {bundle.code} {bundle.name}"[:200],
        )
        publish(BundlePublished(bundle.pk))
    return bundle


@transaction.atomic
def bundle_withdraw(*, bundle: Bundle, by: User | None, reason: str) -> Bundle:
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            "请填写下线原因。",
            code="reason_required",
            errors=[FieldError("reason", "请填写下线原因。")],
        )
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    if bundle.is_published:
        bundle.is_published = False
        bundle.save(update_fields=["is_published"])
        audit_record(
            actor=by,
            action="catalog.bundle.withdrawn",
            target=bundle,
            summary=f"下线“一件事” {bundle.code}：{reason}"[:200],
            details={"reason": reason},
        )
        publish(BundleWithdrawn(bundle.pk))
    return bundle
