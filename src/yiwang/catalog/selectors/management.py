"""Reads for catalogue managers: what they may manage, version history and diffs, the snapshot
the publication rules check, and a bundle's merged set of materials."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.functional import Promise

from yiwang.catalog import workflow
from yiwang.catalog.models import (
    Bundle,
    BundleMember,
    FeeItem,
    FrequentQuestion,
    HandlingForm,
    HandlingItem,
    MaterialNecessity,
    MaterialRequirement,
    ProcedureStep,
    ServiceItem,
    ServiceItemVersion,
    ServiceObject,
    SpecialStep,
)
from yiwang.identity.models import StaffMembership, StaffRole, User
from yiwang.org.models import Department, Region
from yiwang.platform.errors import FieldError, NotFound

Actor = User | AnonymousUser

# --- What a version holds -------------------------------------------------------------------------

# Bookkeeping of a version, not part of its guide: never copied into a new draft, never edited.
VERSION_BOOKKEEPING_FIELDS = frozenset(
    {
        "id",
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
        "change_note",
        "retire_reason",
    }
)

# Every guide field of a version (GB/T 39046 table 4), in model order.
GUIDE_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in ServiceItemVersion._meta.concrete_fields
    if f.name not in VERSION_BOOKKEEPING_FIELDS
)
# What a manager may change on a draft: its guide, its note, and its themes.
EDITABLE_VERSION_FIELDS = frozenset({*GUIDE_FIELDS, "change_note", "themes"})


@dataclass(frozen=True)
class ChildKind:
    """One kind of row that belongs to a version (materials, fees ...)."""

    relation: str
    model: type[models.Model]
    label: str
    key: str  # the column that identifies a row to people, for diffs

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(
            f.name for f in self.model._meta.concrete_fields if f.name not in {"id", "version"}
        )


CHILD_KINDS: tuple[ChildKind, ...] = (
    ChildKind("materials", MaterialRequirement, "申请材料", "name"),
    ChildKind("fees", FeeItem, "收费项目", "name"),
    ChildKind("special_steps", SpecialStep, "特殊环节", "name"),
    ChildKind("faqs", FrequentQuestion, "常见问题", "question"),
    ChildKind("procedure_steps", ProcedureStep, "办理流程", "name"),
    ChildKind("handling_items", HandlingItem, "业务办理项", "code"),
)
CHILD_KIND_BY_RELATION = {kind.relation: kind for kind in CHILD_KINDS}

# Labels of the fields the publication rules may name that are not model columns.
EXTRA_FIELD_LABELS = {kind.relation: kind.label for kind in CHILD_KINDS} | {"themes": "主题"}


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def field_label(name: str) -> str:
    """The Chinese label of a version field (or child collection) named in an error."""
    if name in EXTRA_FIELD_LABELS:
        return EXTRA_FIELD_LABELS[name]
    try:
        return str(model_field(ServiceItemVersion, name).verbose_name)
    except FieldDoesNotExist:  # an unknown name is shown as it is rather than failing the page
        return name


# --- Permissions ----------------------------------------------------------------------------------


def _manages_everything_filter(user: User) -> Exists:
    return Exists(
        StaffMembership.objects.filter(user=user, role=StaffRole.ADMINISTRATOR, is_active=True)
    )


def _managed_departments(user: User) -> QuerySet[StaffMembership, Any]:
    return StaffMembership.objects.filter(
        user=user, role=StaffRole.CATALOGUE_MANAGER, is_active=True
    ).values("department_id")


def user_manages_catalogue(user: Actor) -> bool:
    """May the user open the catalogue admin at all (superuser, administrator, manager)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return StaffMembership.objects.filter(
        user=user,
        role__in=[StaffRole.ADMINISTRATOR, StaffRole.CATALOGUE_MANAGER],
        is_active=True,
    ).exists()


def user_manages_whole_catalogue(user: Actor) -> bool:
    """Superusers and administrators manage every department's items, bundles and code lists."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        bool(user.is_superuser)
        or StaffMembership.objects.filter(
            user=user, role=StaffRole.ADMINISTRATOR, is_active=True
        ).exists()
    )


def items_managed_by(user: Actor) -> QuerySet[ServiceItem]:
    """Superusers and administrators: every item; catalogue managers: the items of their
    departments; anyone else: none. One query when evaluated."""
    if not user.is_authenticated or not user.is_active:
        return ServiceItem.objects.none()
    if user.is_superuser:
        return ServiceItem.objects.all()
    assert isinstance(user, User)
    return ServiceItem.objects.filter(
        Q(_manages_everything_filter(user)) | Q(department_id__in=_managed_departments(user))
    )


def item_for_manager(user: Actor, item_id: int | str) -> ServiceItem:
    """The item, if the user manages it; `NotFound` both when missing and when forbidden."""
    try:
        return items_managed_by(user).select_related("live_version", "department").get(pk=item_id)
    except (ServiceItem.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def versions_managed_by(user: Actor) -> QuerySet[ServiceItemVersion]:
    return ServiceItemVersion.objects.filter(item__in=items_managed_by(user))


def version_for_manager(user: Actor, version_id: int | str) -> ServiceItemVersion:
    try:
        return versions_managed_by(user).select_related("item").get(pk=version_id)
    except (ServiceItemVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def bundles_managed_by(user: Actor) -> QuerySet[Bundle]:
    """Bundles are managed by their lead department's managers (and administrators)."""
    if not user.is_authenticated or not user.is_active:
        return Bundle.objects.none()
    if user.is_superuser:
        return Bundle.objects.all()
    assert isinstance(user, User)
    return Bundle.objects.filter(
        Q(_manages_everything_filter(user)) | Q(lead_department_id__in=_managed_departments(user))
    )


def bundle_for_manager(user: Actor, bundle_id: int | str) -> Bundle:
    try:
        return bundles_managed_by(user).get(pk=bundle_id)
    except (Bundle.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def departments_for_manager(user: Actor) -> QuerySet[Department]:
    """Departments a manager may file new items (and lead bundles) under."""
    if user_manages_whole_catalogue(user):
        return Department.objects.filter(is_active=True)
    if not user.is_authenticated:
        return Department.objects.none()
    assert isinstance(user, User)
    return Department.objects.filter(pk__in=_managed_departments(user))


def regions_for_manager(user: Actor) -> QuerySet[Region]:
    """Current regions where a manager's departments may implement items: their own region
    and the regions below it (a county bureau's items may be delegated to its towns)."""
    current = Region.objects.filter(valid_to__isnull=True)
    if user_manages_whole_catalogue(user):
        return current
    codes = set(departments_for_manager(user).values_list("region__code", flat=True))
    if not codes:
        return Region.objects.none()
    prefixes = Q()
    for code in codes:
        prefixes |= Q(code__startswith=code.rstrip("0") or code)
    return current.filter(prefixes)


def items_for_bundles() -> QuerySet[ServiceItem]:
    """Items a bundle may take in: any published item, whichever department implements it."""
    return ServiceItem.objects.filter(live_version__isnull=False)


def item_list_for_manager(user: Actor) -> QuerySet[ServiceItem]:
    """`items_managed_by` for a list page: live guide, department and the draft's number."""
    drafts = ServiceItemVersion.objects.filter(item=OuterRef("pk"), status=workflow.DRAFT)
    return (
        items_managed_by(user)
        .select_related("live_version", "department")
        .annotate(
            draft_number=Subquery(drafts.values("number")[:1]),
            draft_name=Subquery(drafts.values("name")[:1]),
        )
    )


def departments_managed_by(user: Actor) -> list[int] | None:
    """Department ids whose items the user manages; `None` means every department."""
    if user_manages_whole_catalogue(user):
        return None
    if not user.is_authenticated:
        return []
    assert isinstance(user, User)
    return list(_managed_departments(user).values_list("department_id", flat=True))


# --- Versions -------------------------------------------------------------------------------------


def versions_of(item: ServiceItem) -> list[ServiceItemVersion]:
    """Every version of an item, newest first, with who created and published it (one query)."""
    return list(
        ServiceItemVersion.objects.filter(item=item)
        .select_related("created_by", "published_by")
        .order_by("-number")
    )


def draft_of(item: ServiceItem) -> ServiceItemVersion | None:
    return ServiceItemVersion.objects.filter(item=item, status=workflow.DRAFT).first()


def latest_version_of(item: ServiceItem) -> ServiceItemVersion | None:
    return ServiceItemVersion.objects.filter(item=item).order_by("-number").first()


def snapshot_of(version: ServiceItemVersion) -> workflow.VersionSnapshot:
    """What the publication rules read, taken from the database (five small queries)."""
    themes = tuple(
        workflow.ThemeRef(name, audience)
        for name, audience in version.themes.order_by("order").values_list("name", "audience")
    )
    steps = tuple(
        ProcedureStep.objects.filter(version=version)
        .order_by("order", "pk")
        .values_list("name", flat=True)
    )
    return workflow.VersionSnapshot(
        name=version.name,
        item_type=version.item_type,
        case_type=version.case_type,
        promised_limit_value=version.promised_limit_value,
        promised_limit_unit=version.promised_limit_unit,
        statutory_limit_value=version.statutory_limit_value,
        statutory_limit_unit=version.statutory_limit_unit,
        legal_basis=version.legal_basis,
        conditions=version.conditions,
        extension_allowed=version.extension_allowed,
        extension_max_working_days=version.extension_max_working_days,
        joint_handling=version.joint_handling,
        handling_forms=tuple(str(code) for code in version.handling_forms or ()),
        visit_count=version.visit_count,
        onsite_reason=version.onsite_reason,
        online_depth=version.online_depth,
        courier_supported=version.courier_supported,
        service_objects=tuple(str(code) for code in version.service_objects or ()),
        themes=themes,
        result_type=version.result_type,
        result_name=version.result_name,
        has_result_sample=bool(version.result_sample),
        charged=version.charged,
        fee_basis=version.fee_basis,
        online_payment_supported=version.online_payment_supported,
        address=version.address,
        office_hours=version.office_hours,
        consultation_phone=version.consultation_phone,
        complaint_phone=version.complaint_phone,
        fee_count=FeeItem.objects.filter(version=version).count(),
        faq_count=FrequentQuestion.objects.filter(version=version).count(),
        material_count=MaterialRequirement.objects.filter(version=version).count(),
        procedure_step_names=steps,
    )


def publication_check(version: ServiceItemVersion) -> list[FieldError]:
    """The rules a version breaks now (shown on a draft's page before anyone presses 发布)."""
    return workflow.publication_violations(snapshot_of(version))


# --- Diffs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One difference between two versions, in words a manager reads in the history."""

    field: str
    label: str
    before: str
    after: str


_EMPTY = "（空）"
_CODE_LABELS: dict[str, dict[str, str | Promise]] = {
    "service_objects": dict(ServiceObject.choices),
    "handling_forms": dict(HandlingForm.choices),
}


def display_value(model_field: models.Field[Any, Any], value: Any) -> str:
    """A field value as people read it: choice labels, 是/否, file names, lists joined."""
    if value is None or value == "" or value == []:
        return _EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.FileField):
        return str(getattr(value, "name", value) or _EMPTY)
    if isinstance(value, list | tuple):
        labels = _CODE_LABELS.get(model_field.name, {})
        return "、".join(str(labels.get(str(v), v)) for v in value)
    return str(value)


def _row_values(kind: ChildKind, row: models.Model) -> dict[str, str]:
    return {
        name: display_value(model_field(kind.model, name), getattr(row, name))
        for name in kind.columns
    }


def _diff_children(
    kind: ChildKind, old_rows: Iterable[models.Model], new_rows: Iterable[models.Model]
) -> list[FieldChange]:
    def keyed(rows: Iterable[models.Model]) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for row in rows:
            key = str(getattr(row, kind.key))
            while key in result:  # two rows of the same name: keep both, told apart
                key += "′"
            result[key] = _row_values(kind, row)
        return result

    old, new = keyed(old_rows), keyed(new_rows)
    labels = {name: str(model_field(kind.model, name).verbose_name) for name in kind.columns}
    changes: list[FieldChange] = []
    for key in [*old, *(k for k in new if k not in old)]:
        label = f"{kind.label}：{key}"
        if key not in new:
            changes.append(FieldChange(kind.relation, label, "有", "（已删除）"))
        elif key not in old:
            changes.append(FieldChange(kind.relation, label, "（无）", "新增"))
        else:
            differing = [name for name in kind.columns if old[key][name] != new[key][name]]
            if differing:
                changes.append(
                    FieldChange(
                        kind.relation,
                        label,
                        "；".join(f"{labels[n]}：{old[key][n]}" for n in differing),
                        "；".join(f"{labels[n]}：{new[key][n]}" for n in differing),
                    )
                )
    return changes


def _with_children(version: ServiceItemVersion) -> ServiceItemVersion:
    relations = [kind.relation for kind in CHILD_KINDS]
    return ServiceItemVersion.objects.prefetch_related(*relations, "themes").get(pk=version.pk)


def version_diff(old: ServiceItemVersion | None, new: ServiceItemVersion) -> list[FieldChange]:
    """What changed from `old` to `new`: guide fields, themes, and each child row (materials,
    fees, steps ...) added, removed or changed. `old=None` lists what the first version says."""
    new = _with_children(new)
    previous = _with_children(old) if old is not None else None
    changes: list[FieldChange] = []
    for name in GUIDE_FIELDS:
        column = model_field(ServiceItemVersion, name)
        after = display_value(column, getattr(new, name))
        before = display_value(column, getattr(previous, name)) if previous is not None else _EMPTY
        if before != after:
            changes.append(FieldChange(name, str(column.verbose_name), before, after))
    old_themes = sorted(t.name for t in previous.themes.all()) if previous is not None else []
    new_themes = sorted(t.name for t in new.themes.all())
    if old_themes != new_themes:
        changes.append(
            FieldChange(
                "themes", "主题", "、".join(old_themes) or _EMPTY, "、".join(new_themes) or _EMPTY
            )
        )
    for kind in CHILD_KINDS:
        old_rows = getattr(previous, kind.relation).all() if previous is not None else []
        changes += _diff_children(kind, old_rows, getattr(new, kind.relation).all())
    return changes


def version_compared_with(version: ServiceItemVersion) -> ServiceItemVersion | None:
    """The version a history entry is compared with: the one it was drafted from, else the
    version numbered just before it."""
    if version.based_on_id is not None:
        return ServiceItemVersion.objects.filter(pk=version.based_on_id).first()
    return (
        ServiceItemVersion.objects.filter(item_id=version.item_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


# --- Bundles --------------------------------------------------------------------------------------


def bundle_snapshot(bundle: Bundle) -> workflow.BundleSnapshot:
    members = BundleMember.objects.filter(bundle=bundle).select_related("item__live_version")
    return workflow.BundleSnapshot(
        name=bundle.name,
        lead_department_id=bundle.lead_department_id,
        supporting_department_ids=frozenset(
            bundle.supporting_departments.values_list("pk", flat=True)
        ),
        promised_total_working_days=bundle.promised_total_working_days,
        members=tuple(
            workflow.BundleMemberRef(
                item_label=_item_label(member.item),
                department_id=member.item.department_id,
                has_live_version=member.item.live_version_id is not None,
                optional=member.optional,
            )
            for member in members
        ),
    )


def _item_label(item: ServiceItem) -> str:
    live = item.live_version
    return live.name if live is not None else item.implementation_code


_NECESSITY_RANK: dict[str, int] = {
    MaterialNecessity.REQUIRED: 0,
    MaterialNecessity.TOLERATED: 1,
    MaterialNecessity.OPTIONAL: 2,
}
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_ORIGINAL_OR_COPY = re.compile(r"(原件及复印件|原件和复印件|复印件|原件|副本)$")


def normalise_material_name(name: str) -> str:
    """“申请人身份证（原件）”, “申请人 身份证复印件” → “申请人身份证”: the same paper."""
    text = unicodedata.normalize("NFKC", name)
    text = _BRACKETS.sub("", text)
    text = "".join(char for char in text if char.isalnum())
    return _ORIGINAL_OR_COPY.sub("", text) or text


@dataclass
class MergedMaterial:
    """One material of a bundle's single set (一套材料), asked once for every member needing it."""

    name: str
    necessity: str
    originals: int
    copies: int
    accepted_licence_types: list[str]
    item_names: list[str] = field(default_factory=list)
    material_ids: list[int] = field(default_factory=list)

    @property
    def necessity_label(self) -> str:
        return str(MaterialNecessity(self.necessity).label)


def merged_bundle_materials(bundle: Bundle) -> list[MergedMaterial]:
    """The bundle's one set of materials from its members' live versions (two queries).

    Two materials are the same when their normalised names are equal or they accept a common
    licence type (a valid licence replaces both). The merged one keeps the first member's name,
    the strictest necessity, the most originals and copies, and every accepted licence type.
    """
    members = list(
        BundleMember.objects.filter(bundle=bundle)
        .select_related("item__live_version")
        .order_by("parallel_group", "order", "pk")
    )
    version_ids = [m.item.live_version_id for m in members if m.item.live_version_id is not None]
    item_name = {m.item.live_version_id: _item_label(m.item) for m in members}
    member_rank = {vid: i for i, vid in enumerate(version_ids)}
    materials = sorted(
        MaterialRequirement.objects.filter(version_id__in=version_ids),
        key=lambda m: (member_rank[m.version_id], m.order, m.pk),
    )

    # Union-find over materials: joined by name, and by any shared licence type.
    parent = list(range(len(materials)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first_by_key: dict[str, int] = {}
    for i, material in enumerate(materials):
        keys = [f"name:{normalise_material_name(material.name)}"] + [
            f"licence:{code}" for code in material.accepted_licence_types or []
        ]
        for key in keys:
            if key in first_by_key:
                join(i, first_by_key[key])
            else:
                first_by_key[key] = i

    merged: dict[int, MergedMaterial] = {}
    for i, material in enumerate(materials):
        group = merged.get(root(i))
        if group is None:
            group = merged[root(i)] = MergedMaterial(
                name=material.name,
                necessity=material.necessity,
                originals=material.originals,
                copies=material.copies,
                accepted_licence_types=[],
            )
        if _NECESSITY_RANK.get(material.necessity, 9) < _NECESSITY_RANK.get(group.necessity, 9):
            group.necessity = material.necessity
        group.originals = max(group.originals, material.originals)
        group.copies = max(group.copies, material.copies)
        for code in material.accepted_licence_types or []:
            if code not in group.accepted_licence_types:
                group.accepted_licence_types.append(code)
        name = item_name[material.version_id]
        if name not in group.item_names:
            group.item_names.append(name)
        group.material_ids.append(material.pk)
    return list(merged.values())
