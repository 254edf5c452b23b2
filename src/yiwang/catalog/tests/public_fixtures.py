"""A small published catalogue built straight from the models, for the public pages' tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from yiwang.catalog.models import (
    Audience,
    BasicItem,
    Bundle,
    BundleMember,
    CaseType,
    FeeItem,
    FrequentQuestion,
    ItemType,
    LimitUnit,
    MaterialRequirement,
    ProcedureStep,
    ServiceItem,
    ServiceItemVersion,
    Theme,
    ThemeKind,
    VersionStatus,
)
from yiwang.catalog.tests.factories import make_department
from yiwang.org.models import Department, Region, RegionLevel


@dataclass
class MiniCatalogue:
    department: Department
    food_licence: ServiceItem
    id_card: ServiceItem
    draft_only: ServiceItem
    birth: Theme
    bundle: Bundle


def _region() -> Region:
    region, _ = Region.objects.get_or_create(
        code="359900", defaults={"name": "示范市", "level": RegionLevel.CITY}
    )
    return region


def published_item(
    *,
    code: str,
    name: str,
    department: Department,
    visits: int = 1,
    depth: int = 3,
    case_type: str = CaseType.PROMISED,
    promised: int = 5,
    charged: bool = False,
    popularity: int = 0,
    service_objects: tuple[str, ...] = ("1",),
    number: int = 1,
) -> ServiceItem:
    basic, _ = BasicItem.objects.get_or_create(
        basic_code=f"B-{code}", defaults={"name": name, "item_type": ItemType.LICENSING}
    )
    item = ServiceItem.objects.create(
        implementation_code=code,
        basic_item=basic,
        department=department,
        region=department.region,
        exercise_level="3",
        popularity=popularity,
    )
    version = ServiceItemVersion.objects.create(
        item=item,
        number=number,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
        name=name,
        item_type=ItemType.LICENSING,
        case_type=case_type,
        promised_limit_value=promised if case_type == CaseType.PROMISED else 0,
        promised_limit_unit=LimitUnit.WORKING_DAY,
        statutory_limit_value=20,
        statutory_limit_unit=LimitUnit.WORKING_DAY,
        visit_count=visits,
        onsite_reason="核验原件" if visits else "",
        online_depth=depth,
        charged=charged,
        service_objects=list(service_objects),
        conditions="申请人应当具有与经营的食品品种相适应的经营场所。",
        legal_basis="《中华人民共和国食品安全法》第三十五条",
    )
    item.live_version = version
    item.save(update_fields=["live_version"])
    return item


def build_mini_catalogue() -> MiniCatalogue:
    region = _region()
    department = make_department(name="示范市市场监督管理局", region=region)
    police = make_department(name="示范市公安局", region=region)
    food = published_item(
        code="FOOD-1",
        name="食品经营许可证核发",
        department=department,
        visits=0,
        depth=4,
        popularity=90,
        service_objects=("1", "2"),
    )
    version = food.live_version
    assert version is not None
    form = MaterialRequirement.objects.create(
        version=version, order=1, name="食品经营许可申请书", accepted_licence_types=[]
    )
    form.blank_form.save("食品经营许可申请书.xlsx", ContentFile(b"PK\x03\x04demo"), save=True)
    MaterialRequirement.objects.create(
        version=version, order=2, name="营业执照", accepted_licence_types=["BUSINESS_LICENCE"]
    )
    for order, step in enumerate(["受理", "审核", "审批", "办结", "送达"], start=1):
        ProcedureStep.objects.create(version=version, order=order, name=step)
    FrequentQuestion.objects.create(
        version=version, question="小餐饮需要办理吗？", answer="小餐饮实行登记管理。"
    )
    id_card = published_item(
        code="ID-1",
        name="居民身份证换领",
        department=police,
        visits=1,
        depth=3,
        charged=True,
        popularity=50,
    )
    id_version = id_card.live_version
    assert id_version is not None
    FeeItem.objects.create(
        version=id_version,
        name="工本费",
        standard="每证20元",
        amount_yuan=20,
        basis="价费字〔2003〕",
    )
    draft_only = ServiceItem.objects.create(
        implementation_code="DRAFT-1",
        basic_item=BasicItem.objects.get(basic_code="B-FOOD-1"),
        department=department,
        region=region,
        exercise_level="3",
    )
    ServiceItemVersion.objects.create(
        item=draft_only,
        number=1,
        name="尚未发布的事项",
        item_type=ItemType.LICENSING,
        case_type=CaseType.PROMISED,
    )
    birth = Theme.objects.create(
        code="birth",
        name="生育",
        audience=Audience.PERSON,
        kind=ThemeKind.LIFE_EVENT,
        steps_note="出生医学证明\n新生儿落户\n医保参保",
    )
    id_version.themes.add(birth)
    bundle = Bundle.objects.create(
        code="OPEN-RESTAURANT",
        name="开办餐饮店一件事",
        audience=Audience.ENTERPRISE,
        lead_department=department,
        promised_total_working_days=5,
        is_published=True,
    )
    bundle.supporting_departments.add(police)
    BundleMember.objects.create(bundle=bundle, item=food, order=1)
    return MiniCatalogue(department, food, id_card, draft_only, birth, bundle)
