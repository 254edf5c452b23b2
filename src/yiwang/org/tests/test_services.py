from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from yiwang.org import selectors, services
from yiwang.org.models import (
    Department,
    DepartmentKind,
    DepartmentLevel,
    Region,
    RegionLevel,
    WindowKind,
)
from yiwang.org.tests.factories import (
    DepartmentFactory,
    ServiceHallFactory,
    WindowFactory,
    new_department_uscc,
)
from yiwang.platform.errors import Conflict, InvalidInput
from yiwang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


# Regions


def test_region_create_adds_a_county_under_its_city_and_audits(regions):
    region = services.region_create(
        actor=None,
        code="359922",
        name="云山县",
        level=RegionLevel.COUNTY,
        parent=regions["city"],
        valid_from=date(2026, 1, 1),
    )
    assert region.parent == regions["city"]
    entry = AuditEntry.objects.get(action="region.created")
    assert entry.target_id == str(region.pk)
    assert entry.summary == "云山县（359922）"


@pytest.mark.parametrize(
    ("code", "level", "parent_key", "field"),
    [
        ("35992", RegionLevel.COUNTY, "city", "code"),  # too short
        ("35AB21", RegionLevel.COUNTY, "city", "code"),  # not digits
        ("999921", RegionLevel.COUNTY, "city", "code"),  # no such province
        ("359800", RegionLevel.COUNTY, "city", "code"),  # a city code given as a county
        ("350122", RegionLevel.COUNTY, "city", "code"),  # another city's prefix
        ("359921102000", RegionLevel.TOWN, "district", "code"),  # town of another county
        ("359921102000", RegionLevel.TOWN, "village", "parent"),  # parent below the child
    ],
)
def test_region_create_refuses_codes_that_do_not_fit(regions, code, level, parent_key, field):
    with pytest.raises(InvalidInput) as caught:
        services.region_create(
            actor=None, code=code, name="新区划", level=level, parent=regions[parent_key]
        )
    assert caught.value.errors[0].field == field
    assert not Region.objects.filter(code=code).exists()
    assert audit_actions() == []


def test_region_create_refuses_a_code_already_in_use(regions):
    with pytest.raises(Conflict):
        services.region_create(
            actor=None,
            code="359921",
            name="重复县",
            level=RegionLevel.COUNTY,
            parent=regions["city"],
        )


def test_region_update_renames_and_records_the_change(regions):
    services.region_update(actor=None, region=regions["town"], name="桃源街道")
    regions["town"].refresh_from_db()
    assert regions["town"].name == "桃源街道"
    entry = AuditEntry.objects.get(action="region.updated")
    assert entry.details == {"changes": {"name": ["桃源镇", "桃源街道"]}}


def test_region_update_without_a_change_writes_nothing(regions):
    services.region_update(actor=None, region=regions["town"], name="桃源镇")
    assert audit_actions() == []


def test_region_retire_keeps_the_row_and_points_at_its_successor(regions):
    successor = services.region_create(
        actor=None,
        code="359903",
        name="新城区",
        level=RegionLevel.COUNTY,
        parent=regions["city"],
        valid_from=date(2026, 7, 1),
    )
    services.region_retire(
        actor=None, region=regions["district"], valid_to=date(2026, 7, 1), successor=successor
    )
    retired = selectors.region_get(code="359902")
    assert retired.valid_to == date(2026, 7, 1)
    assert retired.successor == successor
    codes_in_force = [
        r.code for r in selectors.region_children(region=regions["city"], on=date(2026, 7, 1))
    ]
    assert codes_in_force == ["359903", "359921"]
    codes_before = [
        r.code for r in selectors.region_children(region=regions["city"], on=date(2026, 6, 30))
    ]
    assert codes_before == ["359902", "359921"]


def test_a_retired_region_cannot_be_retired_again(regions):
    services.region_retire(actor=None, region=regions["village"], valid_to=date(2026, 1, 1))
    with pytest.raises(Conflict):
        services.region_retire(actor=None, region=regions["village"], valid_to=date(2026, 2, 1))


def test_a_region_cannot_succeed_itself(regions):
    with pytest.raises(InvalidInput):
        services.region_retire(
            actor=None, region=regions["town"], valid_to=date(2026, 1, 1), successor=regions["town"]
        )


# Departments


def test_department_create_normalises_the_uscc_and_audits(regions):
    uscc = new_department_uscc("359900")
    department = services.department_create(
        actor=None,
        name=" 示范市市场监督管理局 ",
        short_name="市市场监管局",
        uscc=uscc.lower(),
        level=DepartmentLevel.CITY,
        region=regions["city"],
        phone="0599-12315",
    )
    assert department.name == "示范市市场监督管理局"
    assert department.uscc == uscc
    assert department.kind == DepartmentKind.AGENCY
    assert audit_actions() == ["department.created"]


def test_department_create_explains_a_wrong_uscc_check_character(regions):
    uscc = new_department_uscc("359900")
    wrong = uscc[:17] + ("0" if uscc[17] != "0" else "1")
    with pytest.raises(InvalidInput) as caught:
        services.department_create(
            actor=None,
            name="示范市某局",
            uscc=wrong,
            level=DepartmentLevel.CITY,
            region=regions["city"],
        )
    assert caught.value.errors[0].field == "uscc"
    assert "校验码" in caught.value.message
    assert not Department.objects.exists()


def test_department_level_must_match_its_region(regions):
    with pytest.raises(InvalidInput) as caught:
        services.department_create(
            actor=None,
            name="清溪县市场监督管理局",
            uscc=new_department_uscc("359921"),
            level=DepartmentLevel.CITY,
            region=regions["county"],
        )
    assert caught.value.errors[0].field == "level"


def test_two_departments_cannot_share_a_uscc_or_a_name_in_one_region(regions):
    existing = DepartmentFactory.create(region=regions["city"], name="示范市公安局")
    with pytest.raises(Conflict):
        services.department_create(
            actor=None,
            name="示范市另一个局",
            uscc=existing.uscc,
            level=DepartmentLevel.CITY,
            region=regions["city"],
        )
    with pytest.raises(Conflict):
        services.department_create(
            actor=None,
            name="示范市公安局",
            uscc=new_department_uscc(),
            level=DepartmentLevel.CITY,
            region=regions["city"],
        )


def test_department_update_deactivates_and_records_only_what_changed(regions):
    department = DepartmentFactory.create(region=regions["city"], name="示范市旧局")
    services.department_update(actor=None, department=department, is_active=False, phone="")
    department.refresh_from_db()
    assert department.is_active is False
    entry = AuditEntry.objects.get(action="department.updated")
    assert entry.details == {"changes": {"is_active": ["True", "False"]}}


def test_department_update_moves_to_a_new_parent_and_back_to_none(regions):
    city_bureau = DepartmentFactory.create(region=regions["city"], name="示范市市场监督管理局")
    branch = DepartmentFactory.create(
        region=regions["county"],
        name="清溪县市场监督管理局",
        level=DepartmentLevel.COUNTY,
    )
    services.department_update(actor=None, department=branch, parent=city_bureau)
    assert Department.objects.get(pk=branch.pk).parent == city_bureau
    services.department_update(actor=None, department=branch, parent=None)
    assert Department.objects.get(pk=branch.pk).parent is None
    changes = [e.details["changes"] for e in AuditEntry.objects.order_by("id")]
    assert changes == [
        {"parent_id": ["", str(city_bureau.pk)]},
        {"parent_id": [str(city_bureau.pk), ""]},
    ]


def test_a_department_cannot_be_its_own_ancestor(regions):
    top = DepartmentFactory.create(region=regions["city"], name="示范市甲局")
    child = DepartmentFactory.create(region=regions["city"], name="示范市甲局下属中心", parent=top)
    with pytest.raises(InvalidInput) as caught:
        services.department_update(actor=None, department=top, parent=child)
    assert caught.value.errors[0].field == "parent"


# Halls and windows


def test_hall_create_and_update(regions):
    hall = services.hall_create(
        actor=None,
        name="清溪县政务服务中心",
        region=regions["county"],
        address="清溪县城关镇府前路8号",
        opening_hours="周一至周五 上午9:00-12:00 下午13:30-17:30",
        latitude=Decimal("26.512345"),
        longitude=Decimal("118.123456"),
    )
    services.hall_update(actor=None, hall=hall, phone="0599-7654321")
    hall.refresh_from_db()
    assert hall.phone == "0599-7654321"
    assert audit_actions() == ["hall.created", "hall.updated"]


def test_hall_coordinates_must_be_on_earth(regions):
    with pytest.raises(InvalidInput) as caught:
        services.hall_create(
            actor=None,
            name="某中心",
            region=regions["city"],
            address="某路1号",
            latitude=Decimal("126.5"),
        )
    assert caught.value.errors[0].field == "latitude"


def test_window_create_serves_the_given_departments(regions):
    hall = ServiceHallFactory.create(region=regions["city"])
    market = DepartmentFactory.create(region=regions["city"], name="示范市市场监督管理局")
    tax = DepartmentFactory.create(region=regions["city"], name="国家税务总局示范市税务局")
    window = services.window_create(
        actor=None,
        hall=hall,
        number="A01",
        name="综合受理窗口",
        kind=WindowKind.GENERAL,
        departments=[market, tax, market],
    )
    assert set(window.departments.all()) == {market, tax}
    entry = AuditEntry.objects.get(action="window.created")
    assert entry.details == {"departments": sorted([market.pk, tax.pk])}


def test_window_numbers_are_unique_within_a_hall(regions):
    window = WindowFactory.create(number="A01")
    with pytest.raises(Conflict):
        services.window_create(
            actor=None, hall=window.hall, number="A01", name="", kind=WindowKind.GENERAL
        )
    other = services.window_create(
        actor=None, hall=ServiceHallFactory.create(), number="A01", name="", kind=WindowKind.RESULT
    )
    assert other.name == "统一出件窗口"


def test_window_update_closes_a_window(regions):
    window = WindowFactory.create()
    services.window_update(actor=None, window=window, is_open=False)
    window.refresh_from_db()
    assert window.is_open is False


def test_window_set_departments_records_what_was_added_and_removed(regions):
    market = DepartmentFactory.create(region=regions["city"], name="示范市市场监督管理局")
    police = DepartmentFactory.create(region=regions["city"], name="示范市公安局")
    window = WindowFactory.create(departments=[market])
    services.window_set_departments(actor=None, window=window, departments=[police])
    assert list(window.departments.all()) == [police]
    entry = AuditEntry.objects.get(action="window.departments_set")
    assert entry.details == {"added": [police.pk], "removed": [market.pk]}
    services.window_set_departments(actor=None, window=window, departments=[police])
    assert AuditEntry.objects.filter(action="window.departments_set").count() == 1


def test_a_window_cannot_serve_an_inactive_department(regions):
    closed = DepartmentFactory.create(region=regions["city"], name="示范市撤销局", is_active=False)
    window = WindowFactory.create()
    with pytest.raises(InvalidInput) as caught:
        services.window_set_departments(actor=None, window=window, departments=[closed])
    assert "示范市撤销局" in caught.value.message
    assert not window.departments.exists()
