"""Test data for the analytics context, built through the hotline's and identity's services
(another context's test package is not ours to import): a small city with two counties, two
units, two top-level categories, and staff in every role the pages care about."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from yiwang.hotline.models import Category, Ticket, TicketAssignment
from yiwang.hotline.services import (
    TicketIntake,
    ticket_answer_directly,
    ticket_callback,
    ticket_dispatch,
    ticket_register,
    ticket_reply,
    ticket_review,
    ticket_sign,
)
from yiwang.identity import services as identity_services
from yiwang.identity.models import StaffRole, User
from yiwang.org.models import Department, DepartmentLevel, Region, RegionLevel
from yiwang.platform.validators import make_uscc

SHANGHAI = ZoneInfo("Asia/Shanghai")
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
_numbers = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


def make_region(code: str, name: str, level: int, parent: Region | None = None) -> Region:
    region, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return region


def make_department(name: str) -> Department:
    city = make_region("359900", "示范市", RegionLevel.CITY)
    n = next(_numbers)
    return Department.objects.create(
        name=name,
        uscc=make_uscc("1", "1", "359900", f"{8100000 + n:08d}"),
        level=DepartmentLevel.CITY,
        region=city,
    )


def make_staff(department: Department, role: str, *, username: str = "") -> User:
    """A staff member with a TOTP authenticator, as every staff account must have."""
    user = identity_services.staff_account_create(
        username=username or f"analytics-{role}-{next(_numbers)}",
        password="Gongzuo2026",
        display_name="测试人员",
        department=department,
        role=role,
    )
    identity_services.staff_second_factor_activate(user=user, secret=TOTP_SECRET)
    return user


@dataclass
class City:
    qingxi: Region
    yuanqu: Region
    centre: Department
    roads: Department
    water: Department
    operator: User
    dispatcher: User
    road_handler: User
    water_handler: User
    city_management: Category
    manhole: Category
    noise: Category
    utilities: Category
    water_cut: Category


def make_city() -> City:
    city = make_region("359900", "示范市", RegionLevel.CITY)
    qingxi = make_region("359902", "清溪区", RegionLevel.COUNTY, city)
    yuanqu = make_region("359903", "园区县", RegionLevel.COUNTY, city)
    centre = make_department("示范市12345热线服务中心")
    roads = make_department("示范市城市管理局")
    water = make_department("示范市水务局")
    city_management = Category.objects.create(code="03", name="城市管理", level=1, order=1)
    road = Category.objects.create(code="0301", name="道路设施", level=2, parent=city_management)
    manhole = Category.objects.create(
        code="030101", name="井盖缺失破损", level=3, parent=road, default_department=roads
    )
    noise = Category.objects.create(code="0302", name="噪声扰民", level=2, parent=city_management)
    utilities = Category.objects.create(code="05", name="供水供电", level=1, order=2)
    water_cut = Category.objects.create(
        code="0501", name="停水", level=2, parent=utilities, default_department=water
    )
    return City(
        qingxi=qingxi,
        yuanqu=yuanqu,
        centre=centre,
        roads=roads,
        water=water,
        operator=make_staff(centre, StaffRole.HOTLINE_OPERATOR),
        dispatcher=make_staff(centre, StaffRole.DISPATCHER),
        road_handler=make_staff(roads, StaffRole.DEPARTMENT_HANDLER),
        water_handler=make_staff(water, StaffRole.DEPARTMENT_HANDLER),
        city_management=city_management,
        manhole=manhole,
        noise=noise,
        utilities=utilities,
        water_cut=water_cut,
    )


def register(city: City, when: datetime, **overrides: Any) -> Ticket:
    """A snap-and-report of a broken manhole cover in 清溪区 unless told otherwise."""
    values: dict[str, Any] = {
        "channel": "app",
        "ticket_type": "help",
        "category_code": city.manhole.code,
        "content": "清溪路与园区路交叉口井盖破损，夜间有行人踩空危险。",
        "reporter_name": "张明华",
        "reporter_phone": "13800000001",
        "region_code": city.qingxi.code,
    }
    values.update(overrides)
    actor = values.pop("actor", None)
    with time_machine.travel(when, tick=False):
        return ticket_register(data=TicketIntake(**values), actor=actor)


def _lead(ticket: Ticket) -> TicketAssignment:
    return TicketAssignment.objects.get(ticket=ticket, role="lead", is_active=True)


def dispatch(city: City, ticket: Ticket, lead: Department, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        ticket_dispatch(ticket=ticket, lead=lead, actor=city.dispatcher)


def sign(handler: User, ticket: Ticket, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        ticket_sign(assignment=_lead(ticket), actor=handler)


def reply(city: City, handler: User, ticket: Ticket, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        ticket_reply(assignment=_lead(ticket), reply="已处理。", actor=handler)
        ticket_review(ticket=ticket, approve=True, note="", actor=city.dispatcher)


def callback(
    city: City, ticket: Ticket, when: datetime, satisfaction: str, resolution: str
) -> None:
    with time_machine.travel(when, tick=False):
        ticket_callback(
            ticket=ticket,
            contacted=True,
            satisfaction=satisfaction,
            resolution=resolution,
            note="",
            rework=False,
            actor=city.operator,
        )


def answer_directly(city: City, ticket: Ticket, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        ticket_answer_directly(ticket=ticket, answer="可在网上办理。", actor=city.operator)
