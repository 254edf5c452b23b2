"""Writes about the organisation. Every write is atomic and audited.

Regions are never deleted: a code that changes is retired (`valid_to`, the first day it is no
longer used) and points at its successor, so that old cases and licences keep resolving.
Departments are deactivated, not deleted, for the same reason.

Update services take only the fields to change; a field left out (`UNSET`) keeps its value.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction

from yiwang.org.models import (
    Department,
    DepartmentKind,
    DepartmentLevel,
    Region,
    RegionLevel,
    ServiceHall,
    Window,
    WindowKind,
    region_code_prefix,
    region_level_of_code,
)
from yiwang.platform.errors import Conflict, FieldError, InvalidInput
from yiwang.platform.services import audit_record
from yiwang.platform.validators import normalise_region_code, normalise_uscc

Actor = AbstractBaseUser | AnonymousUser | None
M = TypeVar("M", bound=models.Model)


class Unset(enum.Enum):
    """Marks an update argument that was not given (None is a real value for some fields)."""

    UNSET = enum.auto()


UNSET = Unset.UNSET

# A department sits at the level of its region, one step down the GB/T 39046 scale.
_DEPARTMENT_LEVEL_OF_REGION = {
    RegionLevel.PROVINCE: DepartmentLevel.PROVINCE,
    RegionLevel.CITY: DepartmentLevel.CITY,
    RegionLevel.COUNTY: DepartmentLevel.COUNTY,
    RegionLevel.TOWN: DepartmentLevel.TOWN,
    RegionLevel.VILLAGE: DepartmentLevel.VILLAGE,
}


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors=[FieldError(field=field, message=message)])


def _apply(instance: M, changes: dict[str, Any]) -> dict[str, list[str]]:
    """Set the given fields and return what changed as `{field: [old, new]}` for the audit."""
    diff: dict[str, list[str]] = {}
    for field, value in changes.items():
        if value is UNSET:
            continue
        old = getattr(instance, field)
        if old != value:
            setattr(instance, field, value)
            diff[field] = [_plain(old), _plain(value)]
    return diff


def _plain(value: object) -> str:
    if isinstance(value, models.Model):
        return str(value.pk)
    return "" if value is None else str(value)


def _fk_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """`{"parent": dept}` → `{"parent_id": dept.pk}` so that the diff compares ids, not objects."""
    converted: dict[str, Any] = {}
    for field, value in changes.items():
        if value is UNSET:
            continue
        if isinstance(value, models.Model) or (value is None and field in _FOREIGN_KEYS):
            converted[f"{field}_id"] = None if value is None else value.pk
        else:
            converted[field] = value
    return converted


_FOREIGN_KEYS = {"parent", "region", "successor", "hall"}


# Regions ---------------------------------------------------------------------------------------


def _field(field: str, error: InvalidInput) -> InvalidInput:
    """The validators' error, pointed at a form field."""
    return InvalidInput(
        error.message, code=error.code, errors=[FieldError(field=field, message=error.message)]
    )


def _check_region_code(*, code: str, level: int, parent: Region | None) -> None:
    try:
        normalise_region_code(code)
    except InvalidInput as error:
        raise _field("code", error) from error
    denoted = region_level_of_code(code)
    if denoted is None:
        raise _invalid(
            "code",
            "区划代码格式不正确：省、市、县级为6位数字，乡镇（街道）和村（社区）级为12位数字。",
        )
    if denoted != level:
        raise _invalid(
            "code", f"区划代码 {code} 表示{RegionLevel(denoted).label}，与所选层级不一致。"
        )
    if parent is None:
        return
    if parent.level >= level:
        raise _invalid("parent", "上级区划的层级必须高于本区划。")
    if not code.startswith(region_code_prefix(parent.code)):
        raise _invalid("code", f"区划代码应以上级区划代码的前缀 {parent.code_prefix} 开头。")


def region_check_new(*, code: str, level: int, parent: Region | None) -> None:
    """Raise the error `region_create` would raise for this code (forms call it to validate)."""
    _check_region_code(code=code, level=level, parent=parent)
    if Region.objects.filter(code=code).exists():
        raise Conflict(f"区划代码 {code} 已存在。", code="region_code_taken")


@transaction.atomic
def region_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    level: int,
    parent: Region | None = None,
    valid_from: date | None = None,
) -> Region:
    code, name = code.strip(), name.strip()
    if not name:
        raise _invalid("name", "请填写区划名称。")
    region_check_new(code=code, level=level, parent=parent)
    region = Region.objects.create(
        code=code, name=name, level=level, parent=parent, valid_from=valid_from
    )
    audit_record(actor=actor, action="region.created", target=region, summary=f"{name}（{code}）")
    return region


@transaction.atomic
def region_update(
    *,
    actor: Actor,
    region: Region,
    name: str | Unset = UNSET,
    valid_from: date | Unset | None = UNSET,
) -> Region:
    """Rename a region or set the day its code came into force. The code itself never changes:
    a new code is a new region, and the old one is retired with `region_retire`."""
    if isinstance(name, str):
        name = name.strip()
        if not name:
            raise _invalid("name", "请填写区划名称。")
    if (
        isinstance(valid_from, date)
        and region.valid_to is not None
        and valid_from > region.valid_to
    ):
        raise _invalid("valid_from", "启用日期不能晚于停用日期。")
    diff = _apply(region, {"name": name, "valid_from": valid_from})
    if diff:
        region.save(update_fields=list(diff))
        audit_record(
            actor=actor,
            action="region.updated",
            target=region,
            summary=str(region),
            details={"changes": diff},
        )
    return region


@transaction.atomic
def region_retire(
    *, actor: Actor, region: Region, valid_to: date, successor: Region | None = None
) -> Region:
    """Stop using a code from `valid_to` on; `successor` is the region that took it over."""
    if region.valid_to is not None:
        raise Conflict("该区划已停用。", code="region_already_retired")
    if region.valid_from is not None and valid_to < region.valid_from:
        raise _invalid("valid_to", "停用日期不能早于启用日期。")
    if successor is not None:
        if successor.pk == region.pk:
            raise _invalid("successor", "继承区划不能是本区划。")
        if successor.valid_to is not None:
            raise _invalid("successor", "继承区划已停用，请选择在用的区划。")
    region.valid_to = valid_to
    region.successor = successor
    region.save(update_fields=["valid_to", "successor"])
    audit_record(
        actor=actor,
        action="region.retired",
        target=region,
        summary=str(region),
        details={
            "valid_to": valid_to.isoformat(),
            "successor": successor.code if successor else None,
        },
    )
    return region


# Departments -----------------------------------------------------------------------------------


def department_check(
    *,
    department: Department | None,
    name: str,
    uscc: str,
    level: int,
    region: Region,
    parent: Department | None,
) -> None:
    """Raise the error `department_create`/`department_update` would raise (for forms)."""
    _check_department_name(department=department, name=name.strip(), region=region)
    _check_department(
        department=department,
        uscc=_uscc(uscc),
        level=level,
        region=region,
        parent=parent,
    )


def _check_department(
    *,
    department: Department | None,
    uscc: str,
    level: int,
    region: Region,
    parent: Department | None,
) -> None:
    taken = Department.objects.filter(uscc=uscc)
    if department is not None:
        taken = taken.exclude(pk=department.pk)
    if taken.exists():
        raise Conflict("该统一社会信用代码已被其他部门使用。", code="department_uscc_taken")
    if _DEPARTMENT_LEVEL_OF_REGION[RegionLevel(region.level)] != level:
        raise _invalid("level", "部门层级应与所属区划的层级一致。")
    if parent is not None and department is not None:
        ancestor: Department | None = parent
        while ancestor is not None:
            if ancestor.pk == department.pk:
                raise _invalid("parent", "上级部门不能是本部门或其下级部门。")
            ancestor = ancestor.parent


def _uscc(value: str) -> str:
    try:
        return normalise_uscc(value)
    except InvalidInput as error:
        raise _field("uscc", error) from error


def _check_department_name(*, department: Department | None, name: str, region: Region) -> None:
    if not name:
        raise _invalid("name", "请填写部门名称。")
    same = Department.objects.filter(region=region, name=name)
    if department is not None:
        same = same.exclude(pk=department.pk)
    if same.exists():
        raise Conflict(f"{region.name}已有名为“{name}”的部门。", code="department_name_taken")


@transaction.atomic
def department_create(
    *,
    actor: Actor,
    name: str,
    uscc: str,
    level: int,
    region: Region,
    kind: str = DepartmentKind.AGENCY,
    short_name: str = "",
    parent: Department | None = None,
    phone: str = "",
) -> Department:
    name, uscc = name.strip(), _uscc(uscc)
    department_check(
        department=None, name=name, uscc=uscc, level=level, region=region, parent=parent
    )
    department = Department.objects.create(
        name=name,
        short_name=short_name.strip(),
        uscc=uscc,
        level=level,
        kind=kind,
        region=region,
        parent=parent,
        phone=phone.strip(),
    )
    audit_record(actor=actor, action="department.created", target=department, summary=name)
    return department


@transaction.atomic
def department_update(
    *,
    actor: Actor,
    department: Department,
    name: str | Unset = UNSET,
    short_name: str | Unset = UNSET,
    uscc: str | Unset = UNSET,
    level: int | Unset = UNSET,
    kind: str | Unset = UNSET,
    region: Region | Unset = UNSET,
    parent: Department | Unset | None = UNSET,
    phone: str | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> Department:
    """Change a department; `is_active=False` takes it out of use (it is never deleted)."""
    new_name = name.strip() if isinstance(name, str) else department.name
    new_uscc = _uscc(uscc) if isinstance(uscc, str) else department.uscc
    new_region = region if isinstance(region, Region) else department.region
    new_level = level if isinstance(level, int) else department.level
    new_parent = department.parent if isinstance(parent, Unset) else parent
    department_check(
        department=department,
        name=new_name,
        uscc=new_uscc,
        level=new_level,
        region=new_region,
        parent=new_parent,
    )
    diff = _apply(
        department,
        _fk_changes(
            {
                "name": new_name,
                "short_name": short_name.strip() if isinstance(short_name, str) else UNSET,
                "uscc": new_uscc,
                "level": level,
                "kind": kind,
                "region": region,
                "parent": parent,
                "phone": phone.strip() if isinstance(phone, str) else UNSET,
                "is_active": is_active,
            }
        ),
    )
    if diff:
        department.save(update_fields=list(diff))
        audit_record(
            actor=actor,
            action="department.updated",
            target=department,
            summary=department.name,
            details={"changes": diff},
        )
    return department


# Service halls and windows ---------------------------------------------------------------------


def _check_coordinates(latitude: Decimal | None, longitude: Decimal | None) -> None:
    if latitude is not None and not Decimal(-90) <= latitude <= Decimal(90):
        raise _invalid("latitude", "纬度应在 -90 到 90 之间。")
    if longitude is not None and not Decimal(-180) <= longitude <= Decimal(180):
        raise _invalid("longitude", "经度应在 -180 到 180 之间。")


def _check_hall_name(*, hall: ServiceHall | None, name: str, region: Region) -> None:
    if not name:
        raise _invalid("name", "请填写大厅名称。")
    same = ServiceHall.objects.filter(region=region, name=name)
    if hall is not None:
        same = same.exclude(pk=hall.pk)
    if same.exists():
        raise Conflict(f"{region.name}已有名为“{name}”的大厅。", code="hall_name_taken")


@transaction.atomic
def hall_create(
    *,
    actor: Actor,
    name: str,
    region: Region,
    address: str,
    opening_hours: str = "",
    phone: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> ServiceHall:
    name, address = name.strip(), address.strip()
    _check_hall_name(hall=None, name=name, region=region)
    if not address:
        raise _invalid("address", "请填写大厅地址。")
    _check_coordinates(latitude, longitude)
    hall = ServiceHall.objects.create(
        name=name,
        region=region,
        address=address,
        opening_hours=opening_hours.strip(),
        phone=phone.strip(),
        latitude=latitude,
        longitude=longitude,
    )
    audit_record(actor=actor, action="hall.created", target=hall, summary=name)
    return hall


@transaction.atomic
def hall_update(
    *,
    actor: Actor,
    hall: ServiceHall,
    name: str | Unset = UNSET,
    region: Region | Unset = UNSET,
    address: str | Unset = UNSET,
    opening_hours: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    latitude: Decimal | Unset | None = UNSET,
    longitude: Decimal | Unset | None = UNSET,
) -> ServiceHall:
    new_name = name.strip() if isinstance(name, str) else hall.name
    new_region = region if isinstance(region, Region) else hall.region
    _check_hall_name(hall=hall, name=new_name, region=new_region)
    if isinstance(address, str) and not address.strip():
        raise _invalid("address", "请填写大厅地址。")
    _check_coordinates(
        hall.latitude if isinstance(latitude, Unset) else latitude,
        hall.longitude if isinstance(longitude, Unset) else longitude,
    )
    diff = _apply(
        hall,
        _fk_changes(
            {
                "name": new_name,
                "region": region,
                "address": address.strip() if isinstance(address, str) else UNSET,
                "opening_hours": (
                    opening_hours.strip() if isinstance(opening_hours, str) else UNSET
                ),
                "phone": phone.strip() if isinstance(phone, str) else UNSET,
                "latitude": latitude,
                "longitude": longitude,
            }
        ),
    )
    if diff:
        hall.save(update_fields=list(diff))
        audit_record(
            actor=actor,
            action="hall.updated",
            target=hall,
            summary=hall.name,
            details={"changes": diff},
        )
    return hall


def _check_window_number(*, window: Window | None, hall: ServiceHall, number: str) -> None:
    if not number:
        raise _invalid("number", "请填写窗口号。")
    same = Window.objects.filter(hall=hall, number=number)
    if window is not None:
        same = same.exclude(pk=window.pk)
    if same.exists():
        raise Conflict(f"{hall.name}已有 {number} 号窗口。", code="window_number_taken")


@transaction.atomic
def window_create(
    *,
    actor: Actor,
    hall: ServiceHall,
    number: str,
    name: str,
    kind: str,
    departments: Iterable[Department] = (),
    is_open: bool = True,
) -> Window:
    number, name = number.strip(), name.strip()
    _check_window_number(window=None, hall=hall, number=number)
    if kind not in WindowKind.values:
        raise _invalid("kind", "请选择窗口类型。")
    window = Window.objects.create(
        hall=hall, number=number, name=name or WindowKind(kind).label, kind=kind, is_open=is_open
    )
    served = _served(departments)
    if served:
        window.departments.set(served)
    audit_record(
        actor=actor,
        action="window.created",
        target=window,
        summary=f"{hall.name} {number}",
        details={"departments": sorted(d.pk for d in served)},
    )
    return window


@transaction.atomic
def window_update(
    *,
    actor: Actor,
    window: Window,
    number: str | Unset = UNSET,
    name: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    is_open: bool | Unset = UNSET,
) -> Window:
    if isinstance(number, str):
        number = number.strip()
        _check_window_number(window=window, hall=window.hall, number=number)
    if isinstance(kind, str) and kind not in WindowKind.values:
        raise _invalid("kind", "请选择窗口类型。")
    diff = _apply(
        window,
        {
            "number": number,
            "name": name.strip() if isinstance(name, str) else UNSET,
            "kind": kind,
            "is_open": is_open,
        },
    )
    if diff:
        window.save(update_fields=list(diff))
        audit_record(
            actor=actor,
            action="window.updated",
            target=window,
            summary=f"{window.hall.name} {window.number}",
            details={"changes": diff},
        )
    return window


def _served(departments: Iterable[Department]) -> list[Department]:
    served = {d.pk: d for d in departments}
    inactive = [d.name for d in served.values() if not d.is_active]
    if inactive:
        raise _invalid("departments", f"以下部门已停用，不能设为受理部门：{'、'.join(inactive)}。")
    return list(served.values())


@transaction.atomic
def window_set_departments(
    *, actor: Actor, window: Window, departments: Iterable[Department]
) -> Window:
    """Set which departments' items a window takes in (a general window serves many)."""
    served = _served(departments)
    before = set(window.departments.values_list("pk", flat=True))
    after = {d.pk for d in served}
    if before != after:
        window.departments.set(served)
        audit_record(
            actor=actor,
            action="window.departments_set",
            target=window,
            summary=f"{window.hall.name} {window.number}",
            details={"added": sorted(after - before), "removed": sorted(before - after)},
        )
    return window
