"""The demo population: a few well-known people that accounts and browser tests use by name,
and ~2,000 generated residents for the sandbox real-name registry.

Citizen ID numbers are well formed (GB 11643: region, birth date, sequence whose parity gives
the sex, MOD 11-2 check digit) and carry 示范市's fictional county codes, so none of them can be
a real person's number. A few residents come from real counties elsewhere, as in any city.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from yiwang.identity.models import StaffRole
from yiwang.platform.services import SandboxPersonData
from yiwang.platform.validators import make_citizen_id
from yiwang.project.demo.names import DOTTED_NAME_REGION, DOTTED_NAMES, person_name
from yiwang.project.demo.regions import COUNTY_CODES

POPULATION_SIZE = 2000


@dataclass(frozen=True)
class DemoPerson:
    """A person in the sandbox registry: sign up with `phone`, verify with name + citizen ID."""

    name: str
    citizen_id: str
    phone: str

    @property
    def is_male(self) -> bool:
        return int(self.citizen_id[16]) % 2 == 1


def _person(name: str, region: str, born: date, sequence: int, phone: str) -> DemoPerson:
    return DemoPerson(name, make_citizen_id(region, born, sequence), phone)


# Citizens and enterprise people, for registration, verification and the journeys (JOURNEYS.md).
DEMO_PEOPLE: list[DemoPerson] = [
    # the citizen of every journey; legal representative of 示范市明华信息技术有限公司
    _person("张明华", "359902", date(1985, 3, 12), 15, "13800000001"),
    # an older resident, for the elder mode (适老化) and help at the window
    _person("李秀英", "359921", date(1958, 11, 2), 24, "13800000002"),
    # legal representative of 示范市清溪餐饮管理有限公司 (the "开饭店" journey)
    _person("王建国", "359921", date(1972, 7, 1), 33, "13800000003"),
    # the agent (经办人) that 王建国 authorises for his restaurant company
    _person("陈静", "359903", date(1990, 5, 20), 42, "13800000004"),
    _person("林晓峰", "359981", date(1995, 9, 9), 51, "13800000005"),
    _person("黄丽娟", "359922", date(1988, 12, 24), 62, "13800000006"),
    # legal representative of 示范市新港物流有限公司
    _person("刘伟", "359904", date(1980, 1, 15), 77, "13800000007"),
    # born on 29 February: dates in ID numbers must be checked, not guessed
    _person("赵雨涵", "359903", date(2000, 2, 29), 88, "13800000008"),
    # a name written with the middle dot
    _person("买买提·吐尔逊", DOTTED_NAME_REGION, date(1983, 6, 18), 95, "13800000009"),
]

# One staff member per role, in the registry like everyone else (staff sign in verified, too).
DEMO_STAFF_PEOPLE: dict[StaffRole, DemoPerson] = {
    StaffRole.WINDOW_CLERK: _person("周文斌", "359902", date(1991, 4, 3), 113, "13900000001"),
    StaffRole.REVIEWER: _person("吴佳怡", "359903", date(1987, 8, 21), 124, "13900000002"),
    StaffRole.DEPARTMENT_HEAD: _person("郑国栋", "359902", date(1976, 2, 14), 135, "13900000003"),
    StaffRole.HOTLINE_OPERATOR: _person("许婷", "359904", date(1996, 10, 8), 146, "13900000004"),
    StaffRole.DISPATCHER: _person("蔡志强", "359921", date(1984, 5, 30), 157, "13900000005"),
    StaffRole.DEPARTMENT_HANDLER: _person(
        "谢晓敏", "359922", date(1993, 1, 11), 168, "13900000006"
    ),
    StaffRole.SUPERVISOR: _person("罗振华", "359981", date(1979, 9, 27), 179, "13900000007"),
    StaffRole.LEADER: _person("高建平", "359902", date(1968, 12, 5), 181, "13900000008"),
    StaffRole.ADMINISTRATOR: _person("曾思远", "359903", date(1989, 7, 19), 193, "13900000009"),
    StaffRole.CATALOGUE_MANAGER: _person("钟雅琴", "359902", date(1985, 9, 9), 205, "13900000010"),
}

WELL_KNOWN_PEOPLE: list[DemoPerson] = [*DEMO_PEOPLE, *DEMO_STAFF_PEOPLE.values()]

# Real county codes elsewhere (Fuzhou, Xiamen, Quanzhou, Nanchang, Hangzhou, Guangzhou ...):
# people who moved to the city.
_ELSEWHERE = ("350102", "350203", "350503", "350583", "360102", "330106", "440106", "430104",
              "510107", "420106", "320106", "370202")  # fmt: skip

_OLDEST, _YOUNGEST_ADULT = date(1940, 1, 1), date(2008, 1, 1)
_YOUNGEST = date(2025, 12, 31)


def _birth(rng: random.Random) -> date:
    # About one in twelve is a child (for birth, school and family services).
    if rng.random() < 0.08:
        start, end = _YOUNGEST_ADULT, _YOUNGEST
    else:
        start, end = _OLDEST, _YOUNGEST_ADULT
    return start + timedelta(days=rng.randrange((end - start).days))


def build_population(rng: random.Random, size: int = POPULATION_SIZE) -> list[SandboxPersonData]:
    """The well-known people first, then generated residents up to `size`, all distinct."""
    people = [SandboxPersonData(p.name, p.citizen_id) for p in WELL_KNOWN_PEOPLE]
    seen = {p.citizen_id for p in people}
    for name, male in DOTTED_NAMES:
        if len(people) >= size:
            break
        citizen_id = _new_id(rng, seen, DOTTED_NAME_REGION, male=male)
        people.append(SandboxPersonData(name, citizen_id))
    while len(people) < size:
        male = rng.random() < 0.5
        region = rng.choice(COUNTY_CODES) if rng.random() < 0.85 else rng.choice(_ELSEWHERE)
        citizen_id = _new_id(rng, seen, region, male=male)
        people.append(SandboxPersonData(person_name(rng, male=male), citizen_id))
    return people


def _new_id(rng: random.Random, seen: set[str], region: str, *, male: bool) -> str:
    while True:
        # Sequences run 001–999; odd for men, even for women.
        sequence = rng.randrange(1, 500) * 2 + (1 if male else 0)
        citizen_id = make_citizen_id(region, _birth(rng), sequence)
        if citizen_id not in seen:
            seen.add(citizen_id)
            return citizen_id
