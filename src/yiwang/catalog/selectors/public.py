"""Public reads of the catalogue: what anyone may see without signing in.

Only live (published) versions are public. A missing item and an item with no published version
look the same (`NotFound`). List selectors fetch only the columns a list shows and never issue a
query per row (asserted in tests).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.fields.files import FieldFile

from yiwang.catalog.models import (
    Bundle,
    BundleMember,
    MaterialRequirement,
    ServiceItemVersion,
    Theme,
    ThemeKind,
    VersionStatus,
)
from yiwang.licences.selectors import licence_type_names, licence_types_active
from yiwang.org.models import Department
from yiwang.platform import paging
from yiwang.platform.errors import InvalidInput, NotFound
from yiwang.platform.paging import PageOf as PageOf  # re-exported: the lists answer it

MAX_PAGE_SIZE = 50
VISIT_TAGS = {"no_visit": "不见面", "at_most_one": "最多跑一次"}


@dataclass(frozen=True)
class ItemFilters:
    department_id: int | None = None
    theme_code: str = ""
    exercise_level: str = ""
    min_depth: int | None = None
    visit_tag: str = ""
    audience: str = ""


@dataclass(frozen=True)
class ItemRow:
    """One line of a catalogue list."""

    item_id: int
    version_id: int
    name: str
    department_name: str
    exercise_level: str
    online_depth: int
    visit_count: int
    case_type: str
    promised_limit_value: int
    promised_limit_unit: str
    charged: bool

    @property
    def visit_tag(self) -> str:
        if self.visit_count == 0:
            return VISIT_TAGS["no_visit"]
        if self.visit_count == 1:
            return VISIT_TAGS["at_most_one"]
        return ""


@dataclass(frozen=True)
class DepartmentCount:
    department_id: int
    name: str
    level: int
    items: int


def checked_page(page: int, page_size: int) -> tuple[int, int]:
    return paging.checked_page(page, page_size, max_page_size=MAX_PAGE_SIZE)


def live_versions() -> QuerySet[ServiceItemVersion]:
    """Versions in force: one per item (a database constraint allows one published version)."""
    return ServiceItemVersion.objects.filter(status=VersionStatus.PUBLISHED)


_ROW_FIELDS = (
    "item_id",
    "pk",
    "name",
    "item__department__name",
    "item__exercise_level",
    "online_depth",
    "visit_count",
    "case_type",
    "promised_limit_value",
    "promised_limit_unit",
    "charged",
)


def _filtered(filters: ItemFilters) -> QuerySet[ServiceItemVersion]:
    versions = live_versions()
    if filters.department_id is not None:
        versions = versions.filter(item__department_id=filters.department_id)
    if filters.theme_code:
        versions = versions.filter(themes__code=filters.theme_code)
    if filters.exercise_level:
        versions = versions.filter(item__exercise_level=filters.exercise_level)
    if filters.min_depth is not None:
        versions = versions.filter(online_depth__gte=filters.min_depth)
    if filters.visit_tag == "no_visit":
        versions = versions.filter(visit_count=0)
    elif filters.visit_tag == "at_most_one":
        versions = versions.filter(visit_count__lte=1)
    elif filters.visit_tag:
        raise InvalidInput("跑动次数筛选只能是“不见面”或“最多跑一次”。", code="visit_tag_invalid")
    # Service objects are a JSON list of A.4 code strings; a text match on the quoted code works
    # on SQLite and PostgreSQL alike (JSON `contains` is not available on SQLite).
    if filters.audience == "person":
        versions = versions.filter(service_objects__icontains='"1"')
    elif filters.audience == "enterprise":
        versions = versions.filter(service_objects__icontains='"2"')
    elif filters.audience:
        raise InvalidInput("服务对象筛选只能是个人或法人。", code="audience_invalid")
    return versions


def items_browse(*, filters: ItemFilters, page: int = 1, page_size: int = 20) -> PageOf:
    """Published items matching the filters, most popular first; two queries."""
    page, page_size = checked_page(page, page_size)
    versions = _filtered(filters)
    total = versions.values("pk").distinct().count()
    start = (page - 1) * page_size
    raw = (
        versions.order_by("-item__popularity", "item__implementation_code")
        .values_list(*_ROW_FIELDS)
        .distinct()[start : start + page_size]
    )
    rows = [ItemRow(*values) for values in raw]
    return PageOf(rows=rows, total=total, page=page, page_size=page_size)


def guide_for_public(item_id: int) -> ServiceItemVersion:
    """The live guide of an item with everything a guide page shows, in a fixed few queries."""
    version = (
        live_versions()
        .filter(item_id=item_id)
        .select_related("item", "item__department", "item__region", "item__basic_item")
        .prefetch_related(
            "materials",
            "fees",
            "special_steps",
            "faqs",
            "procedure_steps",
            "handling_items",
            "themes",
        )
        .first()
    )
    if version is None:
        raise NotFound("未找到该事项，或该事项已停止办理。")
    return version


def licence_names_of(version: ServiceItemVersion) -> dict[str, str]:
    """Names of the licence types a guide mentions (accepted instead of a material, or issued
    as the result), by type code, from the licence library."""
    codes = {code for m in version.materials.all() for code in m.accepted_licence_types or []}
    if version.result_licence_type_code:
        codes.add(version.result_licence_type_code)
    return licence_type_names(sorted(codes)) if codes else {}


@dataclass(frozen=True)
class LicenceTypeUse:
    """One line of the public licence catalogue: a type, the items that issue it, and how many
    live guides accept it instead of a material."""

    code: str
    name: str
    defining_authority: str
    holder_kind_label: str
    issued_by: list[tuple[int, str, str]]  # (item id, item name, department name)
    accepted_by_items: int


def licence_catalogue(*, issuing_limit: int = 5) -> list[LicenceTypeUse]:
    """Every active licence type of the library with the catalogue's use of it, in 3 queries."""
    types = licence_types_active()
    codes = [t.code for t in types]
    issuing: dict[str, list[tuple[int, str, str]]] = {code: [] for code in codes}
    rows = (
        live_versions()
        .filter(result_licence_type_code__in=codes)
        .order_by("-item__popularity", "name")
        .values_list("result_licence_type_code", "item_id", "name", "item__department__name")
    )
    for code, item_id, name, department in rows:
        if len(issuing[code]) < issuing_limit:
            issuing[code].append((item_id, name, department))
    accepted: dict[str, set[int]] = {code: set() for code in codes}
    materials = MaterialRequirement.objects.filter(version__status=VersionStatus.PUBLISHED).exclude(
        accepted_licence_types=[]
    )
    for version_id, accepted_codes in materials.order_by().values_list(
        "version_id", "accepted_licence_types"
    ):
        for code in accepted_codes or []:
            if code in accepted:
                accepted[code].add(version_id)
    return [
        LicenceTypeUse(
            code=t.code,
            name=t.name,
            defining_authority=t.defining_authority,
            holder_kind_label=str(t.get_holder_kind_display()),
            issued_by=issuing[t.code],
            accepted_by_items=len(accepted[t.code]),
        )
        for t in types
    ]


def public_history(item_id: int) -> list[ServiceItemVersion]:
    """Published and retired versions (never drafts), newest first."""
    versions = list(
        ServiceItemVersion.objects.filter(item_id=item_id)
        .exclude(status=VersionStatus.DRAFT)
        .only("pk", "item_id", "number", "status", "name", "published_at", "valid_to")
        .order_by("-number")
    )
    if not versions:
        raise NotFound("未找到该事项。")
    return versions


def material_file_for_public(material_id: int, kind: str) -> FieldFile:
    """The blank form or sample of a material of a live version (else NotFound)."""
    from_live = MaterialRequirement.objects.filter(
        pk=material_id, version__status=VersionStatus.PUBLISHED
    ).first()
    if from_live is None:
        raise NotFound("未找到该表格。")
    file: FieldFile = from_live.blank_form if kind == "form" else from_live.sample
    if not file:
        raise NotFound("该材料没有可下载的表格。")
    return file


def departments_with_items() -> list[DepartmentCount]:
    """Departments that implement at least one live item, with how many; one query."""
    rows = Department.objects.filter(is_active=True).values_list("pk", "name", "level")
    counts = dict(
        live_versions()
        .values_list("item__department_id")
        .annotate(n=Count("pk"))
        .values_list("item__department_id", "n")
    )
    return [
        DepartmentCount(department_id=pk, name=name, level=level, items=counts[pk])
        for pk, name, level in rows
        if counts.get(pk)
    ]


def themes_of(*, audience: str, kind: str = ThemeKind.THEME) -> list[Theme]:
    return list(Theme.objects.filter(audience=audience, kind=kind).order_by("order", "pk"))


def theme_for_public(code: str) -> Theme:
    theme = Theme.objects.filter(code=code).first()
    if theme is None:
        raise NotFound("未找到该主题。")
    return theme


def bundles_public() -> list[Bundle]:
    return list(
        Bundle.objects.filter(is_published=True)
        .select_related("lead_department")
        .order_by("-popularity", "code")
    )


def bundle_for_public(bundle_id: int) -> Bundle:
    bundle = (
        Bundle.objects.filter(pk=bundle_id, is_published=True)
        .select_related("lead_department")
        .prefetch_related(
            "supporting_departments",
            Prefetch(
                "members",
                queryset=BundleMember.objects.select_related(
                    "item", "item__department", "item__live_version"
                ).order_by("parallel_group", "order"),
            ),
        )
        .first()
    )
    if bundle is None:
        raise NotFound("未找到该“一件事”。")
    return bundle


def popular_items(limit: int = 8) -> list[ItemRow]:
    return items_browse(filters=ItemFilters(), page=1, page_size=limit).rows
