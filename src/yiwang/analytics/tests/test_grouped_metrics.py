"""The grouped figures (`hotline_metrics_by`, one GROUP BY per dimension) are exactly what
`hotline_metrics` gives with each group's filter, on the hand-built November plus tickets that
test the edges: a merged duplicate, a repeat complaint, a second-level category, a town's code,
a ticket without a county (the city's code), a co-handled one, a unit without tickets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yiwang.analytics import selectors
from yiwang.analytics.selectors import FigureQuery, month_period
from yiwang.analytics.tests.conftest import NOW, November, when
from yiwang.analytics.tests.factories import (
    at,
    dispatch,
    make_department,
    make_staff,
    register,
    sign,
)
from yiwang.hotline.models import Category
from yiwang.hotline.selectors import (
    MetricFilters,
    empty_metrics,
    hotline_metrics,
    hotline_metrics_by,
)
from yiwang.hotline.selectors.metrics import _tickets
from yiwang.hotline.services import ticket_dispatch, ticket_merge
from yiwang.identity.models import StaffRole
from yiwang.org.models import region_code_prefix

NOVEMBER = month_period(date(2026, 11, 1))
TOWN = "359902101000"  # a town of 清溪区


@pytest.fixture
def busy(november: November) -> November:
    city = november.city
    make_department("示范市无工单局")  # leads nothing: no row
    # A repeat complaint: the same phone as A and B, B the last closed (13 November).
    repeat = register(city, at(2026, 11, 20), ticket_type="complaint")
    assert repeat.repeat_of_id == november.b.pk
    register(city, at(2026, 11, 21), ticket_type="complaint", reporter_phone="13900000002")
    noise = register(
        city, at(2026, 11, 9), category_code=city.noise.code, region_code=TOWN, content="噪声。"
    )
    with when(at(2026, 11, 9, 10)):
        ticket_dispatch(
            ticket=noise, lead=city.roads, co_handlers=[city.water], actor=city.dispatcher
        )
    sign(city.road_handler, noise, at(2026, 11, 9, 11))
    duplicate = register(
        city, at(2026, 11, 9, 12), category_code=city.noise.code, region_code=TOWN, content="吵。"
    )
    with when(at(2026, 11, 9, 13)):
        ticket_merge(duplicate=duplicate, master=noise, actor=city.operator)
    cityless = register(city, at(2026, 11, 10), region_code="359900", channel="web")
    dispatch(city, cityless, city.water, at(2026, 11, 10))
    return november


FILTERS = {
    "none": {},
    "channel": {"channel": "app"},
    "top category": {"category_id": "utilities"},
    "narrower category": {"category_id": "manhole"},
    "second level": {"category_id": "noise"},
    "county": {"region_code": "359902"},
    "town": {"region_code": TOWN},
    "city": {"region_code": "359900"},
    "unit": {"department_id": "roads"},
}


def _filters(busy: November, name: str) -> MetricFilters:
    values: dict[str, object] = {}
    for key, value in FILTERS[name].items():
        if key == "category_id" or key == "department_id":
            values[key] = getattr(busy.city, str(value)).pk
        else:
            values[key] = value
    return replace(MetricFilters(NOVEMBER.start, NOVEMBER.end), **values)  # type: ignore[arg-type]


def _top(category_id: int) -> int:
    category = Category.objects.get(pk=category_id)
    while category.parent_id is not None:
        category = Category.objects.get(pk=category.parent_id)
    return category.pk


@pytest.mark.parametrize("name", list(FILTERS))
def test_by_unit_equals_one_call_per_unit(busy, name):
    filters = _filters(busy, name)
    groups = hotline_metrics_by(filters, "department", now=NOW)
    led = set(
        _tickets(filters).exclude(lead_department=None).values_list("lead_department_id", flat=True)
    )
    assert set(groups) == led
    for department_id, metrics in groups.items():
        assert metrics == hotline_metrics(
            replace(filters, department_id=int(department_id)), now=NOW
        )


@pytest.mark.parametrize("name", list(FILTERS))
def test_by_top_level_category_equals_one_call_per_category(busy, name):
    filters = _filters(busy, name)
    groups = hotline_metrics_by(filters, "category", now=NOW)
    for category in (busy.city.city_management, busy.city.utilities):
        if filters.category_id is None:
            expected = hotline_metrics(replace(filters, category_id=category.pk), now=NOW)
        elif _top(filters.category_id) == category.pk:
            expected = hotline_metrics(filters, now=NOW)  # the narrower filter stays
        else:
            assert category.pk not in groups
            continue
        assert groups.get(category.pk, empty_metrics()) == expected


@pytest.mark.parametrize("name", list(FILTERS))
def test_by_county_equals_one_call_per_county(busy, name):
    filters = _filters(busy, name)
    groups = hotline_metrics_by(filters, "region", now=NOW)
    prefix = region_code_prefix(filters.region_code) if filters.region_code else ""
    for county in (busy.city.qingxi, busy.city.yuanqu):
        if not prefix or county.code.startswith(prefix):
            code = county.code
        elif prefix.startswith(county.code):
            code = filters.region_code  # a town inside this county: the filter stays
        else:
            assert county.code not in groups
            continue
        expected = hotline_metrics(replace(filters, region_code=code), now=NOW)
        assert groups.get(county.code, empty_metrics()) == expected


def test_every_edge_is_in_the_figures(busy):
    """The figures read the groups: their rows are the per-group calls figures.py made before,
    units without tickets left out, every top-level category and county listed."""
    city = busy.city
    leader = make_staff(city.centre, StaffRole.LEADER)
    dashboard = selectors.hotline_dashboard_for(leader, FigureQuery(NOVEMBER), now=NOW)
    filters = MetricFilters(NOVEMBER.start, NOVEMBER.end)
    assert [row.label for row in dashboard.by_department.rows] == sorted(
        [city.roads.name, city.water.name]
    )
    for row in dashboard.by_department.rows:
        assert row.metrics == hotline_metrics(replace(filters, department_id=int(row.key)), now=NOW)
    assert [row.key for row in dashboard.by_category.rows] == [
        str(city.city_management.pk),
        str(city.utilities.pk),
    ]
    for row in dashboard.by_category.rows:
        assert row.metrics == hotline_metrics(replace(filters, category_id=int(row.key)), now=NOW)
    assert [row.key for row in dashboard.by_region.rows] == [city.qingxi.code, city.yuanqu.code]
    for row in dashboard.by_region.rows:
        assert row.metrics == hotline_metrics(replace(filters, region_code=row.key), now=NOW)
    repeats = dashboard.figures.total.repeat_complaint
    assert (int(repeats.numerator), repeats.denominator) == (1, 2)


def test_a_narrower_filter_row_is_the_filtered_figures(busy):
    city = busy.city
    leader = make_staff(city.centre, StaffRole.LEADER)
    query = FigureQuery(NOVEMBER, category_id=city.noise.pk, region_code=TOWN)
    dashboard = selectors.hotline_dashboard_for(leader, query, now=NOW)
    [category_row] = dashboard.by_category.rows
    [county_row] = dashboard.by_region.rows
    assert category_row.key == str(city.city_management.pk)
    assert county_row.key == city.qingxi.code
    assert category_row.metrics == county_row.metrics == dashboard.figures.total
    assert dashboard.figures.total.registered == 2  # the noise ticket and its duplicate


def test_the_dashboard_costs_the_same_queries_however_many_units(busy):
    leader = make_staff(busy.city.centre, StaffRole.LEADER)
    with CaptureQueriesContext(connection) as captured:
        selectors.hotline_dashboard_for(leader, FigureQuery(NOVEMBER), now=NOW)
    before = len(captured)
    for n in range(3):
        unit = make_department(f"示范市新增{n}局")
        ticket = register(busy.city, at(2026, 11, 12 + n))
        dispatch(busy.city, ticket, unit, at(2026, 11, 12 + n))
    with CaptureQueriesContext(connection) as captured:
        selectors.hotline_dashboard_for(leader, FigureQuery(NOVEMBER), now=NOW)
    assert len(captured) == before
