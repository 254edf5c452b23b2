"""Test data for the hotline: a small category tree, units with handlers, hotline staff."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from yiwang.hotline.models import Area, Category, Ticket
from yiwang.hotline.services import TicketIntake, ticket_register
from yiwang.hotline.workflow import Channel, TicketType
from yiwang.identity.models import StaffMembership, StaffRole, User
from yiwang.org.models import Department, DepartmentLevel, Region, RegionLevel
from yiwang.platform.validators import make_uscc

_numbers = itertools.count(1)


def make_user(**kwargs: Any) -> User:
    return User.objects.create_user(f"hotline-user{next(_numbers)}", "Passw0rd!x", **kwargs)


def make_department(name: str = "") -> Department:
    city, _ = Region.objects.get_or_create(
        code="359900", defaults={"name": "示范市", "level": RegionLevel.CITY}
    )
    n = next(_numbers)
    return Department.objects.create(
        name=name or f"示范市热线测试{n}局",
        uscc=make_uscc("1", "1", "359900", f"{7000000 + n:08d}"),
        level=DepartmentLevel.CITY,
        region=city,
    )


def make_staff(department: Department, role: str) -> User:
    user = make_user(is_staff=True)
    StaffMembership.objects.create(user=user, department=department, role=role)
    return user


@dataclass
class HotlineSetup:
    centre: Department
    operator: User
    dispatcher: User
    roads: Department
    lights: Department
    road_handler: User
    light_handler: User
    city: Category
    road: Category
    manhole: Category
    noise: Category
    area: Area


def square(lng: float, lat: float, size: float = 0.01) -> list[list[float]]:
    return [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size]]


def make_hotline() -> HotlineSetup:
    centre = make_department("示范市12345热线服务中心")
    roads = make_department("示范市城市管理局")
    lights = make_department("示范市住房和城乡建设局")
    city = Category.objects.create(code="03", name="城市管理", level=1)
    road = Category.objects.create(code="0301", name="道路设施", level=2, parent=city)
    manhole = Category.objects.create(
        code="030101", name="井盖缺失破损", level=3, parent=road, default_department=roads
    )
    noise = Category.objects.create(code="0302", name="噪声扰民", level=2, parent=city)
    polygon = square(118.10, 24.50)
    area = Area.objects.create(
        name="清溪街道",
        region_code="359902",
        polygon=polygon,
        min_longitude=118.10,
        max_longitude=118.11,
        min_latitude=24.50,
        max_latitude=24.51,
    )
    return HotlineSetup(
        centre=centre,
        operator=make_staff(centre, StaffRole.HOTLINE_OPERATOR),
        dispatcher=make_staff(centre, StaffRole.DISPATCHER),
        roads=roads,
        lights=lights,
        road_handler=make_staff(roads, StaffRole.DEPARTMENT_HANDLER),
        light_handler=make_staff(lights, StaffRole.DEPARTMENT_HANDLER),
        city=city,
        road=road,
        manhole=manhole,
        noise=noise,
        area=area,
    )


def report(setup: HotlineSetup, **overrides: Any) -> Ticket:
    """A snap-and-report of a broken manhole cover inside the test area."""
    values: dict[str, Any] = {
        "channel": Channel.APP,
        "ticket_type": TicketType.HELP,
        "category_code": setup.manhole.code,
        "content": "清溪路与园区路交叉口井盖破损，夜间有行人踩空危险。",
        "reporter_name": "张明华",
        "reporter_phone": "13800000001",
        "latitude": 24.505,
        "longitude": 118.105,
        "address": "清溪路与园区路交叉口",
    }
    values.update(overrides)
    actor = values.pop("actor", None)
    return ticket_register(data=TicketIntake(**values), actor=actor)
