"""Reads for the hotline's figures: the DOMAIN §7 metrics (nine rates and the repeat-complaint
rate) for a period, grouped by unit,
top-level category, county or month, and the monthly hotspot report. Read-only over the
hotline, org and identity contexts.

Who may read them: leaders, supervisors, dispatchers and administrators (`ANALYST_ROLES`).
Anyone else gets `NotFound`, the same answer as for a page that does not exist.

Cost: a table by unit, top-level category or county is one `hotline_metrics_by` call (two
GROUP BY queries over the period, whatever the number of groups); a month is one
`hotline_metrics` call (two or three aggregate queries over that month). Never a query per
ticket or per unit. Dashboards will move to small rollup tables refreshed by a background task
(ARCHITECTURE.md, "Scale") once the figures are settled; these selectors keep their signatures
then.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.analytics.selectors.periods import Period, months_of, trend_months
from yiwang.hotline.models import Category, Ticket
from yiwang.hotline.selectors import (
    HotlineMetrics,
    MetricFilters,
    Rate,
    empty_metrics,
    hotline_metrics,
    hotline_metrics_by,
)
from yiwang.hotline.selectors.hotspots import HotspotReport, hotspot_report
from yiwang.hotline.selectors.metrics import COUNTY_CODE_LENGTH
from yiwang.identity.models import StaffMembership, StaffRole, User
from yiwang.org.models import (
    Department,
    Region,
    RegionLevel,
    region_code_prefix,
    region_level_of_code,
)
from yiwang.org.selectors import department_list, region_list
from yiwang.platform.errors import FieldError, InvalidInput, NotFound

ANALYST_ROLES = (
    StaffRole.LEADER,
    StaffRole.SUPERVISOR,
    StaffRole.DISPATCHER,
    StaffRole.ADMINISTRATOR,
)
GroupBy = Literal["department", "category", "region", "month"]
GROUPINGS: tuple[GroupBy, ...] = ("department", "category", "region", "month")


# --- Permission -----------------------------------------------------------------------------


def user_may_read_hotline_figures(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return StaffMembership.objects.filter(
        user=user, role__in=ANALYST_ROLES, is_active=True
    ).exists()


def _require_analyst(user: User | AnonymousUser) -> None:
    if not user_may_read_hotline_figures(user):
        raise NotFound()


# --- Filters and their choices ----------------------------------------------------------------


@dataclass(frozen=True)
class FigureQuery:
    """What the reader asked for: a period and the optional filters of DOMAIN §7."""

    period: Period
    department_id: int | None = None
    category_id: int | None = None
    channel: str = ""
    region_code: str = ""

    def filters(self) -> MetricFilters:
        return MetricFilters(
            start=self.period.start,
            end=self.period.end,
            department_id=self.department_id,
            category_id=self.category_id,
            channel=self.channel,
            region_code=self.region_code,
        )


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FilterChoices:
    departments: list[Choice]
    categories: list[Choice]
    channels: list[Choice]
    regions: list[Choice]


def channel_choices() -> list[Choice]:
    choices = Ticket._meta.get_field("channel").choices or []
    return [Choice(str(value), str(label)) for value, label in choices]


def _top_categories() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=True).order_by("order", "code")


def _counties(region_code: str = "") -> list[Region]:
    counties = list(region_list(level=RegionLevel.COUNTY))
    if region_code:
        prefix = region_code_prefix(region_code)
        counties = [c for c in counties if c.code.startswith(prefix)]
    return counties


def hotline_filter_choices(user: User | AnonymousUser) -> FilterChoices:
    """The values the filters offer: units, top-level categories, channels, counties."""
    _require_analyst(user)
    return FilterChoices(
        departments=[Choice(str(d.pk), d.name) for d in department_list()],
        categories=[Choice(str(c.pk), c.name) for c in _top_categories()],
        channels=channel_choices(),
        regions=[Choice(r.code, r.name) for r in _counties()],
    )


def validate_query(query: FigureQuery) -> None:
    """Refuse filters that name nothing, beside the field they concern."""
    errors: list[FieldError] = []
    if (
        query.department_id is not None
        and not Department.objects.filter(pk=query.department_id).exists()
    ):
        errors.append(FieldError("department_id", _("没有找到该承办单位。")))
    if query.category_id is not None and not Category.objects.filter(pk=query.category_id).exists():
        errors.append(FieldError("category_id", _("没有找到该诉求分类。")))
    if query.channel and query.channel not in {c.value for c in channel_choices()}:
        errors.append(FieldError("channel", _("没有该受理渠道。")))
    if query.region_code and region_level_of_code(query.region_code) is None:
        errors.append(FieldError("region_code", _("区划代码应为6位或12位数字。")))
    if errors:
        raise InvalidInput(_("筛选条件有误，请按提示修改。"), code="filters_invalid", errors=errors)


# --- The rates ------------------------------------------------------------------------------


def _repeat_definition() -> str:
    # Read when shown: the radius and the window are settings.
    return _(
        "重复投诉件数 ÷ 统计时段内登记的投诉件数（诉求类型为“投诉”，合并的重复工单不计）。"
        "重复投诉：前一件工单办结后%(days)d天内再次投诉，且为同一诉求人（同一联系电话或账号），"
        "或为同一分类、相距%(radius)d米以内。"
    ) % {"days": settings.HOTLINE_REPEAT_WINDOW_DAYS, "radius": settings.HOTLINE_REPEAT_RADIUS_M}


@dataclass(frozen=True)
class MetricDefinition:
    key: str
    label: str | Promise
    definition: str | Promise


METRICS: tuple[MetricDefinition, ...] = (
    MetricDefinition(
        "acceptance",
        gettext_lazy("受理率"),
        gettext_lazy("登记的工单数 ÷ 有效来电来件数（不含无声电话和骚扰电话）。"),
    ),
    MetricDefinition(
        "direct_answer",
        gettext_lazy("直接答复率"),
        gettext_lazy("话务员依据知识库直接答复办结的工单数 ÷ 登记的工单数。"),
    ),
    MetricDefinition(
        "reply",
        gettext_lazy("回复率"),
        gettext_lazy("已答复的工单数 ÷ 已派单且已到办理期限（或已答复）的工单数。"),
    ),
    MetricDefinition(
        "timely_viewing",
        gettext_lazy("及时查阅率"),
        gettext_lazy("在签收时限内签收的派单数 ÷ 派单总数。"),
    ),
    MetricDefinition(
        "on_time_completion",
        gettext_lazy("按时办结率"),
        gettext_lazy("在（延期后的）办理期限内首次答复的工单数 ÷ 已到期的工单数。"),
    ),
    MetricDefinition(
        "callback",
        gettext_lazy("回访率"),
        gettext_lazy("已回访的工单数 ÷ 已答复且需要回访（有联系电话、未拒绝回访）的工单数。"),
    ),
    MetricDefinition(
        "satisfaction",
        gettext_lazy("满意率"),
        gettext_lazy("评价为非常满意、满意或基本满意的回访数 ÷ 有评价的回访数。"),
    ),
    MetricDefinition(
        "resolution",
        gettext_lazy("解决率"),
        gettext_lazy("已解决的回访数（部分解决计0.5）÷ 联系上诉求人的回访数。"),
    ),
    MetricDefinition(
        "rework",
        gettext_lazy("发回重办率"),
        gettext_lazy("至少发回重办一次的工单数 ÷ 已答复过的工单数。"),
    ),
    MetricDefinition(
        "repeat_complaint",
        gettext_lazy("重复投诉率"),
        lazy(_repeat_definition, str)(),
    ),
)


@dataclass(frozen=True)
class MetricCell:
    definition: MetricDefinition
    rate: Rate


def metric_cells(metrics: HotlineMetrics) -> list[MetricCell]:
    """The rates in the order of DOMAIN §7, each with its definition."""
    return [MetricCell(d, getattr(metrics, d.key)) for d in METRICS]


# --- Grouped figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    key: str
    label: str
    metrics: HotlineMetrics

    @property
    def cells(self) -> list[MetricCell]:
        return metric_cells(self.metrics)


@dataclass(frozen=True)
class FigureTable:
    group_by: GroupBy
    rows: list[GroupRow]


@dataclass(frozen=True)
class HotlineFigures:
    query: FigureQuery
    total: HotlineMetrics
    tables: list[FigureTable] = field(default_factory=list)

    @property
    def cells(self) -> list[MetricCell]:
        return metric_cells(self.total)


def _by_department(query: FigureQuery, now: datetime) -> list[GroupRow]:
    """Units that led at least one ticket of the period (a unit without any has no figures)."""
    groups = hotline_metrics_by(query.filters(), "department", now=now)
    departments = Department.objects.filter(pk__in=list(groups)).order_by("name", "pk")
    return [GroupRow(str(d.pk), d.name, groups[d.pk]) for d in departments]


def _by_category(query: FigureQuery, now: datetime) -> list[GroupRow]:
    """Every top-level category; under a narrower category filter, only its top level, which
    shows that category inside it (the filter stays)."""
    categories = _top_categories()
    if query.category_id is not None:
        categories = categories.filter(
            Q(pk=query.category_id)
            | Q(children__pk=query.category_id)
            | Q(children__children__pk=query.category_id)
        ).distinct()
    groups = hotline_metrics_by(query.filters(), "category", now=now)
    return [
        GroupRow(str(category.pk), category.name, groups.get(category.pk) or empty_metrics())
        for category in categories
    ]


def _by_region(query: FigureQuery, now: datetime) -> list[GroupRow]:
    """The counties under the region filter; a filter at county level or below keeps itself."""
    groups: dict[int | str, HotlineMetrics] | None = None
    rows = []
    for county in _counties():
        county_prefix = region_code_prefix(county.code)
        if query.region_code:
            prefix = region_code_prefix(query.region_code)
            if county_prefix.startswith(prefix):
                code = county.code
            elif prefix.startswith(county_prefix):
                code = query.region_code  # a town inside this county
            else:
                continue
        else:
            code = county.code
        if len(county_prefix) == COUNTY_CODE_LENGTH:
            if groups is None:
                # The query's own region filter narrows every county's tickets already.
                groups = hotline_metrics_by(query.filters(), "region", now=now)
            metrics = groups.get(county_prefix) or empty_metrics()
        else:  # not a county's code: no group to read it from
            metrics = hotline_metrics(replace(query.filters(), region_code=code), now=now)
        rows.append(GroupRow(county.code, county.name, metrics))
    return rows


def _month_rows(query: FigureQuery, months: list[Period], now: datetime) -> list[GroupRow]:
    return [
        GroupRow(
            m.first_day.strftime("%Y-%m"),
            m.label,
            hotline_metrics(replace(query.filters(), start=m.start, end=m.end), now=now),
        )
        for m in months
    ]


def _grouped(query: FigureQuery, group_by: GroupBy, now: datetime) -> FigureTable:
    if group_by == "department":
        return FigureTable(group_by, _by_department(query, now))
    if group_by == "category":
        return FigureTable(group_by, _by_category(query, now))
    if group_by == "region":
        return FigureTable(group_by, _by_region(query, now))
    return FigureTable(group_by, _month_rows(query, months_of(query.period), now))


def hotline_figures_for(
    user: User | AnonymousUser,
    query: FigureQuery,
    *,
    group_by: GroupBy | None = None,
    now: datetime | None = None,
) -> HotlineFigures:
    """The metrics of the period and filters, with one table grouped as asked (or none)."""
    _require_analyst(user)
    validate_query(query)
    now = now or timezone.now()
    tables = [_grouped(query, group_by, now)] if group_by else []
    return HotlineFigures(query, hotline_metrics(query.filters(), now=now), tables)


@dataclass(frozen=True)
class HotlineDashboard:
    figures: HotlineFigures
    by_department: FigureTable
    by_category: FigureTable
    by_region: FigureTable
    trend: FigureTable


def hotline_dashboard_for(
    user: User | AnonymousUser, query: FigureQuery, *, now: datetime | None = None
) -> HotlineDashboard:
    """Everything the metrics page shows: the period's rates, a table per unit, top-level
    category and county, and the trend over the last twelve months (same filters)."""
    _require_analyst(user)
    validate_query(query)
    now = now or timezone.now()
    return HotlineDashboard(
        figures=HotlineFigures(query, hotline_metrics(query.filters(), now=now)),
        by_department=_grouped(query, "department", now),
        by_category=_grouped(query, "category", now),
        by_region=_grouped(query, "region", now),
        trend=FigureTable("month", _month_rows(query, trend_months(query.period), now)),
    )


# --- The monthly hotspot report -------------------------------------------------------------


def hotspot_report_for(user: User | AnonymousUser, month: date) -> HotspotReport:
    _require_analyst(user)
    return hotspot_report(month)
