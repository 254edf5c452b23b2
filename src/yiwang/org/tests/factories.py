"""Factories for organisation rows. They write models directly (fast, no audit): tests of the
services create through the services instead."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from yiwang.org.models import (
    Department,
    DepartmentLevel,
    Region,
    RegionLevel,
    ServiceHall,
    Window,
    WindowKind,
)
from yiwang.platform.validators import make_uscc

_bodies = itertools.count(1)


def new_department_uscc(region6: str = "359900") -> str:
    return make_uscc("1", "1", region6, f"{next(_bodies):08d}")


def region_tree() -> dict[str, Region]:
    """福建省 › 示范市 › 清溪县 › 桃源镇 › 石门村, plus 东城区 › 河滨街道."""
    province = RegionFactory.create(code="350000", name="福建省", level=RegionLevel.PROVINCE)
    city = RegionFactory.create(
        code="359900", name="示范市", level=RegionLevel.CITY, parent=province
    )
    county = RegionFactory.create(
        code="359921", name="清溪县", level=RegionLevel.COUNTY, parent=city
    )
    town = RegionFactory.create(
        code="359921101000", name="桃源镇", level=RegionLevel.TOWN, parent=county
    )
    village = RegionFactory.create(
        code="359921101201", name="石门村", level=RegionLevel.VILLAGE, parent=town
    )
    district = RegionFactory.create(
        code="359902", name="东城区", level=RegionLevel.COUNTY, parent=city
    )
    street = RegionFactory.create(
        code="359902001000", name="河滨街道", level=RegionLevel.TOWN, parent=district
    )
    return {
        "province": province,
        "city": city,
        "county": county,
        "town": town,
        "village": village,
        "district": district,
        "street": street,
    }


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"3599{n % 80 + 2:02d}")
    name = factory.Sequence(lambda n: f"测试{n}区")
    level = RegionLevel.COUNTY


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"示范市测试{n}局")
    short_name = ""
    uscc = factory.LazyAttribute(lambda o: new_department_uscc(o.region.code[:6]))
    level = DepartmentLevel.CITY
    region = factory.LazyFunction(
        lambda: RegionFactory.create(code="359900", name="示范市", level=RegionLevel.CITY)
    )


class ServiceHallFactory(factory.django.DjangoModelFactory[ServiceHall]):
    class Meta:
        model = ServiceHall

    name = factory.Sequence(lambda n: f"测试{n}政务服务中心")
    region = factory.LazyFunction(
        lambda: RegionFactory.create(code="359900", name="示范市", level=RegionLevel.CITY)
    )
    address = "示范市人民路1号"
    opening_hours = "周一至周五 上午9:00-12:00 下午13:30-17:30"


class WindowFactory(factory.django.DjangoModelFactory[Window]):
    class Meta:
        model = Window

    hall = factory.SubFactory(ServiceHallFactory)
    number = factory.Sequence(lambda n: f"A{n:02d}")
    name = "综合受理窗口"
    kind = WindowKind.GENERAL

    @classmethod
    def _create(cls, model_class: type[Window], *args: Any, **kwargs: Any) -> Window:
        departments = kwargs.pop("departments", [])
        window: Window = super()._create(model_class, *args, **kwargs)
        if departments:
            window.departments.set(departments)
        return window
