"""Two hand-built months whose answers are known.

November 2026 (`november`): four tickets and two unregistered calls; "now" is 15 December, so
everything dispatched is due.

| ticket | unit, category, county | what happened |
|---|---|---|
| A | roads, 城市管理, 清溪区 | signed and replied in time; satisfied, resolved |
| B | roads, 城市管理, 清溪区 | signed late, replied late (due 8 Nov); unsatisfied, unresolved |
| C | water, 供水供电, 园区县 (phone) | signed and replied in time; basically satisfied, partly |
| D | —, 供水供电, 园区县 (phone) | answered directly on the phone |

Plus a hung-up call (a valid contact) and a silent one (not a contact at all).

The hotspot month (`noisy_november`): five noise complaints in November, four of them within
200 m of each other, one in August; one manhole report dispatched to the roads unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
import time_machine

from yiwang.analytics.tests.factories import (
    City,
    answer_directly,
    at,
    callback,
    dispatch,
    make_city,
    register,
    reply,
    sign,
)
from yiwang.hotline.models import Ticket
from yiwang.hotline.services import contact_record_unregistered

NOW = at(2026, 12, 15, 12)


@dataclass
class November:
    city: City
    a: Ticket
    b: Ticket
    c: Ticket
    d: Ticket


@pytest.fixture
def city(db: None) -> City:
    return make_city()


@pytest.fixture
def november(city: City) -> November:
    a = register(city, at(2026, 11, 2))
    dispatch(city, a, city.roads, at(2026, 11, 2))
    sign(city.road_handler, a, at(2026, 11, 2, 10))
    reply(city, city.road_handler, a, at(2026, 11, 4))
    callback(city, a, at(2026, 11, 5), "satisfied", "resolved")

    b = register(city, at(2026, 11, 3))
    dispatch(city, b, city.roads, at(2026, 11, 3))
    sign(city.road_handler, b, at(2026, 11, 3, 15))
    reply(city, city.road_handler, b, at(2026, 11, 12))
    callback(city, b, at(2026, 11, 13), "unsatisfied", "unresolved")

    phone = {
        "channel": "phone",
        "category_code": city.water_cut.code,
        "content": "园区县幸福小区停水两天了。",
        "region_code": city.yuanqu.code,
        "actor": city.operator,
    }
    c = register(city, at(2026, 11, 5), **phone)
    dispatch(city, c, city.water, at(2026, 11, 5))
    sign(city.water_handler, c, at(2026, 11, 5, 10))
    reply(city, city.water_handler, c, at(2026, 11, 6))
    callback(city, c, at(2026, 11, 7), "basically_satisfied", "partly")

    d = register(city, at(2026, 11, 6), ticket_type="consultation", **phone)
    answer_directly(city, d, at(2026, 11, 6))

    for kind, day in (("hung_up", 7), ("silent", 8)):
        with time_machine.travel(at(2026, 11, day), tick=False):
            contact_record_unregistered(kind=kind, actor=city.operator)
    return November(city, a, b, c, d)


@pytest.fixture
def noisy_november(city: City) -> City:
    noise = {
        "ticket_type": "complaint",
        "category_code": city.noise.code,
        "content": "夜间施工噪声扰民。",
    }
    places = [
        (24.5050, 118.1050, "清溪路88号工地"),
        (24.5055, 118.1052, "清溪路90号"),
        (24.5048, 118.1047, "清溪路86号"),
        (24.5051, 118.1055, "清溪路92号"),
        (24.5600, 118.2000, "园区大道1号"),  # some 9 km away: not the same place
    ]
    for day, (latitude, longitude, address) in enumerate(places, start=3):
        register(
            city,
            at(2026, 11, day),
            latitude=latitude,
            longitude=longitude,
            address=address,
            **noise,
        )
    register(city, at(2026, 8, 20), **noise)
    manhole = register(city, at(2026, 11, 10))
    dispatch(city, manhole, city.roads, at(2026, 11, 10))
    return city


def travel_now() -> time_machine.travel:
    return time_machine.travel(NOW, tick=False)


def when(value: datetime) -> time_machine.travel:
    return time_machine.travel(value, tick=False)
