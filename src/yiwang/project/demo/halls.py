"""The service halls of 示范市 and their windows.

One city centre (示范市政务服务中心), one centre in each district or county, and a 便民服务中心
in each district's seat town. Every hall has general windows that take in many departments'
items (综合受理窗口, 一窗受理), department windows for the few services that keep their own
counter, a window where every result is handed out (统一出件窗口) and a help window
(帮办代办窗口).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from yiwang.org import services as org_services
from yiwang.org.models import Department, Region, ServiceHall, Window, WindowKind
from yiwang.project.demo.context import DemoContext
from yiwang.project.demo.departments import AREA_CODE, build_departments
from yiwang.project.demo.names import STREET_NAMES
from yiwang.project.demo.regions import CITY_CODE, CITY_NAME, COUNTIES, County, town_code

WEEKDAY_HOURS = "周一至周五 上午9:00-12:00 下午13:30-17:30（法定节假日除外）"
CITY_HALL_HOURS = (
    "周一至周五 上午9:00-12:00 下午13:30-17:30；周六 上午9:00-12:00 延时服务（部分窗口）"
)
# The city centre's position; the districts' centres lie around it.
_CITY_LATITUDE, _CITY_LONGITUDE = Decimal("26.481500"), Decimal("118.057200")
_COUNTY_OFFSETS = (
    (Decimal("0.004100"), Decimal("0.012300")),
    (Decimal("-0.031200"), Decimal("0.008700")),
    (Decimal("-0.018400"), Decimal("0.096500")),
    (Decimal("0.212300"), Decimal("-0.154800")),
    (Decimal("-0.187600"), Decimal("-0.241100")),
    (Decimal("0.301900"), Decimal("0.187400")),
)


@dataclass(frozen=True)
class WindowSpec:
    number: str
    name: str
    kind: WindowKind
    department_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class HallSpec:
    name: str
    region_code: str
    address: str
    opening_hours: str
    phone: str
    latitude: Decimal
    longitude: Decimal
    windows: tuple[WindowSpec, ...]


_G, _D, _R, _H = WindowKind.GENERAL, WindowKind.DEPARTMENT, WindowKind.RESULT, WindowKind.HELP

_BUSINESS = ("market", "tax", "police", "human_resources", "social_insurance", "housing_fund",
             "medical_insurance", "commerce")  # fmt: skip
_CONSTRUCTION = ("housing", "natural_resources", "environment", "development",
                 "urban_management", "water", "emergency")  # fmt: skip
_SOCIAL = ("human_resources", "medical_insurance", "civil_affairs", "health", "education",
           "veterans", "justice", "transport", "culture_tourism", "agriculture", "forestry",
           "industry", "finance")  # fmt: skip


def _city_windows() -> tuple[WindowSpec, ...]:
    general = [
        WindowSpec(f"A{n:02d}", "综合受理窗口（企业开办）", _G, _BUSINESS) for n in (1, 2, 3)
    ]
    general += [
        WindowSpec(f"A{n:02d}", "综合受理窗口（工程建设）", _G, _CONSTRUCTION) for n in (4, 5)
    ]
    general += [WindowSpec(f"A{n:02d}", "综合受理窗口（社会事务）", _G, _SOCIAL) for n in (6, 7, 8)]
    return (
        *general,
        WindowSpec("B01", "出入境专窗", _D, ("exit_entry",)),
        WindowSpec("B02", "税务专窗", _D, ("tax",)),
        WindowSpec("B03", "公积金专窗", _D, ("housing_fund",)),
        WindowSpec("B04", "不动产登记专窗", _D, ("real_estate", "tax")),
        WindowSpec("B05", "医保专窗", _D, ("medical_insurance",)),
        WindowSpec("B06", "社保专窗", _D, ("social_insurance",)),
        WindowSpec("B07", "车驾管专窗", _D, ("traffic_police",)),
        WindowSpec("B08", "水电气联合报装专窗", _D, ("water_supply", "power", "gas")),
        WindowSpec("C01", "统一出件窗口", _R),
        WindowSpec("C02", "统一出件窗口", _R),
        WindowSpec("D01", "帮办代办窗口", _H),
        WindowSpec("D02", "“办不成事”反映窗口", _H, ("efficiency",)),
    )  # fmt: skip


def _county_windows(code: str) -> tuple[WindowSpec, ...]:
    served = (f"{code}:approval", f"{code}:market", f"{code}:human_resources", f"{code}:police",
              "tax", "medical_insurance")  # fmt: skip
    return (
        *(WindowSpec(f"A{n:02d}", "综合受理窗口", _G, served) for n in (1, 2, 3, 4)),
        WindowSpec("B01", "公安专窗", _D, (f"{code}:police",)),
        WindowSpec("B02", "社保医保专窗", _D, (f"{code}:human_resources", "medical_insurance")),
        WindowSpec("C01", "统一出件窗口", _R),
        WindowSpec("D01", "帮办代办窗口", _H),
    )


def _town_windows(code: str, centre_key: str) -> tuple[WindowSpec, ...]:
    served = (centre_key, f"{code}:human_resources", "medical_insurance", "civil_affairs")
    return (
        WindowSpec("A01", "综合受理窗口", _G, served),
        WindowSpec("A02", "综合受理窗口", _G, served),
        WindowSpec("D01", "帮办代办窗口", _H),
    )


def _address(rng: random.Random, county: County, town: str) -> str:
    return f"{CITY_NAME}{county.name}{town}{rng.choice(STREET_NAMES)}{rng.randint(1, 199)}号"


def _jitter(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(-3000, 3000)) / Decimal(1_000_000)


def build_halls(rng: random.Random) -> list[HallSpec]:
    halls = [
        HallSpec(
            name=f"{CITY_NAME}政务服务中心",
            region_code=CITY_CODE,
            address=f"{CITY_NAME}东城区府前街道府前路88号",
            opening_hours=CITY_HALL_HOURS,
            phone=f"{AREA_CODE}-8012345",
            latitude=_CITY_LATITUDE,
            longitude=_CITY_LONGITUDE,
            windows=_city_windows(),
        )
    ]
    for county, (dlat, dlon) in zip(COUNTIES, _COUNTY_OFFSETS, strict=True):
        seat_number, seat = county.towns[0]
        latitude, longitude = _CITY_LATITUDE + dlat, _CITY_LONGITUDE + dlon
        halls.append(
            HallSpec(
                name=f"{county.name}政务服务中心",
                region_code=county.code,
                address=_address(rng, county, seat),
                opening_hours=WEEKDAY_HOURS,
                phone=f"{AREA_CODE}-{rng.randint(8_100_000, 8_899_999)}",
                latitude=latitude,
                longitude=longitude,
                windows=_county_windows(county.code),
            )
        )
        halls.append(
            HallSpec(
                name=f"{seat}便民服务中心",
                region_code=town_code(county.code, seat_number),
                address=_address(rng, county, seat),
                opening_hours=WEEKDAY_HOURS,
                phone=f"{AREA_CODE}-{rng.randint(8_100_000, 8_899_999)}",
                latitude=latitude + _jitter(rng),
                longitude=longitude + _jitter(rng),
                windows=_town_windows(county.code, f"{county.code}{seat_number}:centre"),
            )
        )
    return halls


def _hall_differs(hall: ServiceHall, spec: HallSpec) -> bool:
    wanted = (spec.address, spec.opening_hours, spec.phone, spec.latitude, spec.longitude)
    have = (hall.address, hall.opening_hours, hall.phone, hall.latitude, hall.longitude)
    return wanted != have


def _ensure_hall(spec: HallSpec, region: Region, existing: ServiceHall | None) -> ServiceHall:
    if existing is None:
        return org_services.hall_create(
            actor=None,
            name=spec.name,
            region=region,
            address=spec.address,
            opening_hours=spec.opening_hours,
            phone=spec.phone,
            latitude=spec.latitude,
            longitude=spec.longitude,
        )
    if _hall_differs(existing, spec):
        org_services.hall_update(
            actor=None,
            hall=existing,
            address=spec.address,
            opening_hours=spec.opening_hours,
            phone=spec.phone,
            latitude=spec.latitude,
            longitude=spec.longitude,
        )
    return existing


def _ensure_window(
    hall: ServiceHall, spec: WindowSpec, existing: Window | None, served: list[Department]
) -> bool:
    """Create or correct one window; True when it was created."""
    if existing is None:
        org_services.window_create(
            actor=None,
            hall=hall,
            number=spec.number,
            name=spec.name,
            kind=spec.kind,
            departments=served,
        )
        return True
    if (existing.name, existing.kind, existing.is_open) != (spec.name, spec.kind, True):
        org_services.window_update(
            actor=None, window=existing, name=spec.name, kind=spec.kind, is_open=True
        )
    if {d.pk for d in existing.departments.all()} != {d.pk for d in served}:
        org_services.window_set_departments(actor=None, window=existing, departments=served)
    return False


def load_halls(ctx: DemoContext) -> None:
    specs = build_halls(ctx.rng("halls"))
    regions = Region.objects.in_bulk({spec.region_code for spec in specs}, field_name="code")
    by_name = {(d.region.code, d.name): d for d in Department.objects.select_related("region")}
    departments = {spec.key: by_name[(spec.region_code, spec.name)] for spec in build_departments()}
    halls = {
        (h.region.code, h.name): h
        for h in ServiceHall.objects.select_related("region").prefetch_related(
            "windows__departments"
        )
    }
    created_halls = created_windows = 0
    for spec in specs:
        existing = halls.get((spec.region_code, spec.name))
        created_halls += existing is None
        hall = _ensure_hall(spec, regions[spec.region_code], existing)
        windows = {w.number: w for w in hall.windows.all()} if existing else {}
        for window in spec.windows:
            served = [departments[key] for key in window.department_keys]
            created_windows += _ensure_window(hall, window, windows.get(window.number), served)
    ctx.summary.add("政务服务大厅", total=ServiceHall.objects.count(), created=created_halls)
    ctx.summary.add("窗口", total=Window.objects.count(), created=created_windows)
