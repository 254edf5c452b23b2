"""A realistic catalogue for the search tests, built straight from the models: 220+ items of a
city with real item names, aliases, materials and FAQ, bundles and colloquial synonyms.

It is independent of the demo data, so that the labelled query set (`search_queries.py`) always
runs against the same catalogue. Items are written with `bulk_create` and indexed in one rebuild.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

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
from yiwang.catalog.search import search_index_rebuild
from yiwang.org.models import Department, DepartmentLevel, Region, RegionLevel
from yiwang.platform.validators import make_uscc

DEPARTMENTS = {
    "gaj": "示范市公安局",
    "scj": "示范市市场监督管理局",
    "wjw": "示范市卫生健康委员会",
    "rsj": "示范市人力资源和社会保障局",
    "ybj": "示范市医疗保障局",
    "gjj": "示范市住房公积金管理中心",
    "zjj": "示范市住房和城乡建设局",
    "zrj": "示范市自然资源和规划局",
    "bdc": "示范市不动产登记中心",
    "mzj": "示范市民政局",
    "cl": "示范市残疾人联合会",
    "swj": "国家税务总局示范市税务局",
    "jtj": "示范市交通运输局",
    "jyj": "示范市教育局",
    "hbj": "示范市生态环境局",
    "wlj": "示范市文化和旅游局",
    "tyj": "示范市退役军人事务局",
    "sfj": "示范市司法局",
    "xf": "示范市消防救援支队",
    "cgj": "示范市城市管理局",
    "nyj": "示范市农业农村局",
    "slj": "示范市水利局",
    "yjj": "示范市应急管理局",
    "swu": "示范市商务局",
    "yc": "示范市烟草专卖局",
    "gd": "国网示范供电公司",
    "sw": "示范市自来水公司",
}

LIC = "营业执照"
FORM = "申请表"
AUDIENCES = {"P": ("1",), "E": ("2",), "PE": ("1", "2")}
ITEMS_FILE = Path(__file__).with_name("search_catalogue_items.tsv")


class ItemRow(NamedTuple):
    department: str
    name: str
    aliases: str
    service_objects: tuple[str, ...]
    popularity: int
    materials: list[str]
    faq: tuple[str, str] | None


def read_items() -> list[ItemRow]:
    """The items table: department key, name, aliases, audience (P/E/PE), popularity,
    materials separated by "；", one FAQ as "question=answer" (tab-separated columns)."""
    rows = []
    for line in ITEMS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        department, name, aliases, audience, popularity, materials, faq = line.split("\t")
        question, _, answer = faq.partition("=")
        rows.append(
            ItemRow(
                department,
                name,
                aliases,
                AUDIENCES[audience],
                int(popularity),
                [m for m in materials.split("；") if m],
                (question, answer) if faq else None,
            )
        )
    return rows


# Handling variants of licences, as real implementation lists carry them (新办/变更/延续/注销).
VARIANTS: list[tuple[str, str, int]] = [
    ("scj", "药品零售企业经营许可", 50),
    ("wjw", "公共场所卫生许可证", 60),
    ("wjw", "医疗机构执业登记", 30),
    ("zjj", "建筑业企业资质", 40),
    ("zjj", "燃气经营许可证", 10),
    ("hbj", "排污许可证", 50),
    ("wlj", "娱乐场所经营许可", 20),
    ("wlj", "互联网上网服务营业场所经营许可", 20),
    ("jtj", "道路旅客运输经营许可", 15),
    ("jtj", "道路货物运输经营许可", 40),
    ("yjj", "危险化学品经营许可证", 20),
    ("yc", "烟草专卖零售许可证", 60),
    ("nyj", "农药经营许可", 10),
    ("nyj", "兽药经营许可证", 10),
    ("gaj", "保安服务许可证", 5),
]
VARIANT_KINDS = ("变更", "延续", "注销")

SYNONYMS = {
    "开饭店": "食品经营许可 企业开办 小餐饮",
    "开餐馆": "食品经营许可 企业开办 小餐饮",
    "开小吃店": "小餐饮 食品经营许可",
    "生孩子": "生育登记 出生医学证明 出生登记 出生一件事",
    "生小孩": "生育登记 出生医学证明 出生登记",
    "开公司": "企业设立登记 企业开办",
    "开店": "个体工商户设立登记 食品经营许可",
    "退休": "职工基本养老保险待遇申领 退休一件事",
    "买房": "商品房买卖合同网签备案 不动产首次登记 公积金贷款",
    "卖房": "转移登记 二手房过户",
    "结婚": "结婚登记",
    "失业": "失业保险金申领 就业创业证",
    "养狗": "养犬登记",
    "盖房子": "建筑工程施工许可 乡村建设规划许可 宅基地",
    "上学": "义务教育入学报名",
    "去世": "身后一件事 死亡医学证明 户口注销",
    "出国": "普通护照签发",
    "看病": "异地就医备案 医疗费用零星报销",
    "交社保": "灵活就业人员参保登记 城乡居民基本养老保险参保登记",
}

# (name, aliases, audience, lead department, popularity, member item names)
BUNDLES: list[tuple[str, str, str, str, int, list[str]]] = [
    (
        "企业开办一件事",
        "开办企业，开公司一件事",
        Audience.ENTERPRISE,
        "scj",
        880,
        ["企业设立登记", "印章刻制备案", "发票领用", "单位参保登记", "住房公积金缴存登记"],
    ),
    (
        "开餐馆一件事",
        "开饭店一件事，开小吃店",
        Audience.ENTERPRISE,
        "scj",
        700,
        [
            "企业设立登记",
            "食品经营许可证核发",
            "户外广告设施设置审批",
            "公众聚集场所投入使用营业前消防安全检查",
        ],
    ),
    (
        "出生一件事",
        "新生儿出生一件事",
        Audience.PERSON,
        "wjw",
        750,
        [
            "出生医学证明办理",
            "出生登记（户口）",
            "城乡居民基本医疗保险参保登记",
            "社会保障卡申领",
            "预防接种证办理",
        ],
    ),
    (
        "退休一件事",
        "",
        Audience.PERSON,
        "rsj",
        500,
        ["职工基本养老保险待遇申领", "住房公积金提取", "基本医疗保险关系转移接续"],
    ),
    (
        "身后一件事",
        "逝者身后事",
        Audience.PERSON,
        "mzj",
        300,
        ["死亡医学证明办理", "死亡户口注销", "惠民殡葬补贴申领"],
    ),
    (
        "二手房转移登记及水电气联动过户一件事",
        "二手房买卖一件事",
        Audience.PERSON,
        "bdc",
        420,
        ["国有建设用地使用权及房屋所有权转移登记", "用电过户", "用水过户", "房产交易契税申报"],
    ),
    ("结婚一件事", "", Audience.PERSON, "mzj", 380, ["结婚登记", "户口迁移登记"]),
    ("入学一件事", "", Audience.PERSON, "jyj", 360, ["义务教育入学报名", "中小学学籍转接"]),
]


@dataclass
class Catalogue:
    items: dict[str, ServiceItem]
    bundles: dict[str, Bundle]
    departments: dict[str, Department]


_codes = itertools.count(1)


def all_items() -> list[ItemRow]:
    rows = read_items()
    for department, base, popularity in VARIANTS:
        for kind in VARIANT_KINDS:
            name = f"{base}（{kind}）"
            rows.append(
                ItemRow(department, name, "", ("2",), popularity, [LIC, f"{kind}申请书"], None)
            )
    return rows


def build_catalogue(*, index: bool = True) -> Catalogue:
    region, _ = Region.objects.get_or_create(
        code="359900", defaults={"name": "示范市", "level": RegionLevel.CITY}
    )
    departments = {}
    for key, name in DEPARTMENTS.items():
        departments[key] = Department.objects.create(
            name=name,
            uscc=make_uscc("1", "1", "359900", f"{next(_codes) + 70_000_000:08d}"),
            level=DepartmentLevel.CITY,
            region=region,
        )
    rows = all_items()
    batch = next(_codes)
    basics = BasicItem.objects.bulk_create(
        BasicItem(basic_code=f"S{batch}-{n:04d}", name=row.name, item_type=ItemType.LICENSING)
        for n, row in enumerate(rows)
    )
    items = ServiceItem.objects.bulk_create(
        ServiceItem(
            implementation_code=f"S{batch}-{n:04d}",
            basic_item=basics[n],
            department=departments[row.department],
            region=region,
            exercise_level="3",
            popularity=row.popularity,
        )
        for n, row in enumerate(rows)
    )
    now = timezone.now()
    versions = ServiceItemVersion.objects.bulk_create(
        ServiceItemVersion(
            item=items[n],
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
        for n, row in enumerate(rows)
    )
    for item, version in zip(items, versions, strict=True):
        item.live_version = version
    ServiceItem.objects.bulk_update(items, ["live_version"])
    materials = []
    faqs = []
    for version, row in zip(versions, rows, strict=True):
        for order, name in enumerate([FORM, *row.materials]):
            materials.append(MaterialRequirement(version=version, order=order, name=name))
        if row.faq:
            question, answer = row.faq
            faqs.append(FrequentQuestion(version=version, question=question, answer=answer))
    MaterialRequirement.objects.bulk_create(materials)
    FrequentQuestion.objects.bulk_create(faqs)
    by_name = {row.name: item for row, item in zip(rows, items, strict=True)}
    bundles: dict[str, Bundle] = {}
    for name, aliases, audience, lead, popularity, members in BUNDLES:
        bundle = Bundle.objects.create(
            code=f"B{batch}-{len(bundles)}",
            name=name,
            aliases=aliases,
            audience=audience,
            lead_department=departments[lead],
            promised_total_working_days=5,
            is_published=True,
            popularity=popularity,
        )
        BundleMember.objects.bulk_create(
            BundleMember(bundle=bundle, item=by_name[m], order=i) for i, m in enumerate(members)
        )
        bundles[name] = bundle
    Synonym.objects.bulk_create(Synonym(term=t, expansion=e) for t, e in SYNONYMS.items())
    if index:
        search_index_rebuild()
    return Catalogue(by_name, bundles, departments)
