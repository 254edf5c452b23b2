"""Public pages about the organisation: the department directory and the service halls."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.org import selectors
from yiwang.org.models import Department, DepartmentLevel

SEARCH_MAX_LENGTH = 50


@dataclass(frozen=True)
class DepartmentGroup:
    level: int
    label: str
    departments: list[Department]


def _group_by_level(departments: list[Department]) -> list[DepartmentGroup]:
    groups: dict[int, list[Department]] = {}
    for department in departments:
        groups.setdefault(department.level, []).append(department)
    return [
        DepartmentGroup(level=level, label=DepartmentLevel(level).label, departments=rows)
        for level, rows in sorted(groups.items())
    ]


def _wants_partial(request: HttpRequest, target: str) -> bool:
    return (
        request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == target
    )


def department_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    departments = list(selectors.department_list(q=q))
    context = {"q": q, "groups": _group_by_level(departments), "total": len(departments)}
    if _wants_partial(request, "department-results"):
        # Search as you type (htmx) replaces only the results; the full page works without it.
        return render(request, "org/departments.html#department-results", context)
    return render(request, "org/departments.html", context)


def hall_list(request: HttpRequest) -> HttpResponse:
    halls = list(selectors.hall_list_with_windows())
    return render(request, "org/halls.html", {"halls": halls})
