"""The demo catalogue (事项清单): ~2,000 implementation items, themes and life events, bundles and
search synonyms for 示范市.

The items come from real item families (`catalogue/families_*.py`: names, legal bases, material
lists of common services) implemented by the city's departments, by every district and county,
and delegated to each county seat's 便民服务中心. They are written through the catalogue's import
service (`catalog_items_import`), which checks every guide against the publication rules before
anything is written; themes, synonyms and bundles go through the catalogue's own services.
Running the step again changes nothing.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings

from yiwang.catalog import services as catalog
from yiwang.catalog.models import (
    Bundle,
    ServiceItem,
    ServiceItemVersion,
    Synonym,
    Theme,
)
from yiwang.catalog.services.imports import catalog_items_import
from yiwang.org.models import Department, ServiceHall, WindowKind
from yiwang.project.demo.catalogue.bundles import BUNDLES, BundleSpec
from yiwang.project.demo.catalogue.files import ensure_files, sample_path
from yiwang.project.demo.catalogue.plan import DepartmentInfo, build_plan
from yiwang.project.demo.catalogue.themes import ALL_THEMES, SYNONYMS, ThemeSpec
from yiwang.project.demo.context import DemoContext
from yiwang.project.demo.departments import build_departments
from yiwang.project.demo.regions import CITY_CODE

# --- What the catalogue refers to: departments, halls, sample files -------------------------------


def department_infos() -> dict[str, DepartmentInfo]:
    by_name = {(d.region.code, d.name): d for d in Department.objects.select_related("region")}
    infos = {}
    for spec in build_departments():
        department = by_name[(spec.region_code, spec.name)]
        infos[spec.key] = DepartmentInfo(
            key=spec.key,
            uscc=department.uscc,
            name=department.name,
            kind=department.kind,
            phone=department.phone,
            region_code=spec.region_code,
        )
    return infos


class Places:
    """Where to go for a department's items: the hall of the item's region and the windows
    that take them in (a department's own window first, else the general windows)."""

    def __init__(self, departments: dict[str, DepartmentInfo]) -> None:
        uscc_to_key = {info.uscc: key for key, info in departments.items()}
        self.halls: dict[str, ServiceHall] = {}
        self.windows: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
        self.general: dict[str, list[str]] = defaultdict(list)
        halls = ServiceHall.objects.select_related("region").prefetch_related(
            "windows__departments"
        )
        for hall in halls:
            code = hall.region.code
            self.halls[code] = hall
            for window in hall.windows.all():
                if window.kind == WindowKind.GENERAL:
                    self.general[code].append(window.number)
                for department in window.departments.all():
                    key = uscc_to_key.get(department.uscc, "")
                    self.windows[(code, key)].append((window.kind, window.number, window.name))

    def __call__(self, region_code: str, department_key: str) -> tuple[str, str]:
        hall = self.halls.get(region_code) or self.halls[CITY_CODE]
        code = hall.region.code
        windows = self.windows.get((code, department_key), [])
        own = [w for w in windows if w[0] == WindowKind.DEPARTMENT]
        if own:
            where = f"{own[0][1]}号窗口（{own[0][2]}）"
        elif windows:
            where = f"{'、'.join(w[1] for w in windows)}号综合受理窗口"
        elif self.general.get(code):
            where = f"{'、'.join(self.general[code])}号综合受理窗口"
        else:
            where = "综合受理窗口"
        return f"{hall.name}{where}（{hall.address}）", hall.opening_hours


# --- Themes, synonyms, bundles --------------------------------------------------------------------


def _theme_fields(spec: ThemeSpec, order: int) -> dict[str, object]:
    return {
        "name": spec.name,
        "audience": spec.audience,
        "kind": spec.kind,
        "order": order,
        "description": spec.description,
        "steps_note": "\n".join(spec.steps),
    }


def ensure_themes() -> tuple[dict[str, Theme], int]:
    themes = {theme.code: theme for theme in Theme.objects.all()}
    created = 0
    orders: dict[tuple[str, str], int] = defaultdict(int)
    for spec in ALL_THEMES:
        orders[(spec.audience, spec.kind)] += 1
        fields = _theme_fields(spec, orders[(spec.audience, spec.kind)])
        theme = themes.get(spec.code)
        if theme is None:
            themes[spec.code] = catalog.theme_create(by=None, code=spec.code, **fields)
            created += 1
        elif any(getattr(theme, name) != value for name, value in fields.items()):
            catalog.theme_update(theme=theme, by=None, **fields)
    return themes, created


def ensure_synonyms() -> int:
    existing = {synonym.term: synonym for synonym in Synonym.objects.all()}
    created = 0
    for term, expansion in SYNONYMS.items():
        synonym = existing.get(term)
        if synonym is None:
            catalog.synonym_create(by=None, term=term, expansion=expansion)
            created += 1
        elif synonym.expansion != expansion:
            catalog.synonym_update(synonym=synonym, by=None, expansion=expansion)
    return created


def bundle_code(spec: BundleSpec) -> str:
    return f"YJS-{CITY_CODE}-{spec.number:03d}"


def _form_schema(spec: BundleSpec, members: list[ServiceItem]) -> list[dict[str, object]]:
    codes = [item.implementation_code for item in members]
    common = (
        ("申请人姓名", "公民身份号码", "手机号码", "联系地址")
        if spec.audience == "person"
        else ("企业名称", "统一社会信用代码", "法定代表人", "经办人", "手机号码", "经营场所")
    )
    return [
        {
            "name": f"field{index}",
            "label": label,
            "type": "text",
            "required": index <= len(common),
            "members": codes,
        }
        for index, label in enumerate((*common, *spec.fields), start=1)
    ]


def ensure_bundles(themes: dict[str, Theme], departments: dict[str, DepartmentInfo]) -> int:
    existing = set(Bundle.objects.values_list("code", flat=True))
    city_items = {
        item.live_version.name: item
        for item in ServiceItem.objects.filter(
            region__code=CITY_CODE, live_version__isnull=False
        ).select_related("live_version", "department")
        if item.live_version is not None
    }
    by_uscc = {d.uscc: d for d in Department.objects.all()}
    created = 0
    for spec in BUNDLES:
        code = bundle_code(spec)
        if code in existing or any(m.item not in city_items for m in spec.members):
            continue  # already there, or a reduced load without all its members
        members = [city_items[m.item] for m in spec.members]
        lead = by_uscc[departments[spec.lead].uscc]
        supporting = {item.department_id: item.department for item in members}
        supporting.pop(lead.pk, None)
        rows = [
            {
                "item": city_items[m.item],
                "order": index,
                "parallel_group": m.group,
                "optional": bool(m.condition),
                "condition": m.condition,
                "depends_on": [city_items[name] for name in m.after],
            }
            for index, m in enumerate(spec.members, start=1)
        ]
        bundle = catalog.bundle_create(
            code=code,
            name=spec.name,
            audience=spec.audience,
            lead_department=lead,
            promised_total_working_days=spec.promised_working_days,
            by=None,
            supporting_departments=list(supporting.values()),
            description=spec.description,
            form_schema=_form_schema(spec, members),
            themes=[themes[c] for c in spec.themes if c in themes],
            aliases=spec.aliases,
            members=rows,
        )
        catalog.bundle_publish(bundle=bundle, by=None)
        created += 1
    return created


# --- The step -------------------------------------------------------------------------------------


def load_catalog(ctx: DemoContext, *, size: int | None = None) -> None:
    """Load the demo catalogue: all of it, or only its first `size` items (the core city items
    first: bundle members, life-event steps, popular items). Without `size`, the setting
    `DEMO_CATALOG_SIZE` decides when it is set (tests that load the whole city use it)."""
    if size is None:
        size = getattr(settings, "DEMO_CATALOG_SIZE", None)
    seed = ctx.rng("catalog").getrandbits(32)
    themes, themes_created = ensure_themes()
    synonyms_created = ensure_synonyms()
    departments = department_infos()
    plan = build_plan(
        seed=seed,
        departments=departments,
        place=Places(departments),
        sample_path=sample_path,
        size=size,
    )
    ensure_files(
        results={b.entry.guide["result_name"] for b in plan} - {""},
        forms={
            row["name"]
            for b in plan
            for row in b.entry.children["materials"]
            if row.get("blank_form")
        },
    )
    report = catalog_items_import(items=[b.entry for b in plan], by=None, source="示范市演示数据")
    bundles_created = ensure_bundles(themes, departments)
    summary = ctx.summary
    summary.add("事项（实施清单）", total=ServiceItem.objects.count(), created=report.items_created)
    summary.add(
        "已发布办事指南",
        total=ServiceItemVersion.objects.filter(status="published").count(),
        created=report.versions_published,
    )
    summary.add("主题与人生事件", total=Theme.objects.count(), created=themes_created)
    summary.add("一件事", total=Bundle.objects.count(), created=bundles_created)
    summary.add("搜索同义词", total=Synonym.objects.count(), created=synonyms_created)
