"""Typed helpers that build catalogue rows for tests, through the services (so what they build
passes the same validation and publication rules as what managers build).

    version = make_draft_version()                 # a licensing item, draft, publishable as is
    version = make_published_version(name="...")  # the same, published (item.live_version set)
    manager = make_catalogue_manager(version.item.department)
"""

from __future__ import annotations

import itertools
from typing import Any

from allauth.mfa.models import Authenticator

from yiwang.catalog import services
from yiwang.catalog.models import (
    Audience,
    BasicItem,
    Bundle,
    CaseType,
    ExerciseLevel,
    ItemType,
    LimitUnit,
    OnlineDepth,
    ResultType,
    ServiceItemVersion,
    Theme,
    ThemeKind,
)
from yiwang.identity.models import StaffMembership, StaffRole, User
from yiwang.org.models import Department, DepartmentLevel, Region, RegionLevel
from yiwang.platform.validators import make_uscc

_numbers = itertools.count(1)

LICENSING_STEPS = ["受理", "审核", "审批", "办结", "送达"]


def make_region(code: str = "359900", name: str = "示范市", **kwargs: Any) -> Region:
    region, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": RegionLevel.CITY, **kwargs}
    )
    return region


def make_department(**kwargs: Any) -> Department:
    """A city department of 示范市 (or of `region=`), with a valid USCC."""
    n = next(_numbers)
    region = kwargs.pop("region", None) or make_region()
    values: dict[str, Any] = {
        "name": f"示范市测试{n}局",
        "uscc": make_uscc("1", "1", region.code[:6], f"{9000000 + n:08d}"),
        "level": DepartmentLevel.CITY,
        "region": region,
    }
    values.update(kwargs)
    return Department.objects.create(**values)


def make_user(**kwargs: Any) -> User:
    n = next(_numbers)
    username = kwargs.pop("username", f"catalog-user{n}")
    return User.objects.create_user(username, "Passw0rd!x", **kwargs)


def make_basic_item(**kwargs: Any) -> BasicItem:
    n = next(_numbers)
    values: dict[str, Any] = {
        "basic_code": f"XK{n:05d}000",
        "name": f"食品经营许可（测试{n}）",
        "item_type": ItemType.LICENSING,
    }
    values.update(kwargs)
    return BasicItem.objects.create(**values)


def new_implementation_code(basic_item: BasicItem, department: Department, region: Region) -> str:
    """`XK00001000-359900000000-000-<USCC>-1-00`-shaped (GB/T 39554.1), unique per call."""
    region12 = region.code.ljust(12, "0")
    code = f"{basic_item.basic_code}-{region12}-{next(_numbers):03d}-{department.uscc}-1-00"
    return code[:64]


def publishable_guide_fields(**overrides: Any) -> dict[str, Any]:
    """Guide fields of a licensing item that pass every publication rule (with the children of
    `publishable_children`): promised 10 WD ≤ statutory 20 WD, 承诺件, depth III and one visit
    with its reason, free, a certificate with its sample, different phones."""
    fields: dict[str, Any] = {
        "item_type": ItemType.LICENSING,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "exercise_content": "食品经营许可的核发",
        "case_type": CaseType.PROMISED,
        "statutory_limit_value": 20,
        "statutory_limit_unit": LimitUnit.WORKING_DAY,
        "promised_limit_value": 10,
        "promised_limit_unit": LimitUnit.WORKING_DAY,
        "conditions": "申请人具有与经营的食品品种、数量相适应的经营场所。",
        "handling_forms": ["1", "2", "3"],
        "visit_count": 1,
        "onsite_reason": "需现场核验原件。",
        "online_depth": OnlineDepth.PREVIEW,
        "service_objects": ["1", "2"],
        "appointment_supported": True,
        "result_type": ResultType.CERTIFICATE,
        "result_name": "食品经营许可证",
        "result_sample": "catalog/samples/food-licence-sample.pdf",
        "address": "示范市人民路1号市民服务中心二楼",
        "office_hours": "周一至周五 上午9:00-12:00 下午13:30-17:30",
        "consultation_phone": "0599-12345678",
        "complaint_phone": "12345",
    }
    fields.update(overrides)
    return fields


def publishable_children() -> dict[str, list[dict[str, Any]]]:
    """Materials, a FAQ and the five licensing steps (keys as `service_item_create` takes)."""
    return {
        "materials": [
            {
                "name": "食品经营许可申请书",
                "form": "both",
                "necessity": "required",
                "source": "applicant",
            },
            {
                "name": "营业执照",
                "form": "electronic",
                "necessity": "required",
                "source": "government",
                "accepted_licence_types": ["business_licence"],
            },
            {
                "name": "法定代表人身份证",
                "original_or_copy": "copy",
                "necessity": "required",
                "source": "government",
                "accepted_licence_types": ["resident_id_card"],
            },
        ],
        "faqs": [
            {"question": "办理需要多长时间？", "answer": "材料齐全的，10个工作日内办结。"},
        ],
        "procedure": [{"name": step, "description": f"{step}环节"} for step in LICENSING_STEPS],
    }


def make_draft_version(
    *,
    department: Department | None = None,
    region: Region | None = None,
    basic_item: BasicItem | None = None,
    by: User | None = None,
    exercise_level: str = ExerciseLevel.CITY,
    themes: list[Theme] | None = None,
    children: dict[str, list[dict[str, Any]]] | None = None,
    **guide_fields: Any,
) -> ServiceItemVersion:
    """A new item with its first draft, publishable as is unless the overrides break a rule."""
    department = department or make_department()
    region = region or department.region
    basic_item = basic_item or make_basic_item()
    rows = publishable_children() if children is None else children
    fields = publishable_guide_fields(**guide_fields)
    fields.setdefault("name", basic_item.name)
    return services.service_item_create(
        basic_item=basic_item,
        implementation_code=new_implementation_code(basic_item, department, region),
        department=department,
        region=region,
        exercise_level=exercise_level,
        by=by,
        themes=themes,
        materials=rows.get("materials"),
        fees=rows.get("fees"),
        faqs=rows.get("faqs"),
        procedure=rows.get("procedure"),
        special_steps=rows.get("special_steps"),
        handling_items=rows.get("handling_items"),
        **fields,
    )


def make_published_version(*, by: User | None = None, **kwargs: Any) -> ServiceItemVersion:
    """`make_draft_version(...)` published (the item's live version)."""
    return services.version_publish(version=make_draft_version(by=by, **kwargs), by=by)


def make_theme(**kwargs: Any) -> Theme:
    n = next(_numbers)
    values: dict[str, Any] = {
        "code": f"theme-{n}",
        "name": f"测试主题{n}",
        "audience": Audience.PERSON,
        "kind": ThemeKind.THEME,
        "order": n,
    }
    values.update(kwargs)
    return Theme.objects.create(**values)


def make_catalogue_manager(department: Department, **kwargs: Any) -> User:
    """A staff user holding 事项管理员 in `department`, second factor set up (can open /admin/)."""
    return make_staff_user(department, StaffRole.CATALOGUE_MANAGER, **kwargs)


def make_staff_user(department: Department, role: str, **kwargs: Any) -> User:
    user = make_user(is_staff=True, **kwargs)
    StaffMembership.objects.create(user=user, department=department, role=role)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def make_bundle(
    *,
    members: list[ServiceItemVersion] | None = None,
    lead_department: Department | None = None,
    by: User | None = None,
    **kwargs: Any,
) -> Bundle:
    """A bundle of the given published versions' items (default: two new ones of two
    departments), the first member's department leading and the others supporting."""
    versions = members or [make_published_version(), make_published_version()]
    lead = lead_department or versions[0].item.department
    supporting = {v.item.department.pk: v.item.department for v in versions}
    supporting.pop(lead.pk, None)
    n = next(_numbers)
    values: dict[str, Any] = {
        "code": f"bundle-{n}",
        "name": f"开办餐饮店一件事（测试{n}）",
        "audience": Audience.ENTERPRISE,
        "promised_total_working_days": 15,
        "supporting_departments": list(supporting.values()),
        "members": [{"item": v.item} for v in versions],
    }
    values.update(kwargs)
    return services.bundle_create(lead_department=lead, by=by, **values)
