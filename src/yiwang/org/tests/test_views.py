from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest

from yiwang.org.models import DepartmentLevel, WindowKind
from yiwang.org.tests.factories import DepartmentFactory, ServiceHallFactory, WindowFactory

pytestmark = pytest.mark.django_db


def headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def assert_headings_in_order(html: str) -> None:
    levels = headings(html)
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


@pytest.fixture
def directory(regions):
    DepartmentFactory.create(region=regions["city"], name="示范市公安局", phone="0599-110")
    DepartmentFactory.create(
        region=regions["city"], name="示范市自来水有限公司", kind="public_utility"
    )
    DepartmentFactory.create(
        region=regions["county"], name="清溪县市场监督管理局", level=DepartmentLevel.COUNTY
    )
    DepartmentFactory.create(
        region=regions["town"], name="桃源镇便民服务中心", level=DepartmentLevel.TOWN
    )


def test_department_directory_groups_by_level(client, directory, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/org/departments/")
    assert response.status_code == 200
    html = response.content.decode()
    assert_headings_in_order(html)
    assert html.index("市级部门") < html.index("县级部门") < html.index("镇（乡、街道）级部门")
    assert '<label for="department-search">' in html
    assert "<caption" in html
    assert '<a href="tel:0599-110">0599-110</a>' in html
    assert "公共服务企业" in html


def test_department_search_narrows_the_directory_and_says_how_many(client, directory):
    html = client.get("/org/departments/", {"q": "市场监督"}).content.decode()
    assert "清溪县市场监督管理局" in html
    assert "示范市公安局" not in html
    assert "找到 1 个名称含“市场监督”的部门" in html
    assert 'value="市场监督"' in html


def test_department_search_without_results_says_what_to_do(client, directory):
    html = client.get("/org/departments/", {"q": "不存在的局"}).content.decode()
    assert "没有找到名称含“不存在的局”的部门" in html
    assert "12345" in html


def test_halls_page_shows_address_hours_and_what_each_window_serves(
    client, regions, django_assert_max_num_queries
):
    market = DepartmentFactory.create(
        region=regions["city"], name="示范市市场监督管理局", short_name="市市场监管局"
    )
    police = DepartmentFactory.create(region=regions["city"], name="示范市公安局")
    hall = ServiceHallFactory.create(
        region=regions["city"],
        name="示范市政务服务中心",
        address="示范市东城区人民路1号",
        latitude=Decimal("26.5"),
        longitude=Decimal("118.1"),
    )
    WindowFactory.create(hall=hall, number="A01", departments=[market, police])
    WindowFactory.create(hall=hall, number="D01", name="帮办代办窗口", kind=WindowKind.HELP)
    ServiceHallFactory.create(region=regions["county"], name="清溪县政务服务中心")
    with django_assert_max_num_queries(5):
        response = client.get("/org/halls/")
    html = response.content.decode()
    assert_headings_in_order(html)
    assert "示范市东城区人民路1号" in html
    assert "周一至周五 上午9:00-12:00 下午13:30-17:30" in html
    assert "示范市公安局、市市场监管局" in html
    assert "为老年人、残疾人等提供帮办代办" in html
    assert "示范市政务服务中心的窗口</caption>" in html
    assert "position=118.100000,26.500000" in html
    assert "该大厅暂未登记窗口" in html


def test_pages_work_without_any_data(client, db):
    assert "部门名录尚未录入" in client.get("/org/departments/").content.decode()
    assert "暂无大厅信息" in client.get("/org/halls/").content.decode()


def test_search_as_you_type_gets_only_the_results(client, directory):
    response = client.get(
        "/org/departments/",
        {"q": "公安"},
        headers={"HX-Request": "true", "HX-Target": "department-results"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="department-results">')
    assert "示范市公安局" in html
    assert "<html" not in html
