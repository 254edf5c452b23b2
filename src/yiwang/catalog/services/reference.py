"""Writes on the catalogue's reference data: basic items (基本目录), themes and life events,
search synonyms, local code-list values. Administrators keep these; every write is audited."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from yiwang.catalog.events import SynonymsChanged, ThemeChanged
from yiwang.catalog.models import BasicItem, CodeListEntry, Synonym, Theme
from yiwang.identity.models import User
from yiwang.platform.errors import FieldError, InvalidInput
from yiwang.platform.events import publish
from yiwang.platform.services import audit_record

M = TypeVar("M", bound=models.Model)


def _editable_fields(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if f.name != "id"}


def _apply(obj: M, fields: dict[str, Any]) -> list[str]:
    allowed = _editable_fields(type(obj))
    unknown = [name for name in fields if name not in allowed]
    if unknown:
        raise InvalidInput(
            "提交的字段有误。",
            code="unknown_field",
            errors=[FieldError(name, f"“{name}”不可修改。") for name in unknown],
        )
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    try:
        obj.full_clean()
    except ValidationError as error:
        raise InvalidInput(
            "填写的内容有误，请按提示修改。",
            code="invalid_input",
            errors=[
                FieldError(name, message)
                for name, messages in error.message_dict.items()
                for message in messages
            ],
        ) from error
    return changed


def _create(model: type[M], by: User | None, action: str, fields: dict[str, Any]) -> M:
    obj = model()
    _apply(obj, fields)
    obj.save()
    audit_record(actor=by, action=action, target=obj, summary=f"新建 {obj}"[:200])
    return obj


def _update(obj: M, by: User | None, action: str, fields: dict[str, Any]) -> list[str]:
    changed = _apply(obj, fields)
    if changed:
        obj.save(update_fields=changed)
        audit_record(
            actor=by,
            action=action,
            target=obj,
            summary=f"修改 {obj}：{'、'.join(changed)}"[:200],
            details={"fields": changed},
        )
    return changed


@transaction.atomic
def basic_item_create(*, by: User | None, **fields: Any) -> BasicItem:
    return _create(BasicItem, by, "catalog.basic_item.created", fields)


@transaction.atomic
def basic_item_update(*, basic_item: BasicItem, by: User | None, **fields: Any) -> BasicItem:
    if "basic_code" in fields and fields["basic_code"] != basic_item.basic_code:
        raise InvalidInput(
            "基本编码不可修改：编码变化即为新的基本目录事项。",
            code="basic_code_fixed",
            errors=[FieldError("basic_code", "基本编码不可修改。")],
        )
    _update(basic_item, by, "catalog.basic_item.updated", fields)
    return basic_item


@transaction.atomic
def theme_create(*, by: User | None, **fields: Any) -> Theme:
    theme = _create(Theme, by, "catalog.theme.created", fields)
    publish(ThemeChanged(theme.pk))
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, by: User | None, **fields: Any) -> Theme:
    if _update(theme, by, "catalog.theme.updated", fields):
        publish(ThemeChanged(theme.pk))
    return theme


@transaction.atomic
def synonym_create(*, by: User | None, term: str, expansion: str) -> Synonym:
    synonym = _create(
        Synonym,
        by,
        "catalog.synonym.created",
        {"term": term.strip(), "expansion": " ".join(expansion.split())},
    )
    publish(SynonymsChanged(synonym.pk))
    return synonym


@transaction.atomic
def synonym_update(*, synonym: Synonym, by: User | None, **fields: Any) -> Synonym:
    if "expansion" in fields:
        fields["expansion"] = " ".join(str(fields["expansion"]).split())
    if _update(synonym, by, "catalog.synonym.updated", fields):
        publish(SynonymsChanged(synonym.pk))
    return synonym


@transaction.atomic
def synonym_delete(*, synonym: Synonym, by: User | None) -> None:
    synonym_id = synonym.pk
    audit_record(
        actor=by, action="catalog.synonym.deleted", target=synonym, summary=f"删除 {synonym}"[:200]
    )
    synonym.delete()
    publish(SynonymsChanged(synonym_id))


@transaction.atomic
def code_list_entry_create(*, by: User | None, **fields: Any) -> CodeListEntry:
    return _create(CodeListEntry, by, "catalog.code.created", fields)


@transaction.atomic
def code_list_entry_update(
    *, entry: CodeListEntry, by: User | None, **fields: Any
) -> CodeListEntry:
    """Codes are referenced by stored items: only the name, order and in-use flag change."""
    fixed = [n for n in ("code_list", "code") if n in fields and fields[n] != getattr(entry, n)]
    if fixed:
        raise InvalidInput(
            "代码不可修改：如需新代码，请新增一项并停用旧项。",
            code="code_fixed",
            errors=[FieldError(n, "代码不可修改。") for n in fixed],
        )
    _update(entry, by, "catalog.code.updated", fields)
    return entry
