"""Where a ticket goes: the area a point lies in, and the first routing rule that matches."""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.hotline.geometry import contains
from yiwang.hotline.models import Area, Category, RoutingRule
from yiwang.org.models import Department


def area_at(longitude: float | None, latitude: float | None) -> Area | None:
    """The town/street whose boundary contains the point (bounding boxes first)."""
    if longitude is None or latitude is None:
        return None
    candidates = Area.objects.filter(
        min_longitude__lte=longitude,
        max_longitude__gte=longitude,
        min_latitude__lte=latitude,
        max_latitude__gte=latitude,
    ).order_by("id")
    for area in candidates:
        if contains(area.polygon, longitude, latitude):
            return area
    return None


@dataclass(frozen=True)
class RouteSuggestion:
    lead: Department
    co_handlers: list[Department]
    source: str  # "rule", "category" (the category's default unit) or "model"
    explanation: str
    confidence: float = 1.0


def category_chain(category: Category) -> list[int]:
    """The ids of the category and its parents, nearest first (the tree has ≤ 3 levels)."""
    chain: list[int] = []
    current: Category | None = category
    while current is not None and len(chain) < 3:
        chain.append(current.pk)
        current = current.parent
    return chain


def route_by_rules(
    *, category: Category, area_id: int | None, ticket_type: str
) -> RouteSuggestion | None:
    """The first active rule (by order) whose conditions all hold; else the category's (or its
    parents') default unit; else None."""
    chain = category_chain(category)
    rules = (
        RoutingRule.objects.filter(is_active=True)
        .select_related("lead_department")
        .prefetch_related("co_departments")
        .order_by("order", "id")
    )
    for rule in rules:
        if rule.category_id is not None and rule.category_id not in chain:
            continue
        if rule.area_id is not None and rule.area_id != area_id:
            continue
        if rule.ticket_type and rule.ticket_type != ticket_type:
            continue
        return RouteSuggestion(
            lead=rule.lead_department,
            co_handlers=list(rule.co_departments.all()),
            source="rule",
            explanation=f"派单规则“{rule.name}”",
        )
    current: Category | None = category
    while current is not None:
        if current.default_department_id is not None:
            department = Department.objects.get(pk=current.default_department_id)
            return RouteSuggestion(
                lead=department,
                co_handlers=[],
                source="category",
                explanation=f"分类“{current.name}”的默认承办单位",
            )
        current = current.parent
    return None
