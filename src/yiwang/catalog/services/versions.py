"""Writes on guide versions: edit a draft, replace its children, draft a revision, publish,
retire. A published version never changes (cases pin it); every write is audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise

from yiwang.catalog import workflow
from yiwang.catalog.events import ServiceItemPublished, ServiceItemVersionRetired
from yiwang.catalog.models import (
    HandlingForm,
    ServiceItem,
    ServiceItemVersion,
    ServiceObject,
    Theme,
)
from yiwang.catalog.selectors.management import (
    CHILD_KIND_BY_RELATION,
    CHILD_KINDS,
    EDITABLE_VERSION_FIELDS,
    GUIDE_FIELDS,
    ChildKind,
    FieldChange,
    field_label,
    snapshot_of,
    version_diff,
)
from yiwang.identity.models import User
from yiwang.platform.errors import (
    FieldError,
    InvalidInput,
    InvalidTransition,
    RuleViolated,
)
from yiwang.platform.events import publish
from yiwang.platform.services import audit_record

Row = dict[str, Any]

_JSON_CODE_FIELDS: dict[str, dict[str, str | Promise]] = {
    "service_objects": dict(ServiceObject.choices),
    "handling_forms": dict(HandlingForm.choices),
}


# --- Internals shared with items.py ---------------------------------------------------------------


def lock_item(item_id: int) -> ServiceItem:
    """Serialise writes on one item (a no-op on SQLite, which serialises writers anyway)."""
    return ServiceItem.objects.select_for_update().get(pk=item_id)


def _lock_draft(version: ServiceItemVersion) -> ServiceItemVersion:
    """Lock the item and re-read the version in place; only drafts may change."""
    lock_item(version.item_id)
    version.refresh_from_db()
    if not workflow.is_editable(version.status):
        raise RuleViolated(
            f"第{version.number}版已{version.get_status_display()}，不能修改。"
            "如需修改办事指南，请新建修订版本。",
            code="version_immutable",
        )
    return version


def _validation_errors(error: ValidationError, prefix: str = "") -> list[FieldError]:
    if not hasattr(error, "error_dict"):
        return [FieldError(prefix.rstrip(".") or "__all__", m) for m in error.messages]
    return [
        FieldError(f"{prefix}{name}", message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def _check_codes(name: str, value: Any) -> list[FieldError]:
    codes = _JSON_CODE_FIELDS.get(name)
    if codes is None:
        return []
    if not isinstance(value, list | tuple) or any(str(v) not in codes for v in value):
        allowed = "、".join(f"{code} {label}" for code, label in codes.items())
        return [FieldError(name, f"{field_label(name)}只能从以下代码中选择：{allowed}。")]
    return []


def apply_guide_fields(version: ServiceItemVersion, fields: dict[str, Any]) -> list[str]:
    """Set guide fields on an unsaved or locked version and validate them as the model does.

    Returns the names of the fields whose value changed. Raises `InvalidInput` listing every
    problem (unknown field, wrong code, too long ...) with its field; nothing is saved here.
    """
    errors = [
        FieldError(name, f"“{name}”不是可修改的办事指南字段。")
        for name in fields
        if name not in EDITABLE_VERSION_FIELDS or name == "themes"
    ]
    if errors:
        raise InvalidInput("提交的字段有误。", code="unknown_field", errors=errors)
    changed: list[str] = []
    for name, value in fields.items():
        if name in _JSON_CODE_FIELDS:
            errors += _check_codes(name, value)
            value = [str(v) for v in value] if isinstance(value, list | tuple) else value
        if getattr(version, name) != value:
            setattr(version, name, value)
            changed.append(name)
    excluded = [
        f.name for f in ServiceItemVersion._meta.fields if f.name not in fields or f.name == "item"
    ]
    try:
        version.full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors += _validation_errors(error)
    if errors:
        raise InvalidInput(
            "办事指南填写有误，请按提示修改。", code="invalid_version", errors=errors
        )
    return changed


def build_children(kind: ChildKind, version: ServiceItemVersion, rows: list[Row]) -> list[Any]:
    """Unsaved, validated child rows; `InvalidInput` names each bad cell as `materials.2.name`."""
    errors: list[FieldError] = []
    objects: list[Any] = []
    columns = set(kind.columns)
    for index, row in enumerate(rows):
        prefix = f"{kind.relation}.{index}."
        unknown = [key for key in row if key not in columns]
        errors += [
            FieldError(f"{prefix}{key}", f"“{key}”不是{kind.label}的字段。") for key in unknown
        ]
        if unknown:
            continue
        values = dict(row)
        if "order" in columns and values.get("order") in (None, ""):
            values["order"] = index + 1
        obj = kind.model(version=version, **values)
        try:
            obj.full_clean(exclude=["version"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors += _validation_errors(error, prefix)
        objects.append(obj)
    if errors:
        raise InvalidInput(
            f"{kind.label}填写有误，请按提示修改。", code=f"invalid_{kind.relation}", errors=errors
        )
    return objects


def save_children(kind: ChildKind, version: ServiceItemVersion, objects: list[Any]) -> None:
    kind.model._default_manager.filter(version=version).delete()
    for obj in objects:
        obj.version = version
    kind.model._default_manager.bulk_create(objects)


def _touch(version: ServiceItemVersion) -> None:
    version.updated_at = timezone.now()
    version.save(update_fields=["updated_at"])


# --- Editing a draft ------------------------------------------------------------------------------


@transaction.atomic
def version_update(
    *, version: ServiceItemVersion, by: User | None, **fields: Any
) -> ServiceItemVersion:
    """Change guide fields of a draft (`themes=[...]` replaces its themes). Published and
    retired versions are immutable: `RuleViolated(code="version_immutable")`."""
    version = _lock_draft(version)
    themes = fields.pop("themes", None)
    changed = apply_guide_fields(version, fields)
    if changed:
        version.updated_at = timezone.now()
        version.save(update_fields=[*changed, "updated_at"])
    if themes is not None:
        changed += _set_themes(version, themes)
    if changed:
        audit_record(
            actor=by,
            action="catalog.version.updated",
            target=version,
            summary=f"修改第{version.number}版：{'、'.join(field_label(n) for n in changed)}"[:200],
            details={"item_id": version.item_id, "fields": changed},
        )
    return version


def _set_themes(version: ServiceItemVersion, themes: Iterable[Theme]) -> list[str]:
    wanted = {theme.pk for theme in themes}
    if set(version.themes.values_list("pk", flat=True)) == wanted:
        return []
    version.themes.set(wanted)
    return ["themes"]


@transaction.atomic
def version_set_themes(
    *, version: ServiceItemVersion, by: User | None, themes: Iterable[Theme]
) -> ServiceItemVersion:
    return version_update(version=version, by=by, themes=list(themes))


def _replace(
    relation: str, version: ServiceItemVersion, by: User | None, rows: list[Row]
) -> ServiceItemVersion:
    kind = CHILD_KIND_BY_RELATION[relation]
    version = _lock_draft(version)
    objects = build_children(kind, version, rows)
    save_children(kind, version, objects)
    _touch(version)
    audit_record(
        actor=by,
        action="catalog.version.children_replaced",
        target=version,
        summary=f"第{version.number}版{kind.label}更新为 {len(objects)} 项",
        details={"item_id": version.item_id, "relation": relation, "count": len(objects)},
    )
    return version


@transaction.atomic
def version_set_materials(
    *, version: ServiceItemVersion, by: User | None, rows: list[Row]
) -> ServiceItemVersion:
    """Replace a draft's materials. Each row: MaterialRequirement columns (`name` required)."""
    return _replace("materials", version, by, rows)


@transaction.atomic
def version_set_fees(
    *, version: ServiceItemVersion, by: User | None, rows: list[Row]
) -> ServiceItemVersion:
    return _replace("fees", version, by, rows)


@transaction.atomic
def version_set_faqs(
    *, version: ServiceItemVersion, by: User | None, rows: list[Row]
) -> ServiceItemVersion:
    return _replace("faqs", version, by, rows)


@transaction.atomic
def version_set_procedure(
    *, version: ServiceItemVersion, by: User | None, rows: list[Row]
) -> ServiceItemVersion:
    """Replace the procedure steps; a row without `order` takes its position (1, 2, ...)."""
    return _replace("procedure_steps", version, by, rows)


@transaction.atomic
def version_set_special_steps(
    *, version: ServiceItemVersion, by: User | None, rows: list[Row]
) -> ServiceItemVersion:
    return _replace("special_steps", version, by, rows)


@transaction.atomic
def version_set_handling_items(
    *, version: ServiceItemVersion, by: User | None, rows: list[Row]
) -> ServiceItemVersion:
    return _replace("handling_items", version, by, rows)


# --- Revisions ------------------------------------------------------------------------------------


def copy_version(source: ServiceItemVersion, *, number: int, by: User | None) -> ServiceItemVersion:
    """A new draft with every guide field, theme and child row of `source`."""
    draft = ServiceItemVersion(
        item_id=source.item_id,
        number=number,
        status=workflow.DRAFT,
        based_on=source,
        created_by=by,
        **{name: getattr(source, name) for name in GUIDE_FIELDS},
    )
    # Files are shared, not copied: a published version's files never change either.
    for name in GUIDE_FIELDS:
        value = getattr(source, name)
        if isinstance(value, models.fields.files.FieldFile):
            setattr(draft, name, value.name)
    draft.save()
    draft.themes.set(source.themes.all())
    for kind in CHILD_KINDS:
        rows = list(kind.model._default_manager.filter(version=source))
        copies = []
        for row in rows:
            values = {name: getattr(row, name) for name in kind.columns}
            for name, value in values.items():
                if isinstance(value, models.fields.files.FieldFile):
                    values[name] = value.name
            copies.append(kind.model(version=draft, **values))
        kind.model._default_manager.bulk_create(copies)
    return draft


@transaction.atomic
def version_draft_from(*, item: ServiceItem, by: User | None) -> ServiceItemVersion:
    """The item's draft: the existing one, or a new one copying the live version (or, for a
    withdrawn item, its latest version) with all its children. A draft never unpublishes the
    live version."""
    item = lock_item(item.pk)
    existing = ServiceItemVersion.objects.filter(item=item, status=workflow.DRAFT).first()
    if existing is not None:
        return existing
    source = item.live_version or (
        ServiceItemVersion.objects.filter(item=item).order_by("-number").first()
    )
    if source is None:
        raise RuleViolated("该事项还没有任何版本，无法新建修订版本。", code="no_version")
    number = (ServiceItemVersion.objects.filter(item=item).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            draft = copy_version(source, number=number, by=by)
    except IntegrityError:
        # Someone drafted at the same moment (PostgreSQL without the lock held): use theirs.
        existing = ServiceItemVersion.objects.filter(item=item, status=workflow.DRAFT).first()
        if existing is None:
            raise
        return existing
    audit_record(
        actor=by,
        action="catalog.version.drafted",
        target=draft,
        summary=f"基于第{source.number}版新建修订版本第{number}版",
        details={"item_id": item.pk, "based_on": source.pk},
    )
    return draft


def _changes_summary(number: int, changes: list[FieldChange]) -> str:
    if not changes:
        return f"发布第{number}版（内容未变）"
    labels = list(dict.fromkeys(change.label.split("：")[0] for change in changes))
    return f"发布第{number}版，修改了：{'、'.join(labels)}"[:200]


@transaction.atomic
def version_publish(*, version: ServiceItemVersion, by: User | None) -> ServiceItemVersion:
    """Publish a draft: refused with every rule violation (each with its field) and nothing
    changed, or the draft goes live, the previous live version retires, the item points at it,
    the publication is audited with what changed, and `ServiceItemPublished` goes out after
    commit."""
    item = lock_item(version.item_id)
    version.refresh_from_db()
    if not workflow.can_transition(version.status, workflow.PUBLISHED):
        raise InvalidTransition(
            f"第{version.number}版已{version.get_status_display()}，只有草稿可以发布。",
            code="version_not_draft",
        )
    violations = workflow.publication_violations(snapshot_of(version))
    if violations:
        raise RuleViolated(
            f"该版本有 {len(violations)} 处不符合发布规则，未发布。请逐项修改后再发布。",
            code="publication_refused",
            errors=violations,
        )
    now = timezone.now()
    previous = ServiceItemVersion.objects.filter(item=item, status=workflow.PUBLISHED).first()
    changes = version_diff(previous, version)
    if previous is not None:
        previous.status = workflow.RETIRED
        previous.valid_to = now
        previous.save(update_fields=["status", "valid_to"])
    version.status = workflow.PUBLISHED
    version.published_by = by
    version.published_at = now
    version.valid_from = now
    version.valid_to = None
    version.save(update_fields=["status", "published_by", "published_at", "valid_from", "valid_to"])
    item.live_version = version
    item.save(update_fields=["live_version"])
    audit_record(
        actor=by,
        action="catalog.version.published",
        target=version,
        summary=_changes_summary(version.number, changes),
        details={
            "item_id": item.pk,
            "number": version.number,
            "previous_version_id": previous.pk if previous is not None else None,
            "changes": [
                {"field": c.field, "label": c.label, "before": c.before, "after": c.after}
                for c in changes[:100]
            ],
        },
    )
    publish(ServiceItemPublished(item.pk, version.pk, previous.pk if previous else None))
    return version


@transaction.atomic
def version_retire(
    *, version: ServiceItemVersion, by: User | None, reason: str
) -> ServiceItemVersion:
    """Retire a version without a successor: a published one withdraws the item from the
    catalogue (no live version), a draft is given up. Kept, never deleted."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            "请填写停用原因。",
            code="reason_required",
            errors=[FieldError("reason", "请填写停用原因。")],
        )
    item = lock_item(version.item_id)
    version.refresh_from_db()
    if not workflow.can_transition(version.status, workflow.RETIRED):
        raise InvalidTransition(f"第{version.number}版已停用。", code="version_retired")
    was_live = version.status == workflow.PUBLISHED
    version.status = workflow.RETIRED
    version.retire_reason = reason[:200]
    version.valid_to = timezone.now()
    version.save(update_fields=["status", "retire_reason", "valid_to"])
    if was_live and item.live_version_id == version.pk:
        item.live_version = None
        item.save(update_fields=["live_version"])
    audit_record(
        actor=by,
        action="catalog.version.retired",
        target=version,
        summary=f"停用第{version.number}版：{reason}"[:200],
        details={"item_id": item.pk, "was_live": was_live, "reason": reason},
    )
    publish(ServiceItemVersionRetired(item.pk, version.pk, was_live))
    return version
