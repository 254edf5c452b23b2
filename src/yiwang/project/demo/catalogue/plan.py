"""Which items the demo city implements where: the city's departments, each district and county
(most of the county-level items; their own implementation codes), and items delegated to each
county seat's 便民服务中心 (DOMAIN §3.6: a separate item with its own body and region)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from yiwang.catalog.models import ExerciseLevel
from yiwang.project.demo.catalogue.bundles import BUNDLES
from yiwang.project.demo.catalogue.families import Family, parse_families
from yiwang.project.demo.catalogue.families_business import BUSINESS
from yiwang.project.demo.catalogue.families_people import PEOPLE
from yiwang.project.demo.catalogue.generate import Built, Slot, build_item, implementation_code
from yiwang.project.demo.catalogue.texts import POPULAR
from yiwang.project.demo.catalogue.themes import LIFE_EVENTS
from yiwang.project.demo.regions import COUNTIES

# Shares of the optional county and town items each county takes on (the rest are always
# there: items of bundles, life events and the popular ones).
COUNTY_SHARE = 0.68
TOWN_SHARE = 0.45
FIRST_COUNTY = "359921"  # 清溪县, where the demo restaurant company is: first in a reduced load

# A county department of the same line implements the city department's county items; without
# one, the county's 行政审批局 does (相对集中行政许可权).
_COUNTY_LINE = {
    "market": "market",
    "police": "police",
    "exit_entry": "police",
    "traffic_police": "police",
    "human_resources": "human_resources",
    "social_insurance": "human_resources",
}


@dataclass(frozen=True)
class DepartmentInfo:
    key: str
    uscc: str
    name: str
    kind: str
    phone: str
    region_code: str


@cache
def families() -> tuple[Family, ...]:
    return tuple(parse_families({**BUSINESS, **PEOPLE}))


@cache
def core_names() -> frozenset[str]:
    """Items that every level implements and a reduced load keeps: bundle members, life-event
    steps and popular items."""
    names = {member.item for bundle in BUNDLES for member in bundle.members}
    names |= {item for event in LIFE_EVENTS for item in event.items}
    return frozenset(names | POPULAR)


def basic_codes(family: Family, number: str) -> list[tuple[str, str, str]]:
    """(basic code, item name, main item's code) of the family's items: `XK08006` + `000` for
    a single item; `001`, `002` … for sub-items, whose main item keeps `000`."""
    main = f"{family.prefix}{number}000"
    names = family.item_names()
    if not family.subs:
        return [(main, names[0], "")]
    return [
        (f"{family.prefix}{number}{i:03d}", name, main) for i, name in enumerate(names, start=1)
    ]


def family_numbers() -> list[tuple[Family, str]]:
    """Each family with its 5-digit main-item number: 2 digits for the department (in the
    order the data lists them), 3 for the family within it."""
    departments: dict[str, int] = {}
    counts: dict[str, int] = {}
    numbered = []
    for family in families():
        department = departments.setdefault(family.department, len(departments) + 1)
        counts[family.department] = counts.get(family.department, 0) + 1
        numbered.append((family, f"{department:02d}{counts[family.department]:03d}"))
    return numbered


def _drawn(seed: int, purpose: str, share: float) -> bool:
    return random.Random(f"{seed}:catalog:{purpose}").random() < share


Place = Callable[[str, str], tuple[str, str]]  # (region code, department key) → (address, hours)


def _slot(info: DepartmentInfo, level: str, place: Place, **kwargs: str) -> Slot:
    address, hours = place(info.region_code, info.key)
    return Slot(
        department=info.key,
        uscc=info.uscc,
        department_name=info.name,
        department_kind=info.kind,
        phone=info.phone,
        region_code=info.region_code,
        level=level,
        address=address,
        office_hours=hours,
        **kwargs,
    )


@dataclass(frozen=True)
class _Planned:
    tier: int  # 0 core city items, 1 the first county's core items, 2 the rest
    family: Family
    name: str
    basic_code: str
    main_code: str
    slot: Slot
    core: bool


def _planned(seed: int, departments: dict[str, DepartmentInfo], place: Place) -> list[_Planned]:
    """Where every item is implemented, in load order (cheap: no guide is built yet)."""
    core = core_names()
    planned: list[_Planned] = []
    numbered = family_numbers()
    for family, number in numbered:
        if "市" not in family.levels:
            continue
        slot = _slot(departments[family.department], ExerciseLevel.CITY, place)
        for basic, name, main in basic_codes(family, number):
            tier = 0 if name in core else 2
            planned.append(_Planned(tier, family, name, basic, main, slot, name in core))
    for county in COUNTIES:
        seat_number, _ = county.towns[0]
        centre = departments[f"{county.code}{seat_number}:centre"]
        for family, number in numbered:
            if "县" not in family.levels:
                continue
            info = departments[f"{county.code}:{_COUNTY_LINE.get(family.department, 'approval')}"]
            slot = _slot(info, ExerciseLevel.COUNTY, place)
            for basic, name, main in basic_codes(family, number):
                is_core = name in core
                if not is_core and not _drawn(seed, f"{county.code}:{basic}", COUNTY_SHARE):
                    continue
                tier = 1 if is_core and county.code == FIRST_COUNTY else 2
                planned.append(_Planned(tier, family, name, basic, main, slot, is_core))
                if "镇" not in family.levels:
                    continue
                if not is_core and not _drawn(seed, f"{centre.region_code}:{basic}", TOWN_SHARE):
                    continue
                source = implementation_code(basic, slot.region_code, slot.uscc)
                town = _slot(
                    centre,
                    ExerciseLevel.TOWN,
                    place,
                    delegated_from_code=source,
                    delegated_from_department=info.name,
                )
                planned.append(_Planned(tier, family, name, basic, main, town, is_core))
    return planned


def build_plan(
    *,
    seed: int,
    departments: dict[str, DepartmentInfo],
    place: Place,
    sample_path: Callable[[str], str],
    size: int | None = None,
) -> list[Built]:
    """Every demo item, or the first `size` of them (core city items first, then the first
    county's, then the rest), deterministic for a seed."""
    planned = sorted(_planned(seed, departments, place), key=lambda p: p.tier)  # stable
    if size is not None:
        planned = planned[:size]
        kept = {implementation_code(p.basic_code, p.slot.region_code, p.slot.uscc) for p in planned}
        planned = [
            p for p in planned
            if not p.slot.delegated_from_code or p.slot.delegated_from_code in kept
        ]  # fmt: skip
    return [
        build_item(
            seed=seed,
            family=p.family,
            name=p.name,
            basic_code=p.basic_code,
            slot=p.slot,
            sample_path=sample_path,
            core=p.core,
            basic_parent_code=p.main_code,
        )
        for p in planned
    ]
