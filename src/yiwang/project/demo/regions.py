"""The regions of 示范市 (the demo city).

示范市 is fictional. Its code 359900 sits under the real province of Fujian (35) at a prefecture
number (99) that GB/T 2260 does not use, so it passes every validator without pretending to be a
real city. District and county numbers follow GB/T 2260 (02–20 districts, 21–80 counties, 81–99
county-level cities); town numbers follow GB/T 10114 (001–099 street offices 街道, 100–199 towns
镇, 200–299 townships 乡); village numbers put residents' committees (社区) at 001–199 and
villagers' committees (村) at 200–399.

Districts, counties and towns are fixed (other loaders and the guides refer to them by name);
the villages and communities under each town are drawn from the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from yiwang.org import services as org_services
from yiwang.org.models import Region, RegionLevel
from yiwang.project.demo.context import DemoContext
from yiwang.project.demo.names import COMMUNITY_NAMES, VILLAGE_NAMES

PROVINCE_CODE = "350000"
PROVINCE_NAME = "福建省"
CITY_CODE = "359900"
CITY_NAME = "示范市"


@dataclass(frozen=True)
class County:
    code: str
    name: str
    town_list: str  # "001府前街道 002人民路街道 …": 3-digit town number, then the name

    @property
    def towns(self) -> tuple[tuple[str, str], ...]:
        """(3-digit town number, name), the county's seat first."""
        return tuple((entry[:3], entry[3:]) for entry in self.town_list.split())

    @property
    def seat(self) -> str:
        """The town (street office) where the county's government and service centre sit."""
        return self.towns[0][1]


COUNTIES: tuple[County, ...] = (
    County(
        "359902",
        "东城区",
        "001府前街道 002人民路街道 003河滨街道 004东门街道 005朝阳街道 101龙泉镇",
    ),
    County(
        "359903",
        "南湖区",
        "001南湖街道 002湖滨街道 003新华街道 004双塔街道 101白沙镇",
    ),
    County(
        "359904",
        "新港区",
        "001港口街道 002滨江街道 003海湾街道 004高新街道 101渔溪镇 102长安镇",
    ),
    County(
        "359921",
        "清溪县",
        "101城关镇 102桃源镇 103青山镇 104溪口镇 201松林乡 202高坪乡",
    ),
    County(
        "359922",
        "云山县",
        "101云峰镇 102凤凰镇 103梅溪镇 104安平镇 201竹林乡 202茶坪乡 203白云乡",
    ),
    County(
        "359981",
        "梅岭市",
        "001梅城街道 002东山街道 003西山街道 101太平镇 102岭头镇 103龙湖镇 104金沙镇 201杉洋乡",
    ),
)

COUNTY_CODES: tuple[str, ...] = tuple(county.code for county in COUNTIES)


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None


def town_code(county_code: str, town_number: str) -> str:
    return f"{county_code}{town_number}000"


def _villages(rng: random.Random, town_number: str) -> list[tuple[str, str]]:
    """3–6 communities and villages of a town: street offices have only communities, towns a
    community or two at their centre and villages around, townships only villages."""
    count = rng.randint(3, 6)
    if town_number < "100":
        communities = count
    elif town_number < "200":
        communities = rng.randint(1, 2)
    else:
        communities = 0
    names = rng.sample(COMMUNITY_NAMES, communities) + rng.sample(
        VILLAGE_NAMES, count - communities
    )
    numbered = [(f"{i + 1:03d}", names[i]) for i in range(communities)]
    numbered += [(f"{200 + i + 1:03d}", names[communities + i]) for i in range(count - communities)]
    return numbered


def build_regions(rng: random.Random) -> list[RegionSpec]:
    """Every region of the demo city, each after its parent."""
    specs = [
        RegionSpec(PROVINCE_CODE, PROVINCE_NAME, RegionLevel.PROVINCE, None),
        RegionSpec(CITY_CODE, CITY_NAME, RegionLevel.CITY, PROVINCE_CODE),
    ]
    for county in COUNTIES:
        specs.append(RegionSpec(county.code, county.name, RegionLevel.COUNTY, CITY_CODE))
        for number, town in county.towns:
            code = town_code(county.code, number)
            specs.append(RegionSpec(code, town, RegionLevel.TOWN, county.code))
            for village_number, village in _villages(rng, number):
                specs.append(
                    RegionSpec(f"{code[:9]}{village_number}", village, RegionLevel.VILLAGE, code)
                )
    return specs


def load_regions(ctx: DemoContext) -> None:
    specs = build_regions(ctx.rng("regions"))
    existing = Region.objects.in_bulk([spec.code for spec in specs], field_name="code")
    created = 0
    for spec in specs:
        region = existing.get(spec.code)
        if region is None:
            parent = existing[spec.parent_code] if spec.parent_code else None
            existing[spec.code] = org_services.region_create(
                actor=None, code=spec.code, name=spec.name, level=spec.level, parent=parent
            )
            created += 1
        elif region.name != spec.name:
            org_services.region_update(actor=None, region=region, name=spec.name)
    ctx.summary.add("行政区划", total=Region.objects.count(), created=created)
