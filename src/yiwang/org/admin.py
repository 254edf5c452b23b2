"""Django admin for the organisation. Saves go through the services, so they are validated and
audited like every other write; regions are retired (never deleted) and departments are
deactivated."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm

from yiwang.org import selectors, services
from yiwang.org.models import Department, Region, ServiceHall, Window
from yiwang.platform.errors import DomainError

# The admin hands us Django's request; its type lives in django.http, which domain-side modules
# may not import, so it is typed loosely here.
Request = Any


def _form_error(form: ModelForm[Any], error: DomainError) -> ValidationError:
    field = error.errors[0].field if error.errors else None
    if field and field in form.fields:
        return ValidationError({field: error.message})
    return ValidationError(error.message)


class RegionAdminForm(ModelForm[Region]):
    """Checks a new code as `region_create` will, so mistakes show beside the field."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and {"code", "level"} <= data.keys():
            try:
                services.region_check_new(
                    code=data["code"].strip(), level=data["level"], parent=data.get("parent")
                )
            except DomainError as error:
                raise _form_error(self, error) from error
        return data


class DepartmentAdminForm(ModelForm[Department]):
    """Checks the department as the services will (USCC checksum, level of the region ...)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"name", "uscc", "level", "region"} <= data.keys():
            try:
                services.department_check(
                    department=self.instance if self.instance.pk else None,
                    name=data["name"],
                    uscc=data["uscc"],
                    level=data["level"],
                    region=data["region"],
                    parent=data.get("parent"),
                )
            except DomainError as error:
                raise _form_error(self, error) from error
        return data


class RegionStatusFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "status"

    def lookups(self, request: Request, model_admin: Any) -> list[tuple[str, str]]:
        return [("current", "在用"), ("retired", "已停用")]

    def queryset(self, request: Request, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "current":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "retired":
            return queryset.filter(valid_to__isnull=False)
        return queryset


class _ServiceAdmin(admin.ModelAdmin[Any]):
    """Deleting is replaced by retiring/deactivating; domain errors become admin messages."""

    def has_delete_permission(self, request: Request, obj: Any = None) -> bool:
        return False

    def _adopt(self, obj: Any, saved: Any) -> None:
        # The admin keeps working with the form's instance: give it the saved row's identity.
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db


@admin.register(Region)
class RegionAdmin(_ServiceAdmin):
    form = RegionAdminForm
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["level", RegionStatusFilter]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "successor"]
    list_select_related = ["parent", "successor"]
    ordering = ["code"]
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "parent"]}),
        ("有效期", {"fields": ["valid_from", "valid_to", "successor"]}),
    ]

    def get_readonly_fields(self, request: Request, obj: Region | None = None) -> list[str]:
        # A code never changes: a new code is a new region, the old one is retired.
        if obj is None:
            return ["valid_to", "successor"]
        readonly = ["code", "level", "parent"]
        if obj.valid_to is not None:
            readonly += ["valid_to", "successor"]
        return readonly

    def save_model(self, request: Request, obj: Region, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            saved = services.region_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                level=data["level"],
                parent=data.get("parent"),
                valid_from=data.get("valid_from"),
            )
            self._adopt(obj, saved)
            return
        region = selectors.region_get(code=obj.code)
        services.region_update(
            actor=request.user, region=region, name=data["name"], valid_from=data["valid_from"]
        )
        if data.get("valid_to") and region.valid_to is None:
            services.region_retire(
                actor=request.user,
                region=region,
                valid_to=data["valid_to"],
                successor=data.get("successor"),
            )


_NEW_DEPARTMENT_FIELDS = [
    "name",
    "short_name",
    "uscc",
    "level",
    "kind",
    "region",
    "parent",
    "phone",
]


@admin.register(Department)
class DepartmentAdmin(_ServiceAdmin):
    form = DepartmentAdminForm
    list_display = ["name", "short_name", "level", "kind", "region", "parent", "phone", "is_active"]
    list_filter = ["level", "kind", "is_active", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "uscc", "region__name", "region__code"]
    autocomplete_fields = ["region", "parent"]
    list_select_related = ["region", "parent"]

    def get_fields(self, request: Request, obj: Department | None = None) -> Any:
        # A new department is active; deactivating is a change of an existing one.
        return [*_NEW_DEPARTMENT_FIELDS, "is_active"] if obj is not None else _NEW_DEPARTMENT_FIELDS

    def save_model(self, request: Request, obj: Department, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            saved = services.department_create(
                actor=request.user,
                name=data["name"],
                short_name=data.get("short_name", ""),
                uscc=data["uscc"],
                level=data["level"],
                kind=data["kind"],
                region=data["region"],
                parent=data.get("parent"),
                phone=data.get("phone", ""),
            )
            self._adopt(obj, saved)
            return
        services.department_update(
            actor=request.user,
            department=selectors.department_get(department_id=obj.pk),
            name=data["name"],
            short_name=data["short_name"],
            uscc=data["uscc"],
            level=data["level"],
            kind=data["kind"],
            region=data["region"],
            parent=data.get("parent"),
            phone=data["phone"],
            is_active=data["is_active"],
        )


class WindowInlineFormSet(BaseInlineFormSet[Window, ServiceHall, Any]):
    """Saves each window of a hall through the window services."""

    request: Request = None

    def save_new(self, form: Any, commit: bool = True) -> Window:
        data = form.cleaned_data
        return services.window_create(
            actor=self.request.user,
            hall=self.instance,
            number=data["number"],
            name=data["name"],
            kind=data["kind"],
            departments=data.get("departments") or [],
            is_open=data.get("is_open", True),
        )

    def save_existing(self, form: Any, obj: Window, commit: bool = True) -> Window:
        data = form.cleaned_data
        window = selectors.window_get(window_id=obj.pk)
        services.window_update(
            actor=self.request.user,
            window=window,
            number=data["number"],
            name=data["name"],
            kind=data["kind"],
            is_open=data["is_open"],
        )
        return services.window_set_departments(
            actor=self.request.user, window=window, departments=data.get("departments") or []
        )

    def save_m2m(self) -> None:
        # The services above already set each window's departments.
        return None


class WindowInline(admin.TabularInline[Window, ServiceHall]):
    model = Window
    formset = WindowInlineFormSet
    fields = ["number", "name", "kind", "departments", "is_open"]
    autocomplete_fields = ["departments"]
    extra = 0
    can_delete = False

    def get_formset(self, request: Request, obj: ServiceHall | None = None, **kwargs: Any) -> Any:
        formset: Any = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset


@admin.register(ServiceHall)
class ServiceHallAdmin(_ServiceAdmin):
    list_display = ["name", "region", "address", "opening_hours", "phone", "window_count"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "address", "region__name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    inlines = [WindowInline]
    fields = ["name", "region", "address", "opening_hours", "phone", "latitude", "longitude"]

    def get_queryset(self, request: Request) -> QuerySet[ServiceHall]:
        return super().get_queryset(request).prefetch_related("windows")

    @admin.display(description="窗口数")
    def window_count(self, obj: ServiceHall) -> int:
        return len(obj.windows.all())

    def save_model(self, request: Request, obj: ServiceHall, form: Any, change: bool) -> None:
        data = form.cleaned_data
        values = {
            "name": data["name"],
            "region": data["region"],
            "address": data["address"],
            "opening_hours": data.get("opening_hours", ""),
            "phone": data.get("phone", ""),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
        }
        if not change:
            self._adopt(obj, services.hall_create(actor=request.user, **values))
            return
        services.hall_update(actor=request.user, hall=selectors.hall_get(hall_id=obj.pk), **values)


@admin.register(Window)
class WindowAdmin(_ServiceAdmin):
    list_display = ["__str__", "name", "kind", "is_open", "served"]
    list_filter = ["kind", "is_open", "hall"]
    search_fields = ["number", "name", "hall__name", "departments__name"]
    autocomplete_fields = ["hall", "departments"]
    list_select_related = ["hall"]
    fields = ["hall", "number", "name", "kind", "departments", "is_open"]

    def get_queryset(self, request: Request) -> QuerySet[Window]:
        return super().get_queryset(request).prefetch_related("departments")

    @admin.display(description="受理部门")
    def served(self, obj: Window) -> str:
        return "、".join(d.short_name or d.name for d in obj.departments.all())

    def save_model(self, request: Request, obj: Window, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            saved = services.window_create(
                actor=request.user,
                hall=data["hall"],
                number=data["number"],
                name=data["name"],
                kind=data["kind"],
                is_open=data["is_open"],
            )
            self._adopt(obj, saved)
            return
        services.window_update(
            actor=request.user,
            window=selectors.window_get(window_id=obj.pk),
            number=data["number"],
            name=data["name"],
            kind=data["kind"],
            is_open=data["is_open"],
        )

    def save_related(self, request: Request, form: Any, formsets: Any, change: bool) -> None:
        services.window_set_departments(
            actor=request.user,
            window=selectors.window_get(window_id=form.instance.pk),
            departments=form.cleaned_data.get("departments") or [],
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
