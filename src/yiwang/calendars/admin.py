"""Administrators keep the calendar: days (national and regional), years, the audit of edits.

Every save goes through the services, so edits are audited, caches are refreshed and events are
published; nothing here writes to the tables directly. The list pages remind administrators while
this year, or from October 1 next year, is missing (never blocking).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from yiwang.calendars import selectors, services
from yiwang.calendars.deadlines import SUPPORTED_YEARS
from yiwang.calendars.models import CalendarDay, CalendarDayChange, CalendarYear
from yiwang.calendars.regions import normalise_region_code
from yiwang.platform.errors import DomainError

WEEKDAYS = "一二三四五六日"


def _actor(request: HttpRequest) -> AbstractBaseUser | None:
    user = request.user
    return user if isinstance(user, AbstractBaseUser) else None


_M = TypeVar("_M", bound=Model)


class CalendarModelAdmin(admin.ModelAdmin[_M]):
    """Shows `missing_next_year_warning` on the list pages of the calendar."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Only when the list is shown: a POST (an action) redirects, and a warning queued then
        # would describe the calendar as it was before the action.
        warning = selectors.missing_next_year_warning() if request.method == "GET" else None
        if warning:
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)


class YearFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarYear.objects.values_list("year", flat=True).distinct().order_by("-year")
        return [(str(year), f"{year}年") for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


class ScopeFilter(admin.SimpleListFilter):
    title = "范围"
    parameter_name = "scope"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = (
            CalendarDay.objects.exclude(region_code="")
            .values_list("region_code", flat=True)
            .distinct()
            .order_by("region_code")
        )
        return [("national", "全国"), *((code, f"地方：{code}") for code in codes)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "national":
            return queryset.filter(region_code="")
        if value:
            return queryset.filter(region_code=value)
        return queryset


def _add_domain_errors(form: forms.BaseForm, error: DomainError, fields: dict[str, str]) -> None:
    """A service's field errors, shown beside the fields of the admin form."""
    if not error.errors:
        form.add_error(None, error.message)
    for item in error.errors:
        field = fields.get(item.field, item.field)
        form.add_error(field if field in form.fields else None, item.message)


class CalendarDayForm(forms.ModelForm[CalendarDay]):
    note = forms.CharField(
        label="修改原因",
        max_length=200,
        required=False,
        help_text="例如：依据国务院办公厅关于部分节假日安排的通知。",
    )

    class Meta:
        model = CalendarDay
        fields = ["date", "region_code", "kind", "name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        on = data.get("date", self.instance.date if self.instance.pk else None)
        kind = data.get("kind")
        if on is None or not kind:
            return data
        region_code = data.get("region_code", self.instance.region_code)
        try:
            code = services.calendar_day_check(
                on=on, kind=selectors.DayKind(kind), region_code=region_code or ""
            )
        except DomainError as error:
            _add_domain_errors(self, error, {"region": "region_code"})
            return data
        if "region_code" in self.fields:
            data["region_code"] = code
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarModelAdmin[CalendarDay]):
    form = CalendarDayForm
    list_display = [
        "date",
        "weekday",
        "kind",
        "name",
        "scope",
        "source",
        "changed_by",
        "changed_at",
    ]
    list_filter = [YearFilter, "kind", ScopeFilter, "source"]
    search_fields = ["name", "region_code"]
    date_hierarchy = "date"
    list_per_page = 62
    actions = ["remove_regional_overrides"]

    @admin.display(description="星期")
    def weekday(self, day: CalendarDay) -> str:
        return f"星期{WEEKDAYS[day.date.weekday()]}"

    @admin.display(description="范围", ordering="region_code")
    def scope(self, day: CalendarDay) -> str:
        return day.region_code or "全国"

    def get_readonly_fields(
        self, request: HttpRequest, obj: CalendarDay | None = None
    ) -> list[str]:
        # A day is identified by its date and scope: to change those, add another day.
        return ["date", "region_code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: CalendarDay | None = None) -> bool:
        return False  # national days are edited, not deleted; overrides go by the action below

    def save_model(
        self,
        request: HttpRequest,
        obj: CalendarDay,
        form: forms.ModelForm[CalendarDay],
        change: bool,
    ) -> None:
        saved = services.calendar_day_set(
            on=obj.date,
            kind=selectors.DayKind(obj.kind),
            name=obj.name,
            note=form.cleaned_data.get("note", ""),
            region_code=obj.region_code,
            changed_by=_actor(request),
        )
        obj.pk = saved.pk

    @admin.action(description="删除所选的地方调整（全国日期不能删除）")
    def remove_regional_overrides(
        self, request: HttpRequest, queryset: QuerySet[CalendarDay]
    ) -> None:
        removed = 0
        for day in queryset.exclude(region_code=""):
            services.calendar_override_remove(
                region_code=day.region_code,
                on=day.date,
                note="管理员在后台删除",
                changed_by=_actor(request),
            )
            removed += 1
        self.message_user(request, f"已删除 {removed} 条地方调整。", level=messages.SUCCESS)


class CalendarYearForm(forms.ModelForm[CalendarYear]):
    class Meta:
        model = CalendarYear
        fields = ["year", "region_code", "note"]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year not in SUPPORTED_YEARS:
            first, last = SUPPORTED_YEARS[0], SUPPORTED_YEARS[-1]
            raise forms.ValidationError(f"年度应在{first}年至{last}年之间，请检查。")
        return year

    def clean_region_code(self) -> str:
        try:
            return normalise_region_code(self.cleaned_data.get("region_code", ""))
        except DomainError as error:
            raise forms.ValidationError(error.message) from error


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarModelAdmin[CalendarYear]):
    form = CalendarYearForm
    list_display = [
        "year",
        "scope",
        "source",
        "is_complete",
        "completed_by",
        "completed_at",
        "changed_at",
    ]
    list_filter = ["is_complete", "source"]
    search_fields = ["year", "region_code"]
    actions = ["mark_complete", "reopen"]

    @admin.display(description="范围", ordering="region_code")
    def scope(self, year: CalendarYear) -> str:
        return year.region_code or "全国"

    def get_readonly_fields(
        self, request: HttpRequest, obj: CalendarYear | None = None
    ) -> list[str]:
        # Status changes go by the actions, which publish events; nothing is edited in place.
        if obj is None:
            return []
        return [
            "year",
            "region_code",
            "note",
            "source",
            "is_complete",
            "completed_by",
            "completed_at",
        ]

    def has_delete_permission(self, request: HttpRequest, obj: CalendarYear | None = None) -> bool:
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: CalendarYear,
        form: forms.ModelForm[CalendarYear],
        change: bool,
    ) -> None:
        if change:
            return  # every field is read-only once the year exists
        saved = services.calendar_year_open(
            year=obj.year, region_code=obj.region_code, note=obj.note, changed_by=_actor(request)
        )
        obj.pk = saved.pk

    @admin.action(description="将所选年度标记为“已录入完成”")
    def mark_complete(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        for record in queryset:
            services.calendar_year_complete(
                year=record.year, region_code=record.region_code, changed_by=_actor(request)
            )
        self.message_user(
            request,
            "已标记为录入完成。涉及这些年度的暂定办理时限将重新计算。",
            level=messages.SUCCESS,
        )

    @admin.action(description="重新开放所选年度的录入（办理时限将标注为暂定）")
    def reopen(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        reopened = 0
        for record in queryset.filter(is_complete=True):
            services.calendar_year_reopen(
                year=record.year,
                region_code=record.region_code,
                note="管理员在后台重新开放录入",
                changed_by=_actor(request),
            )
            reopened += 1
        self.message_user(request, f"已重新开放 {reopened} 个年度的录入。", level=messages.WARNING)


@admin.register(CalendarDayChange)
class CalendarDayChangeAdmin(CalendarModelAdmin[CalendarDayChange]):
    """The audit is append-only: it can be read, never edited."""

    list_display = [
        "date",
        "region_code",
        "old_kind",
        "new_kind",
        "new_name",
        "note",
        "changed_by",
        "changed_at",
    ]
    list_filter = ["new_kind", "changed_by"]
    search_fields = ["region_code", "note", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: CalendarDayChange | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: CalendarDayChange | None = None
    ) -> bool:
        return False
