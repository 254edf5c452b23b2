"""The public calendar page: a year's holidays and make-up working days."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.calendars import selectors


def year_page(request: HttpRequest, year: int | None = None) -> HttpResponse:
    overview = selectors.calendar_year_overview(
        year=year, region_code=request.GET.get("region", "")
    )
    return render(request, "calendars/year.html", {"overview": overview})
