"""Analytics pages: the hotline's metrics (with Excel) and the monthly hotspot report (print,
Excel). Thin: parse the filters, call one selector, render or export."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yiwang.analytics import exports, selectors
from yiwang.analytics.forms import FiguresForm, MonthForm
from yiwang.hotline.selectors.hotspots import PREVIOUS_MONTHS, REPEAT_MIN_COUNT
from yiwang.identity.models import User
from yiwang.platform.errors import InvalidInput, NotFound


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _wants_excel(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def _excel(data: bytes, name: str, ascii_name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.XLSX)
    # RFC 6266 / 5987: old clients read the ASCII name, the others the UTF-8 one.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _show_error(form: forms.Form, error: InvalidInput) -> None:
    for item in error.errors:
        form.add_error(item.field if item.field in form.fields else None, item.message)
    if not error.errors:
        form.add_error(None, error.message)


def _with_default_month(params: QueryDict, month: date) -> QueryDict:
    """No period chosen: show (and use) the last full month."""
    if params.get("month") or params.get("start") or params.get("end"):
        return params
    params = params.copy()
    params["month"] = month.strftime("%Y-%m")
    return params


def _figure_query(data: dict[str, Any]) -> selectors.FigureQuery:
    if data.get("month"):
        period = selectors.month_period(selectors.parse_month(data["month"]))
    else:
        period = selectors.period_between(data["start"], data["end"])
    return selectors.FigureQuery(
        period=period,
        department_id=int(data["department_id"]) if data.get("department_id") else None,
        category_id=int(data["category_id"]) if data.get("category_id") else None,
        channel=data.get("channel") or "",
        region_code=data.get("region_code") or "",
    )


@require_GET
@never_cache
@login_required
def hotline_figures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    choices = selectors.hotline_filter_choices(user)  # NotFound for anyone but analysts
    params = _with_default_month(request.GET, selectors.last_full_month())
    form = FiguresForm(params, choices=choices)
    dashboard = None
    if form.is_valid():
        try:
            dashboard = selectors.hotline_dashboard_for(user, _figure_query(form.cleaned_data))
        except InvalidInput as error:
            _show_error(form, error)
    if dashboard is not None and _wants_excel(request):
        name, ascii_name = exports.figures_filenames(dashboard.figures.query.period)
        return _excel(exports.dashboard_workbook(dashboard), name, ascii_name)
    excel_query = params.copy()
    excel_query["format"] = "xlsx"
    context = {
        "form": form,
        "dashboard": dashboard,
        "metrics": selectors.METRICS,
        "excel_query": excel_query.urlencode(),
        "trend_months": selectors.TREND_MONTHS,
    }
    status = 200 if dashboard is not None else 400
    return render(request, "analytics/hotline_figures.html", context, status=status)


@require_GET
@never_cache
@login_required
def hotspots(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.user_may_read_hotline_figures(user):
        raise NotFound()
    params = _with_default_month(request.GET, selectors.last_full_month())
    form = MonthForm(params)
    report = None
    month_label = ""
    if form.is_valid():
        try:
            month = selectors.parse_month(form.cleaned_data["month"])
        except InvalidInput as error:
            _show_error(form, error)
        else:
            report = selectors.hotspot_report_for(user, month)
            month_label = selectors.month_period(month).label
    if report is not None and _wants_excel(request):
        name, ascii_name = exports.hotspot_filenames(report.month)
        data = exports.hotspot_workbook(report, month_label=month_label)
        return _excel(data, name, ascii_name)
    context = {
        "form": form,
        "report": report,
        "month_label": month_label,
        "month_value": report.month.strftime("%Y-%m") if report else "",
        "previous_months": PREVIOUS_MONTHS,
        "repeat_radius_m": settings.HOTLINE_REPEAT_RADIUS_M,
        "repeat_min_count": REPEAT_MIN_COUNT,
    }
    return render(request, "analytics/hotspots.html", context, status=200 if report else 400)
