"""Reads about the organisation: the region tree, departments, halls and their windows.

Everything here is public information (who does what, where, when), so there are no
`*_for_<actor>` variants. List selectors return querysets that load their relations up front:
callers never trigger a query per row.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from yiwang.org.models import (
    Department,
    Region,
    RegionLevel,
    ServiceHall,
    Window,
    region_code_prefix,
    region_level_of_code,
)
from yiwang.platform.errors import NotFound


def _current_on(on: date | None) -> Q:
    """Rows in force on a day. `valid_to` is the first day a code is no longer used."""
    day = on or timezone.localdate()
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )


def _in_region_subtree(field: str, code: str) -> Q:
    """Rows whose region is `code` or lies under it; nothing for a malformed code."""
    code = code.strip()
    if region_level_of_code(code) is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__startswith": region_code_prefix(code)})


def region_get(*, code: str) -> Region:
    """A region by its code, retired or not (old codes stay resolvable)."""
    region = Region.objects.select_related("parent", "successor").filter(code=code.strip()).first()
    if region is None:
        raise NotFound("没有找到该行政区划。")
    return region


def region_list(
    *,
    parent_code: str | None = None,
    level: int | None = None,
    on: date | None = None,
    include_retired: bool = False,
) -> QuerySet[Region]:
    """Regions in force (`on` a day, today by default), optionally under a parent or at a level."""
    regions = Region.objects.select_related("parent", "successor").order_by("code")
    if not include_retired:
        regions = regions.filter(_current_on(on))
    if parent_code is not None:
        regions = regions.filter(parent__code=parent_code.strip())
    if level is not None:
        regions = regions.filter(level=level)
    return regions


def region_children(
    *, region: Region | None, on: date | None = None, include_retired: bool = False
) -> QuerySet[Region]:
    """The direct children of `region` (the top-level regions when `region` is None)."""
    regions = Region.objects.order_by("code")
    if not include_retired:
        regions = regions.filter(_current_on(on))
    if region is None:
        return regions.filter(parent__isnull=True)
    return regions.filter(parent=region)


def region_ancestors(*, region: Region) -> list[Region]:
    """The chain from the top-level region down to `region` itself, in one query.

    Ancestor codes follow from the code's structure (GB/T 2260 and GB/T 10114), so there is no
    need to walk the parent links one query at a time.
    """
    codes = [region.code]
    if len(region.code) == 12:
        if region.level == RegionLevel.VILLAGE:
            codes.append(region.code[:9] + "000")
        codes.append(region.code[:6])
    six = region.code[:6]
    codes += [six[:4] + "00", six[:2] + "0000"]
    found = {r.code: r for r in Region.objects.filter(code__in=set(codes))}
    return sorted(found.values(), key=lambda r: r.level)


def _department_base() -> QuerySet[Department]:
    return Department.objects.select_related("region", "parent")


def department_get(*, department_id: int) -> Department:
    department = _department_base().filter(pk=department_id).first()
    if department is None:
        raise NotFound("没有找到该部门。")
    return department


def department_list(
    *,
    region_code: str | None = None,
    level: int | None = None,
    kind: str | None = None,
    q: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Department]:
    """Departments ordered by level, then region, then name.

    `region_code` selects the region and everything under it (a county's departments and its
    towns' service centres); `q` matches the full or short name.
    """
    departments = _department_base().order_by("level", "region__code", "name")
    if not include_inactive:
        departments = departments.filter(is_active=True)
    if region_code:
        departments = departments.filter(_in_region_subtree("region__code", region_code))
    if level is not None:
        departments = departments.filter(level=level)
    if kind:
        departments = departments.filter(kind=kind)
    if q and q.strip():
        term = q.strip()
        departments = departments.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
    return departments


def departments_by_ids(*, ids: list[int]) -> QuerySet[Department]:
    return Department.objects.filter(pk__in=ids).order_by("name")


def _windows_with_departments() -> Prefetch[str]:
    served = Department.objects.only("id", "name", "short_name").order_by("name")
    windows = Window.objects.order_by("number").prefetch_related(
        Prefetch("departments", queryset=served)
    )
    return Prefetch("windows", queryset=windows)


def hall_list_with_windows(*, region_code: str | None = None) -> QuerySet[ServiceHall]:
    """Halls (with their region), each with its windows and the departments each serves.

    Three queries whatever the number of halls: halls, windows, served departments.
    """
    halls = (
        ServiceHall.objects.select_related("region")
        .prefetch_related(_windows_with_departments())
        .order_by("region__code", "name")
    )
    if region_code:
        halls = halls.filter(_in_region_subtree("region__code", region_code))
    return halls


def hall_get(*, hall_id: int) -> ServiceHall:
    hall = hall_list_with_windows().filter(pk=hall_id).first()
    if hall is None:
        raise NotFound("没有找到该政务服务大厅。")
    return hall


def window_get(*, window_id: int) -> Window:
    window = Window.objects.select_related("hall").filter(pk=window_id).first()
    if window is None:
        raise NotFound("没有找到该窗口。")
    return window
