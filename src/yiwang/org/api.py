"""Public, read-only API about the organisation: regions, departments, halls and windows.

No `from __future__ import annotations` here: ninja reads the `Query[...]` annotations at
import time.
"""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from yiwang.org import selectors
from yiwang.org.models import Department, Region, ServiceHall, Window

router = Router(tags=["组织机构"])


class RegionOut(Schema):
    code: str = Field(description="GB/T 2260 / GB/T 10114 区划代码")
    name: str
    level: int = Field(description="1 省级, 2 市级, 3 县级, 4 乡镇（街道）级, 5 村（社区）级")
    level_label: str
    parent_code: str | None
    valid_from: date | None
    valid_to: date | None = Field(description="停用日期（自该日起不再使用）")
    successor_code: str | None

    @staticmethod
    def resolve_level_label(obj: Region) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent else None

    @staticmethod
    def resolve_successor_code(obj: Region) -> str | None:
        return obj.successor.code if obj.successor else None


class RegionFilters(Schema):
    parent: str | None = Field(None, description="上级区划代码")
    level: int | None = Field(None, ge=1, le=5, description="层级")


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    uscc: str = Field(description="统一社会信用代码")
    level: int = Field(description="2 省级, 3 市级, 4 县级, 5 镇（乡、街道）级, 6 村（社区）级")
    level_label: str
    kind: str = Field(
        description="agency 行政机关, institution 事业单位, public_utility 公共服务企业"
    )
    kind_label: str
    region_code: str
    region_name: str
    parent_id: int | None
    parent_name: str | None
    phone: str

    @staticmethod
    def resolve_level_label(obj: Department) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_kind_label(obj: Department) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region_code(obj: Department) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Department) -> str:
        return obj.region.name

    @staticmethod
    def resolve_parent_name(obj: Department) -> str | None:
        return obj.parent.name if obj.parent else None


class DepartmentFilters(Schema):
    region: str | None = Field(None, description="区划代码（含下级区划）")
    level: int | None = Field(None, ge=2, le=6, description="层级")
    q: str | None = Field(None, max_length=50, description="按名称或简称查找")


class ServedDepartmentOut(Schema):
    id: int
    name: str


class WindowOut(Schema):
    id: int
    number: str
    name: str
    kind: str = Field(
        description="general 综合受理, department 部门专窗, result 统一出件, help 帮办代办"
    )
    kind_label: str
    is_open: bool
    departments: list[ServedDepartmentOut]

    @staticmethod
    def resolve_kind_label(obj: Window) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_departments(obj: Window) -> list[Department]:
        return list(obj.departments.all())


class ServiceHallOut(Schema):
    id: int
    name: str
    region_code: str
    region_name: str
    address: str
    opening_hours: str
    phone: str
    latitude: float | None
    longitude: float | None
    windows: list[WindowOut]

    @staticmethod
    def resolve_region_code(obj: ServiceHall) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: ServiceHall) -> str:
        return obj.region.name

    @staticmethod
    def resolve_latitude(obj: ServiceHall) -> float | None:
        return None if obj.latitude is None else float(obj.latitude)

    @staticmethod
    def resolve_longitude(obj: ServiceHall) -> float | None:
        return None if obj.longitude is None else float(obj.longitude)

    @staticmethod
    def resolve_windows(obj: ServiceHall) -> list[Window]:
        return list(obj.windows.all())


class HallFilters(Schema):
    region: str | None = Field(None, description="区划代码（含下级区划）")


@router.get("/regions", response=list[RegionOut], summary="行政区划列表")
@paginate(PageNumberPagination)
def list_regions(request: HttpRequest, filters: Query[RegionFilters]) -> QuerySet[Region]:
    return selectors.region_list(parent_code=filters.parent, level=filters.level)


@router.get("/regions/{code}", response=RegionOut, summary="行政区划详情")
def get_region(request: HttpRequest, code: str) -> Region:
    return selectors.region_get(code=code)


@router.get("/departments", response=list[DepartmentOut], summary="部门列表")
@paginate(PageNumberPagination)
def list_departments(
    request: HttpRequest, filters: Query[DepartmentFilters]
) -> QuerySet[Department]:
    return selectors.department_list(region_code=filters.region, level=filters.level, q=filters.q)


@router.get("/departments/{department_id}", response=DepartmentOut, summary="部门详情")
def get_department(request: HttpRequest, department_id: int) -> Department:
    return selectors.department_get(department_id=department_id)


@router.get("/halls", response=list[ServiceHallOut], summary="政务服务大厅及窗口")
@paginate(PageNumberPagination)
def list_halls(request: HttpRequest, filters: Query[HallFilters]) -> QuerySet[ServiceHall]:
    return selectors.hall_list_with_windows(region_code=filters.region)
