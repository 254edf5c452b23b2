"""The 12345 hotline of 示范市: the category tree, a boundary for every town and street, routing
and time-limit rules, the knowledge base, a year of tickets (`hotline_data/generator.py`) and the
learned dispatch model trained on them.

Set-up rows are looked up by natural keys (category code, area region code, rule and article
names) and corrected when they differ, so a second run changes nothing. The tickets are made in
bulk, once per period: when tickets received in the period already exist, none are added.
How many days of tickets: `settings.DEMO_TICKET_DAYS` (`YIWANG_DEMO_TICKET_DAYS`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from yiwang.hotline.classifier import train_dispatch_model
from yiwang.hotline.models import (
    Area,
    Category,
    KnowledgeArticle,
    RoutingRule,
    TimeLimitRule,
)
from yiwang.hotline.workflow import LimitUnit, TicketType, Urgency
from yiwang.org.models import Department
from yiwang.project.demo.context import DemoContext
from yiwang.project.demo.departments import build_departments
from yiwang.project.demo.hotline_data.categories import TREE, branches, leaves
from yiwang.project.demo.hotline_data.generator import generate_tickets
from yiwang.project.demo.hotline_data.knowledge import ARTICLES
from yiwang.project.demo.regions import COUNTIES, town_code

# The city's extent (WGS84): counties side by side west to east, their towns stacked south to
# north. Districts sit in the middle, around the centre (118.30, 24.65).
WEST, EAST, SOUTH, NORTH = 118.0, 118.6, 24.4, 24.9
COUNTY_ORDER = ("359921", "359902", "359903", "359904", "359981", "359922")


def department_index() -> dict[str, Department]:
    """Demo department key → department, in two queries."""
    wanted = {(spec.region_code, spec.name): spec.key for spec in build_departments()}
    found: dict[str, Department] = {}
    for department in Department.objects.select_related("region"):
        key = wanted.get((department.region.code, department.name))
        if key is not None:
            found[key] = department
    return found


# ── Areas ────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class AreaSpec:
    name: str
    region_code: str
    county_code: str
    polygon: list[list[float]]


def _cell_polygon(
    rng: random.Random, west: float, east: float, south: float, north: float
) -> list[list[float]]:
    """A rectangle with a point in the middle of each side, rounded to 6 decimals; the side
    points stay on the sides, so neighbours never overlap."""
    mid_lng, mid_lat = round((west + east) / 2, 6), round((south + north) / 2, 6)
    del rng  # kept for a future wobble of the inner corners
    return [
        [west, south],
        [mid_lng, south],
        [east, south],
        [east, mid_lat],
        [east, north],
        [mid_lng, north],
        [west, north],
        [west, mid_lat],
    ]


def build_areas(rng: random.Random) -> list[AreaSpec]:
    """Every town and street of the demo city as a grid cell: one column per county, its towns
    stacked in the column. Deterministic; no two cells overlap."""
    by_code = {county.code: county for county in COUNTIES}
    width = (EAST - WEST) / len(COUNTY_ORDER)
    specs: list[AreaSpec] = []
    for column, county_code in enumerate(COUNTY_ORDER):
        county = by_code[county_code]
        west = round(WEST + column * width, 6)
        east = round(WEST + (column + 1) * width, 6)
        height = (NORTH - SOUTH) / len(county.towns)
        for row, (number, name) in enumerate(county.towns):
            south = round(SOUTH + row * height, 6)
            north = round(SOUTH + (row + 1) * height, 6)
            specs.append(
                AreaSpec(
                    name=name,
                    region_code=town_code(county.code, number),
                    county_code=county.code,
                    polygon=_cell_polygon(rng, west, east, south, north),
                )
            )
    return specs


def _load_areas(ctx: DemoContext) -> dict[str, Area]:
    existing = {area.region_code: area for area in Area.objects.all()}
    created = 0
    for spec in build_areas(ctx.rng("hotline-areas")):
        lngs = [p[0] for p in spec.polygon]
        lats = [p[1] for p in spec.polygon]
        values: dict[str, Any] = {
            "name": spec.name,
            "polygon": spec.polygon,
            "min_longitude": min(lngs),
            "max_longitude": max(lngs),
            "min_latitude": min(lats),
            "max_latitude": max(lats),
        }
        area = existing.get(spec.region_code)
        if area is None:
            existing[spec.region_code] = Area.objects.create(region_code=spec.region_code, **values)
            created += 1
        elif any(getattr(area, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(area, key, value)
            area.save()
    ctx.summary.add("12345 片区", total=Area.objects.count(), created=created)
    return existing


# ── Categories ───────────────────────────────────────────────────────────────────────────────


def _load_categories(ctx: DemoContext, units: dict[str, Department]) -> dict[str, Category]:
    existing = {category.code: category for category in Category.objects.all()}
    created = 0

    def save(code: str, values: dict[str, Any]) -> None:
        nonlocal created
        category = existing.get(code)
        if category is None:
            existing[code] = Category.objects.create(code=code, **values)
            created += 1
        elif any(getattr(category, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(category, key, value)
            category.save()

    order = 0
    for branch, parent in branches(TREE):
        order += 1
        save(
            branch.code,
            {
                "name": branch.name,
                "parent": existing[parent.code] if parent else None,
                "level": len(branch.code) // 2,
                "default_department": units[branch.unit] if branch.unit else None,
                "urgent_by_default": False,
                "is_public": True,
                "keywords": "",
                "questions": [],
                "order": order,
                "is_active": True,
            },
        )
    for leaf, path in leaves(TREE):
        order += 1
        save(
            leaf.code,
            {
                "name": leaf.name,
                "parent": existing[path[-1].code],
                "level": len(leaf.code) // 2,
                "default_department": units[leaf.unit],
                "urgent_by_default": leaf.urgent,
                "is_public": leaf.public,
                "keywords": leaf.keywords,
                "questions": [dict(q) for q in leaf.questions],
                "order": order,
                "is_active": True,
            },
        )
    ctx.summary.add("12345 工单分类", total=Category.objects.count(), created=created)
    return existing


# ── Routing rules ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class RuleSpec:
    order: int
    name: str
    category: str  # code, "" for any
    area: str  # town region code, "" for any
    ticket_type: str
    lead: str  # department key
    co: tuple[str, ...] = ()


def build_rules() -> list[RuleSpec]:
    """~30 rules: co-handlers for matters two units share; a few types to a special unit; and
    the county bureaus of the three counties for market, wages and the police's services."""
    specs = [
        RuleSpec(10, "占道经营：城管主办，市场监管协办", "0103", "", "", "urban_management",
                 ("market",)),
        RuleSpec(11, "餐饮油烟：生态环境主办，城管协办", "0202", "", "", "environment",
                 ("urban_management",)),
        RuleSpec(12, "违法建设举报：城管主办，资源规划协办", "0104", "", TicketType.REPORT,
                 "urban_management", ("natural_resources",)),
        RuleSpec(13, "建筑施工噪声：城管主办，住建协办", "020102", "", "", "urban_management",
                 ("housing",)),
        RuleSpec(14, "食品安全举报：市场监管主办，公安协办", "0602", "", TicketType.REPORT,
                 "market", ("police",)),
        RuleSpec(15, "安全生产隐患：应急主办，市场监管协办", "1401", "", "", "emergency",
                 ("market",)),
        RuleSpec(16, "房屋质量投诉：住建主办，不动产登记协办", "0403", "", TicketType.COMPLAINT,
                 "housing", ("real_estate",)),
    ]  # fmt: skip
    county_rules = (
        ("359921", "06", "market", "市场监管"),
        ("359922", "06", "market", "市场监管"),
        ("359921", "0501", "human_resources", "欠薪"),
        ("359981", "0501", "human_resources", "欠薪"),
    )
    by_code = {county.code: county for county in COUNTIES}
    order = 50
    for county_code, category, unit, label in county_rules:
        county = by_code[county_code]
        for number, town in county.towns:
            order += 1
            specs.append(
                RuleSpec(
                    order,
                    f"{county.name}{town}{label}：{county.name}主办",
                    category,
                    town_code(county_code, number),
                    "",
                    f"{county_code}:{unit}",
                )
            )
    return specs


def _load_rules(
    ctx: DemoContext,
    units: dict[str, Department],
    categories: dict[str, Category],
    areas: dict[str, Area],
) -> None:
    existing = {rule.name: rule for rule in RoutingRule.objects.prefetch_related("co_departments")}
    created = 0
    for spec in build_rules():
        values: dict[str, Any] = {
            "order": spec.order,
            "category": categories[spec.category] if spec.category else None,
            "area": areas[spec.area] if spec.area else None,
            "ticket_type": spec.ticket_type,
            "lead_department": units[spec.lead],
            "is_active": True,
        }
        co = {units[key].pk for key in spec.co}
        rule = existing.get(spec.name)
        if rule is None:
            rule = RoutingRule.objects.create(name=spec.name, **values)
            created += 1
        elif any(getattr(rule, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(rule, key, value)
            rule.save()
        if {d.pk for d in rule.co_departments.all()} != co:
            rule.co_departments.set(co)
    ctx.summary.add("12345 派单规则", total=RoutingRule.objects.count(), created=created)


# ── Time limits ──────────────────────────────────────────────────────────────────────────────

# (name, type, category code, urgency, dispatch value, unit, sign hours, handling value, unit)
_WD, _CD, _H = LimitUnit.WORKING_DAYS, LimitUnit.CALENDAR_DAYS, LimitUnit.HOURS
LIMIT_RULES: tuple[tuple[str, str, str, str, int, str, int, int, str], ...] = (
    ("一般诉求（5个自然日）", "", "", "", 1, _WD, 2, 5, _CD),
    ("咨询类（2个自然日）", TicketType.CONSULTATION, "", "", 1, _WD, 2, 2, _CD),
    ("求助类（2个自然日）", TicketType.HELP, "", "", 1, _WD, 2, 2, _CD),
    ("紧急诉求（当日办理）", "", "", Urgency.URGENT, 1, _H, 1, 0, _CD),
    ("住房类投诉（13个工作日）", TicketType.COMPLAINT, "04", "", 1, _WD, 2, 13, _WD),
    ("劳动保障类投诉（13个工作日）", TicketType.COMPLAINT, "05", "", 1, _WD, 2, 13, _WD),
    ("市场监管类投诉（13个工作日）", TicketType.COMPLAINT, "06", "", 1, _WD, 2, 13, _WD),
    ("举报类（13个工作日）", TicketType.REPORT, "", "", 1, _WD, 2, 13, _WD),
    ("违法建设举报（13个工作日）", TicketType.REPORT, "0104", "", 1, _WD, 2, 13, _WD),
)


def _load_limits(ctx: DemoContext, categories: dict[str, Category]) -> None:
    existing = {rule.name: rule for rule in TimeLimitRule.objects.all()}
    created = 0
    for name, ticket_type, code, urgency, d_value, d_unit, sign, h_value, h_unit in LIMIT_RULES:
        values: dict[str, Any] = {
            "ticket_type": ticket_type,
            "category": categories[code] if code else None,
            "urgency": urgency,
            "dispatch_value": d_value,
            "dispatch_unit": d_unit,
            "sign_hours": sign,
            "handling_value": h_value,
            "handling_unit": h_unit,
            "callback_days": 1,
            "is_active": True,
        }
        rule = existing.get(name)
        if rule is None:
            TimeLimitRule.objects.create(name=name, **values)
            created += 1
        elif any(getattr(rule, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(rule, key, value)
            rule.save()
    ctx.summary.add("12345 时限规则", total=TimeLimitRule.objects.count(), created=created)


# ── Knowledge base ───────────────────────────────────────────────────────────────────────────


def _load_knowledge(
    ctx: DemoContext, units: dict[str, Department], categories: dict[str, Category]
) -> None:
    existing = {article.title: article for article in KnowledgeArticle.objects.all()}
    created = 0
    for title, code, keywords, unit, body in ARTICLES:
        values: dict[str, Any] = {
            "body": body,
            "category": categories[code],
            "keywords": keywords,
            "search_text": f"{title} {keywords} {body}",
            "department_name": units[unit].name,
            "is_active": True,
        }
        article = existing.get(title)
        if article is None:
            KnowledgeArticle.objects.create(title=title, **values)
            created += 1
        elif any(getattr(article, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(article, key, value)
            article.save()
    ctx.summary.add("12345 知识库", total=KnowledgeArticle.objects.count(), created=created)


# ── The step ─────────────────────────────────────────────────────────────────────────────────


def load_hotline_setup(ctx: DemoContext) -> dict[str, Department]:
    units = department_index()
    areas = _load_areas(ctx)
    categories = _load_categories(ctx, units)
    _load_rules(ctx, units, categories, areas)
    _load_limits(ctx, categories)
    _load_knowledge(ctx, units, categories)
    return units


def load_hotline(ctx: DemoContext, *, days: int | None = None, train: bool = True) -> None:
    """The set-up, `days` days of tickets (default `settings.DEMO_TICKET_DAYS`) ending on
    2026-11-21, and the dispatch model trained on them."""
    units = load_hotline_setup(ctx)
    wanted = settings.DEMO_TICKET_DAYS if days is None else days
    created = generate_tickets(ctx, units=units, days=wanted)
    if train and created:
        run = train_dispatch_model()
        if run is not None:
            ctx.stdout.write(
                f"  智能派单模型：训练 {run.n_train} 件、测试 {run.n_test} 件，首选准确率 "
                f"{run.top1_accuracy:.1%}，前三准确率 {run.top3_accuracy:.1%}"
                f"（{run.training_seconds:.1f} 秒）\n"
            )
