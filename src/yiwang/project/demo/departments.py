"""The departments of 示范市: ~40 city-level bodies, each district's branches and a service
centre in each district's seat town.

Every department has a stable `key` (`"market"`, `"359921:market"`, `"359921101:centre"`) that
other loaders use to find it (`demo_department(key)`). Unified social credit codes are derived
from the department's name, so they stay the same whatever the seed; government bodies use
registration authority 1 (机构编制) with category 1 (机关) or 2 (事业单位), public-service
companies authority 9 (市场监管) category 1 (企业). Consultation numbers are national short
numbers where one exists, otherwise local numbers in the (fictional) area code 0590.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from yiwang.org import services as org_services
from yiwang.org.models import Department, DepartmentKind, DepartmentLevel, Region
from yiwang.platform.validators import USCC_ALPHABET, make_uscc
from yiwang.project.demo.context import DemoContext
from yiwang.project.demo.regions import CITY_CODE, CITY_NAME, COUNTIES, County, town_code

AREA_CODE = "0590"


@dataclass(frozen=True)
class DepartmentSpec:
    key: str
    name: str
    short_name: str
    region_code: str
    level: DepartmentLevel
    kind: DepartmentKind = DepartmentKind.AGENCY
    parent_key: str | None = None
    phone: str = ""  # empty: a local number is drawn from the seed


_A, _I, _U = DepartmentKind.AGENCY, DepartmentKind.INSTITUTION, DepartmentKind.PUBLIC_UTILITY

# (key, name after 示范市, short name, kind, parent key, phone)
_CITY: tuple[tuple[str, str, str, DepartmentKind, str | None, str], ...] = (
    ("approval", "行政审批局", "市行政审批局", _A, None, ""),
    ("service_centre", "政务服务中心管理委员会", "市政务服务中心管委会", _A, None, ""),
    ("hotline", "12345政务服务便民热线中心", "市12345热线中心", _I, "service_centre", "12345"),
    ("data", "数据管理局", "市数据管理局", _A, None, ""),
    ("development", "发展和改革委员会", "市发改委", _A, None, ""),
    ("industry", "工业和信息化局", "市工信局", _A, None, ""),
    ("finance", "财政局", "市财政局", _A, None, ""),
    ("market", "市场监督管理局", "市市场监管局", _A, None, "12315"),
    # No phone for the police units: 110 and 122 are emergency lines, not for service questions.
    ("police", "公安局", "市公安局", _A, None, ""),
    ("exit_entry", "公安局出入境管理支队", "市出入境管理支队", _A, "police", ""),
    ("traffic_police", "公安局交通警察支队", "市交警支队", _A, "police", ""),
    ("human_resources", "人力资源和社会保障局", "市人社局", _A, None, "12333"),
    ("social_insurance", "社会保险中心", "市社保中心", _I, "human_resources", ""),
    ("medical_insurance", "医疗保障局", "市医保局", _A, None, "12393"),
    ("housing", "住房和城乡建设局", "市住建局", _A, None, ""),
    ("housing_fund", "住房公积金中心", "市公积金中心", _I, None, "12329"),
    ("natural_resources", "自然资源和规划局", "市资源规划局", _A, None, "12336"),
    ("real_estate", "不动产登记中心", "市不动产登记中心", _I, "natural_resources", ""),
    ("health", "卫生健康委员会", "市卫健委", _A, None, "12320"),
    ("civil_affairs", "民政局", "市民政局", _A, None, ""),
    ("education", "教育局", "市教育局", _A, None, ""),
    ("transport", "交通运输局", "市交通运输局", _A, None, "12328"),
    ("environment", "生态环境局", "市生态环境局", _A, None, "12369"),
    ("urban_management", "城市管理局", "市城管局", _A, None, "12319"),
    ("justice", "司法局", "市司法局", _A, None, "12348"),
    ("water", "水利局", "市水利局", _A, None, "12314"),
    ("agriculture", "农业农村局", "市农业农村局", _A, None, "12316"),
    ("forestry", "林业局", "市林业局", _A, None, ""),
    ("culture_tourism", "文化和旅游局", "市文旅局", _A, None, "12318"),
    ("emergency", "应急管理局", "市应急管理局", _A, None, "12350"),
    ("veterans", "退役军人事务局", "市退役军人事务局", _A, None, ""),
    ("commerce", "商务局", "市商务局", _A, None, ""),
    ("efficiency", "机关效能建设领导小组办公室", "市效能办", _A, None, ""),
    ("supervision", "纪委监委电子监察室", "市电子监察室", _A, "efficiency", ""),
    ("water_supply", "自来水有限公司", "市自来水公司", _U, None, ""),
    ("gas", "燃气有限公司", "市燃气公司", _U, None, ""),
)


def _city_departments() -> list[DepartmentSpec]:
    specs = [
        DepartmentSpec(
            key=key,
            name=f"{CITY_NAME}{name}",
            short_name=short,
            region_code=CITY_CODE,
            level=DepartmentLevel.CITY,
            kind=kind,
            parent_key=parent,
            phone=phone,
        )
        for key, name, short, kind, parent, phone in _CITY
    ]
    # Two that are not named "示范市…": the tax bureau is vertically managed by the State
    # Taxation Administration, the grid company belongs to State Grid.
    specs.append(
        DepartmentSpec(
            "tax", f"国家税务总局{CITY_NAME}税务局", "市税务局", CITY_CODE, DepartmentLevel.CITY,
            phone="12366",
        )
    )  # fmt: skip
    specs.append(
        DepartmentSpec(
            "power", f"国网{CITY_NAME}供电公司", "市供电公司", CITY_CODE, DepartmentLevel.CITY,
            kind=_U, phone="95598",
        )
    )  # fmt: skip
    return specs


def _county_departments(county: County) -> list[DepartmentSpec]:
    code, name = county.code, county.name
    is_district = name.endswith("区")
    # A district's police is a branch of the city bureau (示范市公安局东城分局); a county's and a
    # county-level city's is a bureau of its own (清溪县公安局).
    police = f"{CITY_NAME}公安局{name[:-1]}分局" if is_district else f"{name}公安局"
    police_short = f"{name[:-1]}公安分局" if is_district else f"{name[:-1]}公安局"
    level = DepartmentLevel.COUNTY
    seat_number, seat = county.towns[0]
    return [
        DepartmentSpec(f"{code}:approval", f"{name}行政审批局", f"{name}审批局", code, level,
                       parent_key="approval"),
        DepartmentSpec(f"{code}:market", f"{name}市场监督管理局", f"{name}市场监管局", code,
                       level, parent_key="market"),
        DepartmentSpec(f"{code}:human_resources", f"{name}人力资源和社会保障局",
                       f"{name}人社局", code, level, parent_key="human_resources"),
        DepartmentSpec(f"{code}:police", police, police_short, code, level, parent_key="police"),
        DepartmentSpec(f"{code}{seat_number}:centre", f"{seat}便民服务中心", f"{seat}便民服务中心",
                       town_code(code, seat_number), DepartmentLevel.TOWN,
                       parent_key=f"{code}:approval"),
    ]  # fmt: skip


def build_departments() -> list[DepartmentSpec]:
    """Every demo department, each after its parent."""
    specs = _city_departments()
    for county in COUNTIES:
        specs += _county_departments(county)
    return specs


def department_uscc(spec: DepartmentSpec) -> str:
    """A valid USCC that depends only on the department's name and region."""
    digest = hashlib.sha256(f"{spec.region_code}:{spec.name}".encode()).digest()
    if spec.kind == DepartmentKind.PUBLIC_UTILITY:
        letters = USCC_ALPHABET[10:]
        body = "MA" + "".join(USCC_ALPHABET[b % len(USCC_ALPHABET)] for b in digest[:5])
        body += letters[digest[5] % len(letters)]
        return make_uscc("9", "1", spec.region_code[:6], body)
    number = int.from_bytes(digest[:8], "big") % 1_000_000
    if spec.kind == DepartmentKind.INSTITUTION:
        return make_uscc("1", "2", spec.region_code[:6], f"MB{number:06d}")
    return make_uscc("1", "1", spec.region_code[:6], f"00{number:06d}")


def _phone(rng: random.Random, spec: DepartmentSpec) -> str:
    # Drawn for every department, so that each keeps its number when a short number is given.
    local = f"{AREA_CODE}-{rng.randint(8_100_000, 8_899_999)}"
    return spec.phone or local


def _differs(
    department: Department, spec: DepartmentSpec, uscc: str, phone: str, parent: Department | None
) -> bool:
    wanted = (spec.short_name, uscc, spec.level, spec.kind, parent, phone, True)
    have = (
        department.short_name,
        department.uscc,
        department.level,
        department.kind,
        department.parent,
        department.phone,
        department.is_active,
    )
    return wanted != have  # fmt: skip


def load_departments(ctx: DemoContext) -> None:
    rng = ctx.rng("departments")
    specs = build_departments()
    regions = Region.objects.in_bulk({spec.region_code for spec in specs}, field_name="code")
    existing = {
        (d.region.code, d.name): d for d in Department.objects.select_related("region", "parent")
    }
    by_key: dict[str, Department] = {}
    created = 0
    for spec in specs:
        parent = by_key[spec.parent_key] if spec.parent_key else None
        uscc, phone = department_uscc(spec), _phone(rng, spec)
        department = existing.get((spec.region_code, spec.name))
        if department is None:
            department = org_services.department_create(
                actor=None,
                name=spec.name,
                short_name=spec.short_name,
                uscc=uscc,
                level=spec.level,
                kind=spec.kind,
                region=regions[spec.region_code],
                parent=parent,
                phone=phone,
            )
            created += 1
        elif _differs(department, spec, uscc, phone, parent):
            org_services.department_update(
                actor=None,
                department=department,
                short_name=spec.short_name,
                uscc=uscc,
                level=spec.level,
                kind=spec.kind,
                parent=parent,
                phone=phone,
                is_active=True,
            )
        by_key[spec.key] = department
    ctx.summary.add("部门", total=Department.objects.count(), created=created)


def demo_department(key: str) -> Department:
    """A demo department by its key: `"market"` (示范市市场监督管理局), `"359921:market"`
    (清溪县市场监督管理局), `"359921101:centre"` (城关镇便民服务中心)."""
    spec = next((spec for spec in build_departments() if spec.key == key), None)
    if spec is None:
        raise KeyError(f"no demo department with key {key!r}")
    return Department.objects.select_related("region").get(
        region__code=spec.region_code, name=spec.name
    )
