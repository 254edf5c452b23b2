"""Django admin of the licence library (电子证照库), for administrators and issuing staff.

- 证照类型: administrators add and edit; saving goes through `licence_type_save`, so the face
  schema and the codes are checked there and its problems come back as form errors.
- 电子证照: read-only list (search by number or identifier, filters by status, type and trust
  level; holder codes masked). Issuing staff see their departments' licences, administrators all.
  The change page's “变更状态” button changes the status with a reason through
  `licence_status_change` (the department head). “导入历史证照（Excel）” opens the import page:
  upload, every problem listed, nothing written; or a success message with the count.
- 证照状态记录, 证照用证记录: read-only. 部门签名密钥: read-only (no private key shown) with the
  action “启用新签名密钥” through `signing_key_rotate`, for administrators.

Nothing here decides who may do what beyond asking the selectors, and nothing writes except
through the services.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from yiwang.identity.models import User
from yiwang.licences import selectors
from yiwang.licences.holders import mask_holder_code
from yiwang.licences.models import (
    Licence,
    LicenceAccess,
    LicenceStatusChange,
    LicenceType,
    SigningKey,
)
from yiwang.licences.services import (
    LicenceTypeData,
    licence_import_template,
    licence_import_workbook,
    licence_status_change,
    licence_type_save,
    signing_key_rotate,
)
from yiwang.licences.workflow import MANUAL_STATUSES, LicenceStatus
from yiwang.platform.errors import DomainError, FieldError, InvalidInput, RuleViolated

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def actor(request: HttpRequest) -> User:
    """The signed-in user behind an admin request (the admin site lets no one else in)."""
    assert isinstance(request.user, User)
    return request.user


def uses_licence_admin(request: HttpRequest) -> bool:
    cached = getattr(request, "_licence_admin", None)
    if cached is None:
        cached = selectors.user_uses_licence_admin(request.user)
        request._licence_admin = cached  # type: ignore[attr-defined]
    return bool(cached)


def administers(request: HttpRequest) -> bool:
    cached = getattr(request, "_licence_administrator", None)
    if cached is None:
        cached = selectors.user_administers_licences(request.user)
        request._licence_administrator = cached  # type: ignore[attr-defined]
    return bool(cached)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Seen by administrators and issuing staff; nothing is added, changed or deleted here."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return uses_licence_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return uses_licence_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        # Missing and not yours look the same: a 404, not the admin's redirect.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("not found")
        return obj


# --- Types ----------------------------------------------------------------------------------------


class LicenceTypeForm(forms.ModelForm[LicenceType]):
    """Validated by saving: `licence_type_save` checks the codes and the face schema; its
    problems become this form's errors (and nothing is saved, the savepoint rolls back)."""

    by: User | None = None
    saved: LicenceType | None = None

    class Meta:
        model = LicenceType
        fields = [
            "code",
            "type_code",
            "name",
            "defining_authority",
            "holder_kind",
            "face_fields",
            "validity_rule",
            "validity_years",
            "several_valid",
        ]
        help_texts = {
            "code": _("平台内的简称，如 BUSINESS_LICENCE；事项材料以此引用。保存后不能修改。"),
            "type_code": _("定义机构的统一社会信用代码加 3 位顺序号，共 21 位"),
            "face_fields": _(
                '列表，每项如 {"key": "legal_representative", "label": "法定代表人", '
                '"kind": "text", "required": true}；kind 为 text、date、number 或 choice'
                '（choice 需 "choices": [...]）'
            ),
        }

    def _post_clean(self) -> None:  # after the model's own checks (unique code …)
        super()._post_clean()  # type: ignore[misc]
        if self.errors:
            return
        data = self.cleaned_data
        code = data.get("code") or self.instance.code
        try:
            with transaction.atomic():
                self.saved = licence_type_save(
                    data=LicenceTypeData(
                        code=code,
                        type_code=data["type_code"],
                        name=data["name"],
                        defining_authority=data["defining_authority"],
                        holder_kind=data["holder_kind"],
                        face_fields=data.get("face_fields") or [],
                        validity_rule=data["validity_rule"],
                        validity_years=data.get("validity_years"),
                        several_valid=bool(data.get("several_valid")),
                    ),
                    actor=self.by,
                )
        except InvalidInput as error:
            for problem in error.errors or [FieldError("", error.message)]:
                name = problem.field.split("[")[0].split(".")[0]
                self.add_error(name if name in self.fields else None, problem.message)


@admin.register(LicenceType)
class LicenceTypeAdmin(ReadOnlyAdmin):
    form = LicenceTypeForm
    list_display = [
        "name",
        "code",
        "type_code",
        "holder_kind",
        "validity_rule",
        "validity_years",
        "several_valid",
        "is_active",
    ]
    list_filter = ["holder_kind", "validity_rule", "is_active"]
    search_fields = ["code", "name", "type_code", "defining_authority"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return administers(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return administers(request)

    def get_readonly_fields(self, request: HttpRequest, obj: LicenceType | None = None) -> Any:
        # The service keys types by code; `is_active` is not one of its inputs.
        fixed = ["is_active", "created_at", "updated_at"]
        return ["code", *fixed] if obj is not None else fixed

    def get_form(
        self,
        request: HttpRequest,
        obj: LicenceType | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("BoundLicenceTypeForm", (form,), {"by": actor(request)})

    def save_model(self, request: HttpRequest, obj: LicenceType, form: Any, change: bool) -> None:
        saved = form.saved  # written by the form's validation, through the service
        assert saved is not None
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db


# --- Licences -------------------------------------------------------------------------------------


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("新状态"),
        choices=[(s.value, s.label) for s in LicenceStatus if s.value in MANUAL_STATUSES],
    )
    reason = forms.CharField(label=_("原因"), max_length=200, widget=forms.TextInput)


class LicenceImportForm(forms.Form):
    department: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("颁证部门"), queryset=None, empty_label=None
    )
    workbook = forms.FileField(
        label=_("历史证照（Excel .xlsx）"),
        help_text=_("请使用下载的模板；文件中任何一处有误，都不会导入，并列出全部错误。"),
    )

    def __init__(self, *args: Any, departments: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(gettext("文件超过 20MB，请分成几个文件导入。"))
        return upload


class TemplateForm(forms.Form):
    type = forms.ModelMultipleChoiceField(
        label=_("证照类型"),
        queryset=LicenceType.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        required=False,
        help_text=_("不选则包含全部在用类型的证面信息项"),
    )


_LICENCE_FIELDS: tuple[str, ...] = (
    "identifier",
    "licence_type",
    "number",
    "holder_name",
    "holder_code_type",
    "masked_holder_code",
    "issuer_name",
    "issuer_code",
    "region_code",
    "issued_on",
    "valid_from",
    "valid_to",
    "face",
    "trust_level",
    "status",
    "status_changed_at",
    "version",
    "previous",
    "source_case_number",
    "signing_key",
    "signature",
    "created_at",
)


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "licence_type",
        "holder_name",
        "masked_holder_code",
        "issuer_name",
        "issued_on",
        "valid_to",
        "status",
        "trust_level",
    ]
    list_filter = ["status", "licence_type", "trust_level"]
    search_fields = ["=number", "=identifier"]
    search_help_text = _("按证照编号或电子证照标识（完整）查找")
    list_select_related = ["licence_type"]
    date_hierarchy = None
    fields = _LICENCE_FIELDS
    readonly_fields = _LICENCE_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Licence]:
        return selectors.licences_for_staff(request.user)

    @admin.display(description=_("持证主体代码"))
    def masked_holder_code(self, obj: Licence) -> str:
        return mask_holder_code(obj.holder_code_type, obj.holder_code)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        own = [
            path("import/", view(self.import_view), name="licences_licence_import"),
            path("import/template/", view(self.template_view), name="licences_licence_template"),
            path("<int:object_id>/status/", view(self.status_view), name="licences_licence_status"),
        ]
        return own + super().get_urls()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {
            **(extra_context or {}),
            "may_import": selectors.departments_issuing_for(request.user).exists(),
        }
        return super().changelist_view(request, context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        licence = self.get_object(request, object_id)
        context = {
            **(extra_context or {}),
            "may_change_status": selectors.user_may_change_status(request.user, licence.issuer_id),
            "history": selectors.licence_history(licence),
        }
        return super().change_view(request, object_id, form_url, context)

    def status_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """变更状态: suspend, revoke, cancel or reinstate with a reason, through the service."""
        licence = selectors.licence_for_issuer_staff(request.user, object_id)
        form = StatusChangeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                licence_status_change(
                    licence=licence,
                    to_status=form.cleaned_data["to_status"],
                    reason=form.cleaned_data["reason"],
                    actor=actor(request),
                )
            except DomainError as error:
                for problem in error.errors:
                    name = problem.field if problem.field in form.fields else None
                    form.add_error(name, problem.message)
                if not error.errors:
                    form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    gettext("证照 %(number)s 已变更为“%(status)s”。")
                    % {"number": licence.number, "status": licence.get_status_display()},
                )
                return HttpResponseRedirect(
                    reverse("admin:licences_licence_change", args=[licence.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("变更证照状态"),
            "opts": self.model._meta,
            "licence": licence,
            "form": form,
        }
        return TemplateResponse(request, "admin/licences/licence/status.html", context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """导入历史证照 (Excel): all or nothing; every problem listed, nothing written."""
        departments = selectors.departments_issuing_for(request.user)
        if not departments.exists():
            raise Http404
        report = None
        errors: list[FieldError] = []
        form = LicenceImportForm(
            request.POST or None, request.FILES or None, departments=departments
        )
        if request.method == "POST" and form.is_valid():
            try:
                report = licence_import_workbook(
                    data=form.cleaned_data["workbook"].read(),
                    department_id=form.cleaned_data["department"].pk,
                    actor=actor(request),
                )
            except RuleViolated as refusal:
                errors = refusal.errors or [FieldError(field="", message=refusal.message)]
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, report.summary())
                return HttpResponseRedirect(reverse("admin:licences_licence_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("导入历史电子证照"),
            "opts": self.model._meta,
            "form": form,
            "template_form": TemplateForm(),
            "errors": errors,
        }
        return TemplateResponse(request, "admin/licences/licence/import.html", context)

    def template_view(self, request: HttpRequest) -> HttpResponse:
        """The import template for the chosen types (all active types when none is chosen)."""
        if not selectors.departments_issuing_for(request.user).exists():
            raise Http404
        form = TemplateForm(request.GET)
        codes = [t.code for t in form.cleaned_data["type"]] if form.is_valid() else []
        response = HttpResponse(
            licence_import_template(licence_type_codes=codes), content_type=XLSX
        )
        name = quote(gettext("电子证照批量导入模板") + ".xlsx")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response


_LICENCE_STATUS_CHANGE_FIELDS: tuple[str, ...] = (
    "licence",
    "from_status",
    "to_status",
    "reason",
    "actor_label",
    "changed_at",
)


@admin.register(LicenceStatusChange)
class LicenceStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "licence", "from_status", "to_status", "reason", "actor_label"]
    list_filter = ["to_status"]
    search_fields = ["=licence__number", "=licence__identifier"]
    fields = _LICENCE_STATUS_CHANGE_FIELDS
    readonly_fields = _LICENCE_STATUS_CHANGE_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[LicenceStatusChange]:
        return selectors.licence_status_changes_for_staff(request.user)


_LICENCE_ACCESS_FIELDS: tuple[str, ...] = (
    "accessed_at",
    "licence",
    "licence_type_codes",
    "purpose",
    "result",
    "reason",
    "case_number",
    "department",
    "unit_name",
    "accessor_label",
    "watermark",
    "region_code",
)


@admin.register(LicenceAccess)
class LicenceAccessAdmin(ReadOnlyAdmin):
    list_display = [
        "accessed_at",
        "unit_name",
        "licence",
        "purpose",
        "result",
        "reason",
        "case_number",
        "accessor_label",
    ]
    list_filter = ["purpose", "result"]
    search_fields = ["=case_number", "=licence__number"]
    fields = _LICENCE_ACCESS_FIELDS
    readonly_fields = _LICENCE_ACCESS_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[LicenceAccess]:
        return selectors.licence_accesses_for_staff(request.user)


_SIGNING_KEY_FIELDS: tuple[str, ...] = (
    "key_id",
    "department",
    "public_key",
    "created_at",
    "retired_at",
)


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    list_display = ["key_id", "department", "created_at", "retired_at"]
    list_filter = [("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["key_id", "department__name"]
    fields = _SIGNING_KEY_FIELDS
    readonly_fields = _SIGNING_KEY_FIELDS
    actions = ["rotate"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return administers(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return administers(request)

    def has_rotate_permission(self, request: HttpRequest) -> bool:
        return administers(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SigningKey]:
        return selectors.signing_keys_for_staff(request.user)

    @admin.action(description=_("启用新签名密钥（轮换所选密钥的部门）"), permissions=["rotate"])
    def rotate(self, request: HttpRequest, queryset: QuerySet[SigningKey]) -> None:
        departments = {key.department_id: key.department for key in queryset}
        for department in departments.values():
            key = signing_key_rotate(department=department, actor=actor(request))
            messages.success(
                request,
                gettext("%(department)s 已启用新签名密钥 %(key)s。")
                % {"department": department.name, "key": key.key_id},
            )
        if len(departments) > 1:
            messages.info(
                request,
                ngettext(
                    "共轮换 %(n)s 个部门的密钥。", "共轮换 %(n)s 个部门的密钥。", len(departments)
                )
                % {"n": len(departments)},
            )
