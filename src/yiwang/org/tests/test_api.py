from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from yiwang.org.models import DepartmentKind, DepartmentLevel, WindowKind
from yiwang.org.tests.factories import DepartmentFactory, ServiceHallFactory, WindowFactory

pytestmark = pytest.mark.django_db


def test_regions_list_filters_by_parent_and_paginates(client, regions):
    response = client.get("/api/v1/org/regions", {"parent": "359900"})
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "code": "359902",
                "name": "东城区",
                "level": 3,
                "level_label": "县级",
                "parent_code": "359900",
                "valid_from": None,
                "valid_to": None,
                "successor_code": None,
            },
            {
                "code": "359921",
                "name": "清溪县",
                "level": 3,
                "level_label": "县级",
                "parent_code": "359900",
                "valid_from": None,
                "valid_to": None,
                "successor_code": None,
            },
        ],
        "count": 2,
    }
    page = client.get("/api/v1/org/regions", {"page_size": 2, "page": 2}).json()
    assert page["count"] == 7
    assert [r["code"] for r in page["items"]] == ["359902", "359902001000"]


def test_regions_list_by_level_takes_two_queries(client, regions, django_assert_num_queries):
    with django_assert_num_queries(2):
        body = client.get("/api/v1/org/regions", {"level": 4}).json()
    assert [r["name"] for r in body["items"]] == ["河滨街道", "桃源镇"]


def test_region_detail_shows_a_retired_code_and_its_successor(client, regions):
    regions["district"].valid_to = date(2026, 7, 1)
    regions["district"].successor = regions["county"]
    regions["district"].save()
    response = client.get("/api/v1/org/regions/359902")
    assert response.json() == {
        "code": "359902",
        "name": "东城区",
        "level": 3,
        "level_label": "县级",
        "parent_code": "359900",
        "valid_from": None,
        "valid_to": "2026-07-01",
        "successor_code": "359921",
    }


def test_unknown_region_is_a_404_in_chinese(client, regions):
    response = client.get("/api/v1/org/regions/359999")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "没有找到该行政区划。",
        "errors": [],
    }


def test_departments_list_and_detail(client, regions, django_assert_num_queries):
    parent = DepartmentFactory.create(
        region=regions["city"],
        name="示范市市场监督管理局",
        short_name="市市场监管局",
        phone="0599-12315",
    )
    branch = DepartmentFactory.create(
        region=regions["county"],
        name="清溪县市场监督管理局",
        level=DepartmentLevel.COUNTY,
        parent=parent,
    )
    DepartmentFactory.create(
        region=regions["city"], name="示范市自来水有限公司", kind="public_utility"
    )
    with django_assert_num_queries(2):
        body = client.get("/api/v1/org/departments", {"region": "359921"}).json()
    assert body == {
        "items": [
            {
                "id": branch.pk,
                "name": "清溪县市场监督管理局",
                "short_name": "",
                "uscc": branch.uscc,
                "level": 4,
                "level_label": "县级",
                "kind": "agency",
                "kind_label": "行政机关",
                "region_code": "359921",
                "region_name": "清溪县",
                "parent_id": parent.pk,
                "parent_name": "示范市市场监督管理局",
                "phone": "",
            }
        ],
        "count": 1,
    }
    detail = client.get(f"/api/v1/org/departments/{parent.pk}").json()
    assert detail == {
        "id": parent.pk,
        "name": "示范市市场监督管理局",
        "short_name": "市市场监管局",
        "uscc": parent.uscc,
        "level": 3,
        "level_label": "市级",
        "kind": DepartmentKind.AGENCY,
        "kind_label": "行政机关",
        "region_code": "359900",
        "region_name": "示范市",
        "parent_id": None,
        "parent_name": None,
        "phone": "0599-12315",
    }
    searched = client.get("/api/v1/org/departments", {"q": "自来水", "level": 3}).json()
    assert [(d["name"], d["kind_label"]) for d in searched["items"]] == [
        ("示范市自来水有限公司", "公共服务企业")
    ]


def test_unknown_department_is_a_404(client, regions):
    response = client.get("/api/v1/org/departments/424242")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_invalid_filters_are_explained(client, regions):
    response = client.get("/api/v1/org/departments", {"level": 9})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "level", "message": "数值过大。"}]


def test_halls_come_with_their_windows_in_four_queries(client, regions, django_assert_num_queries):
    market = DepartmentFactory.create(region=regions["city"], name="示范市市场监督管理局")
    hall = ServiceHallFactory.create(
        region=regions["city"],
        name="示范市政务服务中心",
        address="示范市东城区人民路1号",
        phone="0599-12345",
        latitude=Decimal("26.512300"),
        longitude=Decimal("118.123400"),
    )
    general = WindowFactory.create(hall=hall, number="A01", departments=[market])
    result = WindowFactory.create(
        hall=hall, number="C01", name="统一出件窗口", kind=WindowKind.RESULT, is_open=False
    )
    with django_assert_num_queries(4):
        body = client.get("/api/v1/org/halls").json()
    assert body == {
        "items": [
            {
                "id": hall.pk,
                "name": "示范市政务服务中心",
                "region_code": "359900",
                "region_name": "示范市",
                "address": "示范市东城区人民路1号",
                "opening_hours": "周一至周五 上午9:00-12:00 下午13:30-17:30",
                "phone": "0599-12345",
                "latitude": 26.5123,
                "longitude": 118.1234,
                "windows": [
                    {
                        "id": general.pk,
                        "number": "A01",
                        "name": "综合受理窗口",
                        "kind": "general",
                        "kind_label": "综合受理窗口",
                        "is_open": True,
                        "departments": [{"id": market.pk, "name": "示范市市场监督管理局"}],
                    },
                    {
                        "id": result.pk,
                        "number": "C01",
                        "name": "统一出件窗口",
                        "kind": "result",
                        "kind_label": "统一出件窗口",
                        "is_open": False,
                        "departments": [],
                    },
                ],
            }
        ],
        "count": 1,
    }
