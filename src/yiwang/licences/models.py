"""The electronic licence library (电子证照库): types, licences with their status history,
department signing keys, serial counters and the access log. DOMAIN §5."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiwang.licences.workflow import (
    AccessPurpose,
    AccessResult,
    HolderKind,
    LicenceStatus,
    TrustLevel,
    ValidityRule,
)
from yiwang.org.models import Department
from yiwang.platform.fields import EncryptedTextField


class LicenceType(models.Model):
    """A kind of licence (营业执照, 结婚证 …) with the face fields every instance carries.

    `code` is the platform's short name (`BUSINESS_LICENCE`) that catalogue materials list in
    `accepted_licence_types` and items in `result_licence_type_code`; `type_code` is the national
    21-character code inside identifiers.
    """

    code = models.CharField("类型简码", max_length=40, unique=True)
    type_code = models.CharField("证照类型代码", max_length=21, unique=True)
    name = models.CharField("证照名称", max_length=100)
    defining_authority = models.CharField("定义机构", max_length=100)
    holder_kind = models.CharField("持证主体代码类型", max_length=3, choices=HolderKind.choices)
    face_fields: models.JSONField[list[dict[str, Any]], list[dict[str, Any]]] = models.JSONField(
        "证面信息项", default=list, blank=True
    )
    validity_rule = models.CharField(
        "有效期规则", max_length=20, choices=ValidityRule.choices, default=ValidityRule.LONG_TERM
    )
    validity_years = models.PositiveSmallIntegerField("有效年限", null=True, blank=True)
    several_valid = models.BooleanField("同一持证人可同时持有多张有效证照", default=False)
    is_active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "证照类型"
        verbose_name_plural = verbose_name
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(validity_rule=ValidityRule.FIXED_YEARS)
                | models.Q(validity_years__gte=1),
                name="licences_type_fixed_years_need_years",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SigningKey(models.Model):
    """A department's Ed25519 key. Rotation retires the key but keeps it: licences point at the
    key that signed them, so old signatures stay verifiable."""

    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    key_id = models.CharField("密钥编号", max_length=40, unique=True)
    public_key = models.CharField("公钥（Base64）", max_length=64)
    private_key = EncryptedTextField("私钥")
    created_at = models.DateTimeField("启用时间", default=timezone.now)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "部门签名密钥"
        verbose_name_plural = verbose_name
        ordering = ["department_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["department"],
                condition=models.Q(retired_at__isnull=True),
                name="licences_one_active_key_per_department",
            )
        ]

    def __str__(self) -> str:
        return self.key_id


class SerialCounter(models.Model):
    """The last serial used per (type, issuer, year): serials are `<year><7 digits>`."""

    licence_type = models.ForeignKey(LicenceType, on_delete=models.CASCADE, related_name="+")
    issuer = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["licence_type", "issuer", "year"], name="licences_serial_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.licence_type_id}/{self.issuer_id}/{self.year}: {self.last}"


class Licence(models.Model):
    identifier = models.CharField("证照标识", max_length=96, unique=True)
    licence_type = models.ForeignKey(
        LicenceType, verbose_name="证照类型", on_delete=models.PROTECT, related_name="licences"
    )
    number = models.CharField("证照编号", max_length=60)
    holder_name = models.CharField("持证主体", max_length=200)
    holder_code_type = models.CharField(
        "持证主体代码类型", max_length=3, choices=HolderKind.choices
    )
    holder_code = EncryptedTextField("持证主体代码")
    holder_code_index = models.CharField(max_length=64, editable=False)
    issuer = models.ForeignKey(
        Department, verbose_name="颁证单位", on_delete=models.PROTECT, related_name="+"
    )
    issuer_name = models.CharField("颁证单位名称", max_length=100)
    issuer_code = models.CharField("颁证单位代码", max_length=18)
    region_code = models.CharField("区划代码", max_length=12)
    issued_on = models.DateField("颁证日期")
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期至", null=True, blank=True, help_text="空为长期有效")
    face: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        "证面信息", default=dict, blank=True
    )
    trust_level = models.CharField(
        "可信等级", max_length=1, choices=TrustLevel.choices, default=TrustLevel.A
    )
    status = models.CharField(
        "状态", max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    status_changed_at = models.DateTimeField("状态变更时间", default=timezone.now)
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name="前一版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    source_case_number = models.CharField("来源办件编号", max_length=40, blank=True)
    expiry_reminded_on = models.DateField("到期提醒日期", null=True, blank=True)
    signing_key = models.ForeignKey(
        SigningKey, verbose_name="签名密钥", on_delete=models.PROTECT, related_name="+"
    )
    signature = models.CharField("签名（Base64）", max_length=100)
    created_at = models.DateTimeField("入库时间", default=timezone.now)

    class Meta:
        verbose_name = "电子证照"
        verbose_name_plural = verbose_name
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(
                fields=["holder_code_index", "licence_type", "status"],
                name="licences_holder_type_status",
            ),
            models.Index(fields=["status", "valid_to"], name="licences_status_valid_to"),
            models.Index(fields=["issuer", "issued_on"], name="licences_issuer_issued_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="licences_valid_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.licence_type.name} {self.number}"


class LicenceStatusChange(models.Model):
    """Every status a licence entered, with who and why; appended, never changed."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=12, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=LicenceStatus.choices)
    reason = models.CharField("原因", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    changed_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "证照状态记录"
        verbose_name_plural = verbose_name
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class LicenceAccess(models.Model):
    """A department looked up or downloaded a holder's licences, with its stated reason.
    Appended, never changed; the holder reads these in the wallet."""

    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.CASCADE, related_name="accesses"
    )
    holder_code_index = models.CharField(max_length=64, db_index=True)
    licence_type_codes = models.CharField("查询的证照类型", max_length=400, blank=True)
    purpose = models.CharField("用途", max_length=10, choices=AccessPurpose.choices)
    result = models.CharField("结果", max_length=10, choices=AccessResult.choices)
    reason = models.CharField("申请事由", max_length=200)
    case_number = models.CharField("办件编号", max_length=40, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_name = models.CharField("查询单位", max_length=100)
    accessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accessor_label = models.CharField("查询人", max_length=150, blank=True)
    watermark = models.CharField("水印", max_length=200, blank=True)
    region_code = models.CharField("区划代码", max_length=12, blank=True)
    accessed_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "证照用证记录"
        verbose_name_plural = verbose_name
        ordering = ["-accessed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.get_purpose_display()} {self.accessed_at:%Y-%m-%d %H:%M}"
