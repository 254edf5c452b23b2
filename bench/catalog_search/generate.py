"""Generate a province-sized catalogue for the search benchmark, straight into the database.

The shape follows real implementation lists: the same service items (real names, aliases,
materials and FAQ from the search tests' catalogue, with their 新办/变更/延续/注销 variants)
implemented again in every county and by the towns they delegate to, plus the bulk of a real
list, the administrative power items (行政处罚, 行政检查, 行政强制 …), whose long generated names
share words with the services ("对未取得食品经营许可从事食品经营活动的行政处罚"). Popularity is
skewed: services are popular, power items are not.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from yiwang.catalog.models import (
    Audience,
    BasicItem,
    Bundle,
    BundleMember,
    CaseType,
    FrequentQuestion,
    ItemType,
    MaterialRequirement,
    ServiceItem,
    ServiceItemVersion,
    Synonym,
    VersionStatus,
)
from yiwang.catalog.tests.search_catalogue import (
    BUNDLES,
    DEPARTMENTS,
    SYNONYMS,
    VARIANT_KINDS,
    ItemRow,
    all_items,
)
from yiwang.org.models import Department, DepartmentLevel, Region, RegionLevel
from yiwang.platform.validators import make_uscc

# fmt: off
COUNTY_NAMES = [
    "东城", "西城", "南湖", "北山", "清溪", "桃源", "白沙", "青石", "龙泉",
    "金溪", "云峰", "松涛", "玉带", "柳江", "凤凰", "鹤鸣", "梅岭", "竹林",
]
# fmt: on
TOWN_SUFFIXES = ["镇", "街道", "乡"]
SUBJECTS = [
    "食品经营者",
    "食品生产者",
    "餐饮服务提供者",
    "药品零售企业",
    "医疗机构",
    "建设单位",
    "施工单位",
    "旅馆经营者",
    "娱乐场所",
    "网吧经营单位",
    "道路运输经营者",
    "出租汽车经营者",
    "网约车平台公司",
    "用人单位",
    "职业介绍机构",
    "物业服务企业",
    "房地产开发企业",
    "排污单位",
    "危险化学品经营单位",
    "烟花爆竹经营单位",
    "农药经营者",
    "兽药经营企业",
    "种子生产经营者",
    "养犬人",
    "个体工商户",
    "公司",
    "农民专业合作社",
    "民办学校",
    "培训机构",
    "养老机构",
    "殡葬服务单位",
    "旅行社",
    "演出经纪机构",
    "广告经营者",
    "燃气经营企业",
    "供水单位",
    "特种设备使用单位",
    "电梯维保单位",
]
VIOLATIONS = [
    "未取得许可证从事经营活动",
    "超出许可范围经营",
    "伪造、变造许可证件",
    "未按规定办理变更登记",
    "未按规定公示信息",
    "拒不配合监督检查",
    "未建立安全管理制度",
    "未按规定备案",
    "使用未经检验的设备",
    "未按规定保存记录",
    "聘用无从业资格人员",
    "虚假宣传",
    "未按规定缴纳社会保险费",
    "拖欠劳动者工资",
    "违规排放污染物",
    "未按规定设置警示标志",
    "擅自改变用途",
    "未取得食品经营许可从事食品经营活动",
    "未办理营业执照从事经营活动",
    "未按规定进行年度报告",
    "未按规定提取住房公积金",
    "未按规定办理不动产登记",
]
POWER_FORMS = [
    ("对{s}{v}的行政处罚", ItemType.PENALTY),
    ("对{s}{v}的行政检查", ItemType.INSPECTION),
    ("对{s}{v}的查封扣押", ItemType.ENFORCEMENT),
]
FAQ_ANSWERS = [
    "可通过网上办事大厅提交申请，材料齐全的当场受理。",
    "请携带原件到政务服务中心综合窗口办理，也可预约办理。",
    "本事项实行容缺受理，非关键材料可在五个工作日内补齐。",
]


@dataclass
class Generated:
    items: int
    bundles: int
    distinct_names: int
    materials: int


_numbers = itertools.count(1)


def _uscc(region6: str) -> str:
    return make_uscc("1", "1", region6, f"{next(_numbers):08d}")


def _power_rows(rng: random.Random, count: int) -> list[ItemRow]:
    names = [form.format(s=s, v=v) for s in SUBJECTS for v in VIOLATIONS for form, _ in POWER_FORMS]
    rng.shuffle(names)
    return [
        ItemRow(
            "scj",
            name,
            "",
            ("2",),
            rng.randint(0, 20),
            ["现场检查笔录", "询问笔录", "证据材料"],
            None,
        )
        for name in names[:count]
    ]


def _service_rows() -> list[ItemRow]:
    rows = all_items()
    licences = [r for r in rows if r.name.endswith(("核发", "许可", "登记")) and "（" not in r.name]
    for row in licences:
        for kind in VARIANT_KINDS:
            rows.append(
                row._replace(
                    name=f"{row.name}（{kind}）", aliases="", popularity=row.popularity // 5
                )
            )
    return rows


@transaction.atomic
def generate(total_items: int = 50_000, seed: int = 20261122) -> Generated:
    rng = random.Random(seed)
    province, _ = Region.objects.get_or_create(
        code="350000", defaults={"name": "福建省", "level": RegionLevel.PROVINCE}
    )
    city, _ = Region.objects.get_or_create(
        code="359900", defaults={"name": "示范市", "level": RegionLevel.CITY, "parent": province}
    )
    counties = [
        Region.objects.create(
            code=f"3599{n + 1:02d}", name=f"{name}区", level=RegionLevel.COUNTY, parent=city
        )
        for n, name in enumerate(COUNTY_NAMES)
    ]
    towns = []
    for county in counties:
        for t in range(6):
            towns.append(
                Region.objects.create(
                    code=f"{county.code}{t + 1:03d}000",
                    name=f"{county.name[:-1]}{t + 1}{TOWN_SUFFIXES[t % 3]}",
                    level=RegionLevel.TOWN,
                    parent=county,
                )
            )
    departments: dict[tuple[str, str], Department] = {}
    for region in [city, *counties]:
        prefix = "示范市" if region == city else region.name
        for key, name in DEPARTMENTS.items():
            departments[(region.code, key)] = Department.objects.create(
                name=name.replace("示范市", prefix),
                uscc=_uscc(region.code[:6]),
                level=DepartmentLevel.CITY if region == city else DepartmentLevel.COUNTY,
                region=region,
            )
    for town in towns:
        departments[(town.code, "town")] = Department.objects.create(
            name=f"{town.name}便民服务中心",
            uscc=_uscc(town.code[:6]),
            level=DepartmentLevel.TOWN,
            region=town,
        )

    services = _service_rows()
    town_services = [r for r in services if "1" in r.service_objects][:60]  # delegated to towns
    per_county = len(services) + len(town_services) * 6
    power_budget = max(0, total_items - per_county * len(counties) - len(services))
    powers = _power_rows(rng, min(2500, max(1, power_budget // (len(counties) + 1))))

    plan: list[tuple[ItemRow, Region, Department, int]] = []
    for row in services:
        plan.append((row, city, departments[(city.code, row.department)], row.popularity * 3))
    for county in counties:
        for row in services:
            plan.append(
                (
                    row,
                    county,
                    departments[(county.code, row.department)],
                    rng.randint(0, row.popularity),
                )
            )
    for town in towns:
        for row in town_services:
            plan.append(
                (row, town, departments[(town.code, "town")], rng.randint(0, row.popularity // 3))
            )
    regions_cycle = itertools.cycle([city, *counties])
    while len(plan) < total_items:
        for row in powers:
            region = next(regions_cycle)
            plan.append((row, region, departments[(region.code, "scj")], row.popularity))
            if len(plan) >= total_items:
                break
    plan = plan[:total_items]

    basics: dict[str, BasicItem] = {}
    for row, *_ in plan:
        if row.name not in basics:
            basics[row.name] = BasicItem(
                basic_code=f"G{len(basics):06d}", name=row.name, item_type=ItemType.LICENSING
            )
    BasicItem.objects.bulk_create(basics.values(), batch_size=2000)
    items = ServiceItem.objects.bulk_create(
        (
            ServiceItem(
                implementation_code=f"{region.code}-{n:06d}",
                basic_item=basics[row.name],
                department=department,
                region=region,
                exercise_level="3" if region == city else "4",
                popularity=popularity,
            )
            for n, (row, region, department, popularity) in enumerate(plan)
        ),
        batch_size=2000,
    )
    now = timezone.now()
    versions = ServiceItemVersion.objects.bulk_create(
        (
            ServiceItemVersion(
                item=item,
                number=1,
                status=VersionStatus.PUBLISHED,
                published_at=now,
                valid_from=now,
                name=row.name,
                aliases=row.aliases,
                item_type=ItemType.LICENSING,
                case_type=CaseType.PROMISED,
                service_objects=list(row.service_objects),
            )
            for item, (row, *_) in zip(items, plan, strict=True)
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_serviceitem SET live_version_id = "
            "(SELECT v.id FROM catalog_serviceitemversion v "
            "WHERE v.item_id = catalog_serviceitem.id)"
        )
    materials = []
    faqs = []
    for version, (row, *_) in zip(versions, plan, strict=True):
        for order, name in enumerate(["申请表", *row.materials]):
            materials.append(MaterialRequirement(version=version, order=order, name=name))
        if row.faq:
            faqs.append(FrequentQuestion(version=version, question=row.faq[0], answer=row.faq[1]))
        elif rng.random() < 0.3:
            faqs.append(
                FrequentQuestion(
                    version=version,
                    question=f"{row.name}怎么办理？",
                    answer=rng.choice(FAQ_ANSWERS),
                )
            )
    MaterialRequirement.objects.bulk_create(materials, batch_size=5000)
    FrequentQuestion.objects.bulk_create(faqs, batch_size=5000)

    by_region_name = {
        (region.code, row.name): item for item, (row, region, *_) in zip(items, plan, strict=True)
    }
    bundle_count = 0
    for region in [city, *counties]:
        for name, aliases, audience, lead, popularity, members in BUNDLES:
            bundle = Bundle.objects.create(
                code=f"{region.code}-B{bundle_count}",
                name=name,
                aliases=aliases,
                audience=audience or Audience.PERSON,
                lead_department=departments[(region.code, lead)],
                promised_total_working_days=5,
                is_published=True,
                popularity=popularity if region == city else rng.randint(0, popularity),
            )
            BundleMember.objects.bulk_create(
                BundleMember(bundle=bundle, item=by_region_name[(region.code, m)], order=i)
                for i, m in enumerate(members)
                if (region.code, m) in by_region_name
            )
            bundle_count += 1
    Synonym.objects.bulk_create(
        (Synonym(term=t, expansion=e) for t, e in SYNONYMS.items()), ignore_conflicts=True
    )
    return Generated(len(items), bundle_count, len(basics), len(materials))


def analyse_tables() -> None:
    """After a bulk load, as an operator would: planner statistics for the loaded tables."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
