"""Django admin for the catalogue, for catalogue managers of each department.

A manager sees only the items of their departments (superusers and administrators: all). Drafts
are edited (fields, themes, and inlines for materials, fees, special steps, FAQ, procedure steps,
handling items); published and retired versions are read-only. Every write goes through the
services: “新建修订版本” drafts a revision, “保存并发布” publishes (a refusal lists every
violation with its field, nothing is published), and the item page lists the history of
versions with who did what and a diff of each. Reference data (basic items, themes, synonyms,
code lists) is read by every manager and changed by administrators; a bundle is managed by its
lead department.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from yiwang.catalog import services, workflow
from yiwang.catalog.models import (
    BasicItem,
    Bundle,
    BundleMember,
    CodeListEntry,
    FeeItem,
    FrequentQuestion,
    HandlingForm,
    HandlingItem,
    MaterialRequirement,
    ProcedureStep,
    ServiceItem,
    ServiceItemVersion,
    ServiceObject,
    SpecialStep,
    Synonym,
    Theme,
)
from yiwang.catalog.selectors import management
from yiwang.catalog.services.imports import (
    catalog_export_workbook,
    catalog_import_template,
    catalog_import_workbook,
)
from yiwang.identity.models import User
from yiwang.platform.errors import DomainError, FieldError, RuleViolated


def actor(request: HttpRequest) -> User:
    """The signed-in user behind an admin request (the admin site lets no one else in)."""
    assert isinstance(request.user, User)
    return request.user


# --- Shared ---------------------------------------------------------------------------------------


def can_manage(request: HttpRequest) -> bool:
    """Superuser, administrator or catalogue manager (asked once per request)."""
    cached = getattr(request, "_catalogue_manager", None)
    if cached is None:
        cached = management.user_manages_catalogue(request.user)
        request._catalogue_manager = cached  # type: ignore[attr-defined]
    return bool(cached)


def can_manage_everything(request: HttpRequest) -> bool:
    """Superusers and administrators keep the reference data (basic items, themes ...)."""
    cached = getattr(request, "_catalogue_administrator", None)
    if cached is None:
        cached = management.user_manages_whole_catalogue(request.user)
        request._catalogue_administrator = cached  # type: ignore[attr-defined]
    return bool(cached)


def report(request: HttpRequest, error: DomainError) -> None:
    """An error summary as admin messages: the headline, then one line per field."""
    messages.error(request, error.message)
    for problem in error.errors:
        messages.error(request, f"{management.field_label(problem.field)}：{problem.message}")


def mark_saved_by_services(formset: BaseFormSet[Any]) -> None:
    """The admin's change message reads what `formset.save()` would have recorded."""
    formset.new_objects = []  # type: ignore[attr-defined]
    formset.changed_objects = []  # type: ignore[attr-defined]
    formset.deleted_objects = []  # type: ignore[attr-defined]


def formset_rows(formset: BaseFormSet[Any], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows a formset shows after validation, in order, without deleted and empty extra
    forms. Columns an inline leaves out keep the row's stored value (the form's instance)."""
    rows: list[dict[str, Any]] = []
    for form in formset.forms:
        cleaned = getattr(form, "cleaned_data", None)
        if not cleaned:
            continue
        if formset.can_delete and formset._should_delete_form(form):  # type: ignore[attr-defined]
            continue
        rows.append({name: getattr(form.instance, name) for name in columns})
    return rows


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class CatalogueImportForm(forms.Form):
    workbook = forms.FileField(
        label="实施清单（Excel .xlsx）",
        help_text="请使用导出的模板；文件中任何一处有误，都不会导入，并列出全部错误。",
    )

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("文件超过50MB，请分部门导入。")
        return upload


class CatalogueAdmin(admin.ModelAdmin[Any]):
    """Open to catalogue managers; another manager's object is a 404; nothing is deleted."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_manage(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        # Missing and not yours look the same (ARCHITECTURE convention 2): a 404, not a redirect.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("not found")
        return obj

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            # The admin's transaction has rolled back: nothing of this save was written.
            report(request, error)
            return HttpResponseRedirect(request.get_full_path())

    @staticmethod
    def adopt(obj: models.Model, saved: models.Model) -> None:
        """The admin keeps working with the form's instance: give it the saved row's identity."""
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db


class ReferenceAdmin(CatalogueAdmin):
    """Reference data: every manager reads it (and picks from it); administrators change it."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_everything(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_manage_everything(request)


# --- Items ----------------------------------------------------------------------------------------


class ServiceItemAddForm(forms.ModelForm[ServiceItem]):
    name = forms.CharField(
        label="事项名称", max_length=200, required=False, help_text="留空则使用基本目录事项名称"
    )

    class Meta:
        model = ServiceItem
        fields = [
            "basic_item",
            "implementation_code",
            "local_code",
            "department",
            "region",
            "exercise_level",
            "delegated_from",
            "delegation_note",
        ]


_ITEM_FIELDS_FIXED = ["implementation_code", "basic_item", "department"]


@admin.register(ServiceItem)
class ServiceItemAdmin(CatalogueAdmin):
    change_form_template = "admin/catalog/serviceitem/change_form.html"
    list_display = [
        "implementation_code",
        "current_name",
        "department",
        "exercise_level",
        "live_number",
        "draft",
    ]
    list_display_links = ["implementation_code", "current_name"]
    list_filter = ["exercise_level", ("department", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["implementation_code", "local_code", "live_version__name", "basic_item__name"]
    autocomplete_fields = ["basic_item", "delegated_from"]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceItem]:
        if _autocomplete_for_bundle(request):
            # A bundle takes in items of other departments too: any published item.
            return management.items_for_bundles().select_related("live_version")
        return management.item_list_for_manager(request.user)

    def get_form(
        self,
        request: HttpRequest,
        obj: ServiceItem | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        if obj is None:
            kwargs["form"] = ServiceItemAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: ServiceItem | None = None) -> Any:
        if obj is None:
            return ["name", *ServiceItemAddForm.Meta.fields]
        return [
            *_ITEM_FIELDS_FIXED,
            "local_code",
            "region",
            "exercise_level",
            "delegated_from",
            "delegation_note",
            "live_version",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: ServiceItem | None = None) -> Any:
        return [] if obj is None else [*_ITEM_FIELDS_FIXED, "live_version"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "department":
            kwargs["queryset"] = management.departments_for_manager(request.user)
        elif db_field.name == "region":
            kwargs["queryset"] = management.regions_for_manager(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="事项名称")
    def current_name(self, obj: ServiceItem) -> str:
        if obj.live_version is not None:
            return obj.live_version.name
        return f"{getattr(obj, 'draft_name', None) or '-'}（未发布）"

    @admin.display(description="现行版本")
    def live_number(self, obj: ServiceItem) -> str:
        return f"第{obj.live_version.number}版" if obj.live_version else "-"

    @admin.display(description="草稿")
    def draft(self, obj: ServiceItem) -> str:
        number = getattr(obj, "draft_number", None)
        return f"第{number}版草稿" if number else "-"

    def save_model(self, request: HttpRequest, obj: ServiceItem, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            guide = {"name": data["name"]} if data.get("name") else {}
            version = services.service_item_create(
                basic_item=data["basic_item"],
                implementation_code=data["implementation_code"],
                department=data["department"],
                region=data["region"],
                exercise_level=data["exercise_level"],
                local_code=data.get("local_code", ""),
                delegated_from=data.get("delegated_from"),
                delegation_note=data.get("delegation_note", ""),
                by=actor(request),
                **guide,
            )
            self.adopt(obj, version.item)
            return
        services.service_item_update(
            item=management.item_for_manager(request.user, obj.pk),
            by=actor(request),
            **{name: data[name] for name in form.changed_data},
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return None  # an item has no related rows of its own to save here

    def response_add(
        self, request: HttpRequest, obj: ServiceItem, post_url_continue: str | None = None
    ) -> HttpResponse:
        draft = management.draft_of(obj)
        if draft is None or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        messages.success(request, "事项已新建，并生成第1版草稿。请填写办事指南，检查无误后发布。")
        return HttpResponseRedirect(_version_url(draft))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        item = management.item_for_manager(request.user, object_id)
        versions = management.versions_of(item)
        context = {
            **(extra_context or {}),
            "versions": versions,
            "draft": next((v for v in versions if v.status == workflow.DRAFT), None),
            "live": item.live_version,
        }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalog_serviceitem_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="catalog_serviceitem_export",
            ),
            path(
                "<path:object_id>/new-draft/",
                self.admin_site.admin_view(require_POST(self.new_draft_view)),
                name="catalog_serviceitem_new_draft",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {
            **(extra_context or {}),
            "manages_whole_catalogue": management.user_manages_whole_catalogue(request.user),
        }
        return super().changelist_view(request, context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """导入实施清单 (Excel): all or nothing; every bad cell is listed, nothing is written."""
        if not management.user_manages_whole_catalogue(request.user):
            raise Http404
        report_ = None
        errors: list[FieldError] = []
        form = CatalogueImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["workbook"]
            try:
                report_ = catalog_import_workbook(data=upload.read(), by=actor(request))
            except RuleViolated as refusal:
                errors = refusal.errors or [FieldError(field="", message=refusal.message)]
        context = {
            **self.admin_site.each_context(request),
            "title": "导入实施清单",
            "opts": self.model._meta,
            "form": form,
            "report": report_,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/catalog/serviceitem/import.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """导出实施清单: the live guides the user manages, in the import template's layout."""
        if not management.user_manages_whole_catalogue(request.user):
            raise Http404
        if request.GET.get("template"):
            data, name = catalog_import_template(), "事项实施清单导入模板.xlsx"
        else:
            data, name = catalog_export_workbook(), "事项实施清单.xlsx"
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response

    def new_draft_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """新建修订版本: the item's draft (a copy of the live version), opened for editing."""
        item = management.item_for_manager(request.user, object_id)
        existing = management.draft_of(item)
        try:
            draft = services.version_draft_from(item=item, by=actor(request))
        except DomainError as error:
            report(request, error)
            return HttpResponseRedirect(reverse("admin:catalog_serviceitem_change", args=[item.pk]))
        if existing is None:
            messages.success(
                request, f"已新建第{draft.number}版草稿（复制自现行版本），修改后请发布。"
            )
        else:
            messages.info(request, f"该事项已有第{draft.number}版草稿，请继续编辑。")
        return HttpResponseRedirect(_version_url(draft))


def _autocomplete_for_bundle(request: HttpRequest) -> bool:
    return (
        request.path.endswith("/autocomplete/")
        and request.GET.get("app_label") == "catalog"
        and request.GET.get("model_name") == "bundlemember"
    )


def _version_url(version: ServiceItemVersion) -> str:
    return reverse("admin:catalog_serviceitemversion_change", args=[version.pk])


# --- Version children inlines ---------------------------------------------------------------------


class _VersionChildInline(admin.StackedInline[Any, ServiceItemVersion]):
    """Rows of a version: editable on a draft, read-only on a published or retired version.
    Stacked, so that every input has its label and a phone needs no sideways scrolling."""

    extra = 0

    def _editable(self, request: HttpRequest, obj: ServiceItemVersion | None) -> bool:
        return obj is not None and workflow.is_editable(obj.status) and can_manage(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)


class MaterialInline(_VersionChildInline):
    model = MaterialRequirement
    fields = [
        ("order", "name"),
        ("original_or_copy", "form", "necessity"),
        ("originals", "copies", "paper_spec"),
        ("source", "source_note", "issuing_body"),
        ("blank_form", "sample"),
        "instructions",
        "acceptance_standard",
        ("basis", "situations"),
        "accepted_licence_types",
        "data_share_source",
    ]


class FeeInline(_VersionChildInline):
    model = FeeItem
    fields = ["name", "standard", "amount_yuan", "basis", "waivable", "waiver_basis"]


class SpecialStepInline(_VersionChildInline):
    model = SpecialStep
    fields = [
        "name",
        "limit_value",
        "limit_unit",
        "basis",
        "charged",
        "fee_basis",
        "counts_in_limit",
    ]


class FrequentQuestionInline(_VersionChildInline):
    model = FrequentQuestion
    fields = ["order", "question", "answer"]


class ProcedureStepInline(_VersionChildInline):
    model = ProcedureStep
    fields = ["order", "name", "description", "limit_note"]


class HandlingItemInline(_VersionChildInline):
    model = HandlingItem
    fields = ["code", "name", "kind"]


_SETTERS = {
    "materials": services.version_set_materials,
    "fees": services.version_set_fees,
    "special_steps": services.version_set_special_steps,
    "faqs": services.version_set_faqs,
    "procedure_steps": services.version_set_procedure,
    "handling_items": services.version_set_handling_items,
}


# --- Versions -------------------------------------------------------------------------------------


def _https_urls(db_field: Any, **kwargs: Any) -> Any:
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"  # government sites are served over HTTPS
    return db_field.formfield(**kwargs)


class VersionForm(forms.ModelForm[ServiceItemVersion]):
    """Code-list fields stored as JSON lists are ticked from their code list, not typed."""

    service_objects = forms.MultipleChoiceField(
        label="服务对象",
        choices=ServiceObject.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    handling_forms = forms.MultipleChoiceField(
        label="办理形式",
        choices=HandlingForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ServiceItemVersion
        fields = [*management.GUIDE_FIELDS, "change_note", "themes"]
        formfield_callback = _https_urls


_FIELDSETS: list[tuple[str, list[Any]]] = [
    ("基本信息", ["name", "aliases", "item_type", "handling_item_code", "change_note"]),
    (
        "设定依据与实施主体",
        [
            "legal_basis",
            "exercise_content",
            "body_nature",
            "entrusted_department",
            "joint_departments",
            "intermediary_services",
        ],
    ),
    (
        "办理时限",
        [
            "case_type",
            ("statutory_limit_value", "statutory_limit_unit"),
            "statutory_limit_note",
            ("promised_limit_value", "promised_limit_unit"),
            "promised_limit_note",
            ("extension_allowed", "extension_max_working_days", "joint_handling"),
        ],
    ),
    (
        "办理方式",
        [
            "conditions",
            "quantity_limit",
            "handling_forms",
            ("visit_count", "onsite_reason"),
            ("online_depth", "online_depth_codes"),
            "online_url_pc",
            "online_url_mobile",
            "discretion_standard",
            "required_realname_level",
        ],
    ),
    (
        "服务对象与主题",
        [
            "service_objects",
            "anywhere_scope",
            "in_hall",
            (
                "appointment_supported",
                "online_payment_supported",
                "courier_supported",
                "self_service_supported",
            ),
            "themes",
        ],
    ),
    ("办理结果", ["result_type", "result_name", "result_sample", "result_licence_type_code"]),
    (
        "收费、地点与联系方式",
        [
            "charged",
            "fee_basis",
            "address",
            "office_hours",
            ("consultation_phone", "complaint_phone"),
        ],
    ),
]
_BOOKKEEPING = [
    "item",
    "number",
    "status",
    "based_on",
    "created_by",
    "created_at",
    "updated_at",
    "published_by",
    "published_at",
    "valid_from",
    "valid_to",
    "retire_reason",
]


class VersionStatusFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            (workflow.DRAFT, "草稿"),
            (workflow.PUBLISHED, "已发布"),
            (workflow.RETIRED, "已停用"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(status=value) if value else queryset


@admin.register(ServiceItemVersion)
class ServiceItemVersionAdmin(CatalogueAdmin):
    form = VersionForm
    change_form_template = "admin/catalog/serviceitemversion/change_form.html"
    list_display = ["name", "item", "number", "status", "updated_at", "published_at"]
    list_filter = [VersionStatusFilter, "item_type", "online_depth"]
    search_fields = ["name", "aliases", "item__implementation_code"]
    list_select_related = ["item"]
    filter_horizontal = ["themes"]
    inlines = [
        MaterialInline,
        FeeInline,
        SpecialStepInline,
        FrequentQuestionInline,
        ProcedureStepInline,
        HandlingItemInline,
    ]
    actions = ["publish_selected"]
    list_per_page = 50

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"  # government sites are served over HTTPS
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceItemVersion]:
        return management.versions_managed_by(request.user).select_related("item")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a version is born with its item, or as a revision of it

    def has_change_permission(
        self, request: HttpRequest, obj: ServiceItemVersion | None = None
    ) -> bool:
        if obj is not None and not workflow.is_editable(obj.status):
            return False  # published and retired versions are read-only
        return can_manage(request)

    def get_fieldsets(self, request: HttpRequest, obj: ServiceItemVersion | None = None) -> Any:
        return [
            ("版本", {"fields": [_BOOKKEEPING[:4], _BOOKKEEPING[4:8], _BOOKKEEPING[8:]]}),
            *((title, {"fields": fields}) for title, fields in _FIELDSETS),
        ]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ServiceItemVersion | None = None
    ) -> Any:
        return _BOOKKEEPING

    def save_model(
        self, request: HttpRequest, obj: ServiceItemVersion, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        fields: dict[str, Any] = {}
        for name in form.changed_data:
            value = data[name]
            if name == "themes":
                value = list(value)
            elif value is False and name == "result_sample":
                value = ""  # the “clear” box of a file input
            fields[name] = value
        services.version_update(
            version=management.version_for_manager(request.user, obj.pk),
            by=actor(request),
            **fields,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Themes went with the fields in save_model; each changed inline replaces its rows.
        version = management.version_for_manager(request.user, form.instance.pk)
        for formset in formsets:
            mark_saved_by_services(formset)
            inline_relation = formset.fk.remote_field.related_name
            if not formset.has_changed():
                continue
            kind = management.CHILD_KIND_BY_RELATION[inline_relation]
            _SETTERS[inline_relation](
                version=version, by=actor(request), rows=formset_rows(formset, kind.columns)
            )

    def response_change(self, request: HttpRequest, obj: ServiceItemVersion) -> HttpResponse:
        if "_publish" not in request.POST:
            return super().response_change(request, obj)
        return self._publish(request, obj)

    def _publish(self, request: HttpRequest, obj: ServiceItemVersion) -> HttpResponse:
        version = management.version_for_manager(request.user, obj.pk)
        try:
            services.version_publish(version=version, by=actor(request))
        except RuleViolated as error:
            # The publication rolled back on its own; the edits saved just before are kept.
            messages.warning(request, "修改已保存，但未发布。")
            report(request, error)
            return HttpResponseRedirect(_version_url(version))
        except DomainError as error:
            report(request, error)
            return HttpResponseRedirect(_version_url(version))
        messages.success(request, f"第{version.number}版已发布，成为现行办事指南。")
        return HttpResponseRedirect(
            reverse("admin:catalog_serviceitem_change", args=[version.item_id])
        )

    @admin.action(description="发布所选草稿", permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        published = 0
        for version in queryset.filter(status=workflow.DRAFT):
            try:
                services.version_publish(version=version, by=actor(request))
                published += 1
            except DomainError as error:
                messages.error(request, f"{version.name}：未发布。")
                report(request, error)
        if published:
            messages.success(request, f"已发布 {published} 个版本。")

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        version = management.version_for_manager(request.user, object_id)
        context: dict[str, Any] = {**(extra_context or {}), "version": version}
        if workflow.is_editable(version.status):
            context["publication_problems"] = [
                {
                    "field": problem.field,
                    "label": management.field_label(problem.field),
                    "message": problem.message,
                    "anchor": _anchor(problem.field),
                }
                for problem in management.publication_check(version)
            ]
        else:
            context["item_draft"] = management.draft_of(version.item)
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<path:object_id>/diff/",
                self.admin_site.admin_view(self.diff_view),
                name="catalog_serviceitemversion_diff",
            ),
            path(
                "<path:object_id>/retire/",
                self.admin_site.admin_view(self.retire_view),
                name="catalog_serviceitemversion_retire",
            ),
        ]
        return own + super().get_urls()

    def diff_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """查看修订内容: what this version changed against the one it was drafted from."""
        version = management.version_for_manager(request.user, object_id)
        previous = management.version_compared_with(version)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"查看修订内容：{version.name} 第{version.number}版",
            "version": version,
            "previous": previous,
            "changes": management.version_diff(previous, version),
        }
        return TemplateResponse(request, "admin/catalog/serviceitemversion/diff.html", context)

    def retire_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """停用 a published version (the item leaves the catalogue) or give up a draft."""
        version = management.version_for_manager(request.user, object_id)
        if version.status == workflow.RETIRED:
            messages.info(request, "该版本已停用。")
            return HttpResponseRedirect(_version_url(version))
        reason = request.POST.get("reason", "") if request.method == "POST" else ""
        error = None
        if request.method == "POST":
            try:
                services.version_retire(version=version, by=actor(request), reason=reason)
            except DomainError as problem:
                error = problem.message
            else:
                messages.success(request, f"第{version.number}版已停用。")
                return HttpResponseRedirect(
                    reverse("admin:catalog_serviceitem_change", args=[version.item_id])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"停用：{version.name} 第{version.number}版",
            "version": version,
            "reason": reason,
            "error": error,
        }
        return TemplateResponse(request, "admin/catalog/serviceitemversion/retire.html", context)


_INLINE_ANCHORS = {
    "materials": "materials-group",
    "fees": "fees-group",
    "special_steps": "special_steps-group",
    "faqs": "faqs-group",
    "procedure_steps": "procedure_steps-group",
    "handling_items": "handling_items-group",
}


def _anchor(field: str) -> str:
    """Where an error summary entry links: the inline group, or the field's input."""
    if field in _INLINE_ANCHORS:
        return _INLINE_ANCHORS[field]
    if field in {"service_objects", "handling_forms"}:
        return f"id_{field}_0"
    return f"id_{field}"


def _changed(form: Any) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data}


@admin.register(BasicItem)
class BasicItemAdmin(ReferenceAdmin):
    list_display = ["basic_code", "name", "item_type", "parent"]
    list_filter = ["item_type"]
    search_fields = ["basic_code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: BasicItem | None = None) -> Any:
        return ["basic_code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: BasicItem, form: Any, change: bool) -> None:
        if change:
            services.basic_item_update(
                basic_item=BasicItem.objects.get(pk=obj.pk), by=actor(request), **_changed(form)
            )
        else:
            self.adopt(obj, services.basic_item_create(by=actor(request), **form.cleaned_data))


@admin.register(Theme)
class ThemeAdmin(ReferenceAdmin):
    list_display = ["name", "code", "audience", "kind", "order"]
    list_filter = ["audience", "kind"]
    search_fields = ["name", "code"]
    ordering = ["audience", "kind", "order"]

    def save_model(self, request: HttpRequest, obj: Theme, form: Any, change: bool) -> None:
        if change:
            services.theme_update(
                theme=Theme.objects.get(pk=obj.pk), by=actor(request), **_changed(form)
            )
        else:
            self.adopt(obj, services.theme_create(by=actor(request), **form.cleaned_data))


@admin.register(Synonym)
class SynonymAdmin(ReferenceAdmin):
    list_display = ["term", "expansion"]
    search_fields = ["term", "expansion"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_everything(request)

    def save_model(self, request: HttpRequest, obj: Synonym, form: Any, change: bool) -> None:
        if change:
            services.synonym_update(
                synonym=Synonym.objects.get(pk=obj.pk), by=actor(request), **_changed(form)
            )
        else:
            self.adopt(
                obj,
                services.synonym_create(
                    by=actor(request),
                    term=form.cleaned_data["term"],
                    expansion=form.cleaned_data["expansion"],
                ),
            )

    def delete_model(self, request: HttpRequest, obj: Synonym) -> None:
        services.synonym_delete(synonym=obj, by=actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Synonym]) -> None:
        for synonym in queryset:
            services.synonym_delete(synonym=synonym, by=actor(request))


@admin.register(CodeListEntry)
class CodeListEntryAdmin(ReferenceAdmin):
    list_display = ["code_list", "code", "name", "order", "is_active"]
    list_filter = ["code_list", "is_active"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: CodeListEntry | None = None) -> Any:
        return ["code_list", "code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: CodeListEntry, form: Any, change: bool) -> None:
        if change:
            services.code_list_entry_update(
                entry=CodeListEntry.objects.get(pk=obj.pk), by=actor(request), **_changed(form)
            )
        else:
            self.adopt(obj, services.code_list_entry_create(by=actor(request), **form.cleaned_data))


# --- Bundles --------------------------------------------------------------------------------------


class BundleForm(forms.ModelForm[Bundle]):
    """Shows the bundle rules a draft must keep (lead department, ≤ 45 WD) beside the fields."""

    class Meta:
        model = Bundle
        fields = [
            "code",
            "name",
            "audience",
            "description",
            "lead_department",
            "supporting_departments",
            "promised_total_working_days",
            "themes",
            "aliases",
            "form_schema",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lead = data.get("lead_department")
        for problem in workflow.bundle_basic_violations(
            lead_department_id=lead.pk if lead is not None else None,
            promised_total_working_days=data.get("promised_total_working_days"),
        ):
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return data


_MEMBER_COLUMNS = ("item", "order", "parallel_group", "optional", "condition")


class BundleMemberInline(admin.StackedInline[BundleMember, Bundle]):
    model = BundleMember
    fk_name = "bundle"
    extra = 0
    fields = list(_MEMBER_COLUMNS)
    autocomplete_fields = ["item"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage(request)


_BUNDLE_FIELDS = [
    "code",
    "name",
    "audience",
    "description",
    "lead_department",
    "supporting_departments",
    "promised_total_working_days",
    "themes",
    "aliases",
    "form_schema",
]


@admin.register(Bundle)
class BundleAdmin(CatalogueAdmin):
    form = BundleForm
    change_form_template = "admin/catalog/bundle/change_form.html"
    list_display = ["code", "name", "audience", "lead_department", "promised", "is_published"]
    list_filter = ["audience", "is_published"]
    search_fields = ["code", "name", "aliases"]
    list_select_related = ["lead_department"]
    filter_horizontal = ["supporting_departments", "themes"]
    inlines = [BundleMemberInline]
    fields = [*_BUNDLE_FIELDS, "is_published"]
    readonly_fields = ["is_published"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Bundle]:
        return management.bundles_managed_by(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Bundle | None = None) -> Any:
        return ["code", "is_published"] if obj is not None else ["is_published"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "lead_department":
            kwargs["queryset"] = management.departments_for_manager(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="承诺总时限")
    def promised(self, obj: Bundle) -> str:
        return f"{obj.promised_total_working_days}个工作日"

    def save_model(self, request: HttpRequest, obj: Bundle, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            fields = _changed(form)
            for name in ("supporting_departments", "themes"):
                if name in fields:
                    fields[name] = list(fields[name])
            services.bundle_update(
                bundle=management.bundle_for_manager(request.user, obj.pk),
                by=actor(request),
                **fields,
            )
            return
        saved = services.bundle_create(
            code=data["code"],
            name=data["name"],
            audience=data["audience"],
            lead_department=data.get("lead_department"),
            promised_total_working_days=data["promised_total_working_days"],
            supporting_departments=list(data.get("supporting_departments") or []),
            description=data.get("description", ""),
            form_schema=data.get("form_schema") or [],
            themes=list(data.get("themes") or []),
            aliases=data.get("aliases", ""),
            by=actor(request),
        )
        self.adopt(obj, saved)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        bundle = management.bundle_for_manager(request.user, form.instance.pk)
        for formset in formsets:
            mark_saved_by_services(formset)
            if not formset.has_changed():
                continue
            rows = formset_rows(formset, _MEMBER_COLUMNS)
            kept = [
                form.instance
                for form in formset.forms
                if getattr(form, "cleaned_data", None) and not formset._should_delete_form(form)
            ]
            for row, member in zip(rows, kept, strict=True):
                # The inline does not show prerequisites: keep those the member already had.
                if member.pk is not None:
                    row["depends_on"] = [m.item for m in member.depends_on.all()]
            services.bundle_set_members(bundle=bundle, by=actor(request), rows=rows)

    def response_change(self, request: HttpRequest, obj: Bundle) -> HttpResponse:
        if "_publish" in request.POST:
            return self._publish(request, obj)
        return super().response_change(request, obj)

    def response_add(
        self, request: HttpRequest, obj: Bundle, post_url_continue: str | None = None
    ) -> HttpResponse:
        if "_publish" in request.POST:
            return self._publish(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _publish(self, request: HttpRequest, obj: Bundle) -> HttpResponse:
        bundle = management.bundle_for_manager(request.user, obj.pk)
        try:
            services.bundle_publish(bundle=bundle, by=actor(request))
        except DomainError as error:
            messages.warning(request, "修改已保存，但未发布。")
            report(request, error)
        else:
            messages.success(request, f"“{bundle.name}”已发布。")
        return HttpResponseRedirect(reverse("admin:catalog_bundle_change", args=[bundle.pk]))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        bundle = management.bundle_for_manager(request.user, object_id)
        context = {
            **(extra_context or {}),
            "merged_materials": management.merged_bundle_materials(bundle),
        }
        return super().change_view(request, object_id, form_url, context)
