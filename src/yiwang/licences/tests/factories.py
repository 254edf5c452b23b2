"""Test data for the licence library: types, departments with staff, issued licences."""

from __future__ import annotations

import io
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from yiwang.identity.models import StaffMembership, User
from yiwang.licences.holders import Holder
from yiwang.licences.models import Licence, LicenceType
from yiwang.licences.services import LicenceTypeData, licence_issue, licence_type_save
from yiwang.licences.workflow import HolderKind, ValidityRule
from yiwang.org.models import Department, DepartmentLevel, Region, RegionLevel
from yiwang.platform.validators import make_uscc

_numbers = itertools.count(1)

MARRIAGE_FACE = [
    {"key": "spouse_name", "label": "配偶姓名", "kind": "text", "required": True, "max_length": 50},
    {"key": "registered_on", "label": "登记日期", "kind": "date", "required": True},
    {"key": "remarks", "label": "备注", "kind": "text", "required": False},
]
BUSINESS_FACE = [
    {"key": "legal_representative", "label": "法定代表人", "kind": "text", "required": True},
    {"key": "registered_capital", "label": "注册资本（万元）", "kind": "number", "required": True},
    {
        "key": "entity_type",
        "label": "类型",
        "kind": "choice",
        "required": True,
        "choices": ["有限责任公司", "个人独资企业", "合伙企业"],
    },
]


def make_department(**kwargs: Any) -> Department:
    city, _ = Region.objects.get_or_create(
        code="359900", defaults={"name": "示范市", "level": RegionLevel.CITY}
    )
    n = next(_numbers)
    values: dict[str, Any] = {
        "name": f"示范市证照测试{n}局",
        "uscc": make_uscc("1", "1", "359900", f"{8000000 + n:08d}"),
        "level": DepartmentLevel.CITY,
        "region": city,
    }
    values.update(kwargs)
    return Department.objects.create(**values)


def make_user(**kwargs: Any) -> User:
    n = next(_numbers)
    return User.objects.create_user(f"licence-user{n}", "Passw0rd!x", **kwargs)


def make_staff(department: Department, role: str) -> User:
    user = make_user(is_staff=True)
    StaffMembership.objects.create(user=user, department=department, role=role)
    return user


def make_licence_type(**kwargs: Any) -> LicenceType:
    n = next(_numbers)
    values: dict[str, Any] = {
        "code": f"TEST_TYPE_{n}",
        "type_code": f"11100000000013338W{n % 1000:03d}",
        "name": f"测试证照{n}",
        "defining_authority": "民政部",
        "holder_kind": HolderKind.CITIZEN,
        "face_fields": MARRIAGE_FACE,
        "validity_rule": ValidityRule.LONG_TERM,
    }
    values.update(kwargs)
    return licence_type_save(data=LicenceTypeData(**values), actor=None)


def marriage_face(**overrides: str) -> dict[str, str]:
    return {"spouse_name": "李秀英", "registered_on": "2020-05-20", **overrides}


def make_licence(
    *,
    holder: Holder,
    licence_type: LicenceType | None = None,
    issuer: Department | None = None,
    face: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Licence:
    licence_type = licence_type or make_licence_type()
    return licence_issue(
        licence_type=licence_type,
        holder=holder,
        issuer=issuer or make_department(),
        face=face if face is not None else marriage_face(),
        actor=None,
        **kwargs,
    )


def citizen(person: Any) -> Holder:
    return Holder(HolderKind.CITIZEN, person.citizen_id, person.name)


def enterprise(ent: Any) -> Holder:
    return Holder(HolderKind.ENTERPRISE, ent.uscc, ent.name)


MARRIAGE_IMPORT_COLUMNS = (
    "证照类型简码",
    "证照编号",
    "持证主体名称",
    "持证主体代码类型",
    "持证主体代码",
    "颁证日期",
    "配偶姓名",
    "登记日期",
)


def marriage_workbook(rows: list[list[Any]], name: str = "licences.xlsx") -> SimpleUploadedFile:
    """An import workbook for the `marriage` type's face (header row, then `rows`)."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(list(MARRIAGE_IMPORT_COLUMNS))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
