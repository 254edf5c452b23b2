from __future__ import annotations

from datetime import date

import pytest

from yiwang.org import selectors
from yiwang.org.models import DepartmentLevel, WindowKind
from yiwang.org.tests.factories import DepartmentFactory, ServiceHallFactory, WindowFactory
from yiwang.platform.errors import NotFound

pytestmark = pytest.mark.django_db


def test_region_children_lists_the_direct_children_in_code_order(regions):
    children = selectors.region_children(region=regions["city"])
    assert [r.name for r in children] == ["东城区", "清溪县"]
    assert [r.code for r in selectors.region_children(region=None)] == ["350000"]


def test_region_children_leave_out_retired_codes_unless_asked(regions):
    regions["district"].valid_to = date(2020, 1, 1)
    regions["district"].save()
    assert [r.code for r in selectors.region_children(region=regions["city"])] == ["359921"]
    everything = selectors.region_children(region=regions["city"], include_retired=True)
    assert [r.code for r in everything] == ["359902", "359921"]


def test_region_ancestors_come_in_one_query(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        chain = selectors.region_ancestors(region=regions["village"])
    assert [r.name for r in chain] == ["福建省", "示范市", "清溪县", "桃源镇", "石门村"]


def test_region_get_finds_retired_codes_and_refuses_unknown_ones(regions):
    regions["village"].valid_to = date(2020, 1, 1)
    regions["village"].save()
    assert selectors.region_get(code="359921101201").name == "石门村"
    with pytest.raises(NotFound):
        selectors.region_get(code="359921101999")


def test_region_list_filters_by_parent_and_level(regions):
    assert [r.code for r in selectors.region_list(parent_code="359900")] == ["359902", "359921"]
    towns = selectors.region_list(level=4)
    assert [r.name for r in towns] == ["河滨街道", "桃源镇"]


@pytest.fixture
def departments(regions):
    city_market = DepartmentFactory.create(
        region=regions["city"], name="示范市市场监督管理局", short_name="市市场监管局"
    )
    return {
        "city_market": city_market,
        "city_police": DepartmentFactory.create(region=regions["city"], name="示范市公安局"),
        "county_market": DepartmentFactory.create(
            region=regions["county"],
            name="清溪县市场监督管理局",
            level=DepartmentLevel.COUNTY,
            parent=city_market,
        ),
        "town_centre": DepartmentFactory.create(
            region=regions["town"], name="桃源镇便民服务中心", level=DepartmentLevel.TOWN
        ),
        "district_market": DepartmentFactory.create(
            region=regions["district"], name="东城区市场监督管理局", level=DepartmentLevel.COUNTY
        ),
        "closed": DepartmentFactory.create(
            region=regions["city"], name="示范市已撤销局", is_active=False
        ),
    }


def test_department_list_orders_by_level_region_and_name_in_one_query(
    departments, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = [
            (d.name, d.region.name, d.parent.name if d.parent else None)
            for d in selectors.department_list()
        ]
    assert rows == [
        ("示范市公安局", "示范市", None),
        ("示范市市场监督管理局", "示范市", None),
        ("东城区市场监督管理局", "东城区", None),
        ("清溪县市场监督管理局", "清溪县", "示范市市场监督管理局"),
        ("桃源镇便民服务中心", "桃源镇", None),
    ]


def test_department_list_by_region_includes_the_regions_below(departments):
    names = [d.name for d in selectors.department_list(region_code="359921")]
    assert names == ["清溪县市场监督管理局", "桃源镇便民服务中心"]
    assert list(selectors.department_list(region_code="not-a-code")) == []


def test_department_list_by_level_and_search(departments):
    assert [d.name for d in selectors.department_list(level=DepartmentLevel.TOWN)] == [
        "桃源镇便民服务中心"
    ]
    found = [d.name for d in selectors.department_list(q="市场监管")]
    assert found == ["示范市市场监督管理局"]
    found = [d.name for d in selectors.department_list(q="市场监督")]
    assert len(found) == 3


def test_department_get_refuses_unknown_ids(departments):
    assert selectors.department_get(department_id=departments["city_police"].pk).name == (
        "示范市公安局"
    )
    with pytest.raises(NotFound):
        selectors.department_get(department_id=999_999)


def test_halls_with_windows_and_served_departments_take_three_queries(
    regions, departments, django_assert_num_queries
):
    for index, region_key in enumerate(["city", "county", "town"]):
        hall = ServiceHallFactory.create(region=regions[region_key], name=f"大厅{index}")
        WindowFactory.create(
            hall=hall,
            number="A01",
            departments=[departments["city_market"], departments["city_police"]],
        )
        WindowFactory.create(hall=hall, number="C01", kind=WindowKind.RESULT, name="统一出件窗口")
    with django_assert_num_queries(3):
        seen = [
            (
                h.name,
                h.region.code,
                [(w.number, [d.name for d in w.departments.all()]) for w in h.windows.all()],
            )
            for h in selectors.hall_list_with_windows()
        ]
    assert seen[0] == (
        "大厅0",
        "359900",
        [("A01", ["示范市公安局", "示范市市场监督管理局"]), ("C01", [])],
    )
    assert len(seen) == 3
    county_halls = [h.name for h in selectors.hall_list_with_windows(region_code="359921")]
    assert county_halls == ["大厅1", "大厅2"]
