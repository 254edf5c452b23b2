"""Service items (GB/T 39046-2020 table 4): basic item → implementation item → version.

`ServiceItem` is the stable identity of one implementation item (one body × one region);
`ServiceItemVersion` holds every guide field and is immutable once published: editing a published
item creates a new draft version, and a case pins the exact version it was filed under.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiwang.catalog.models.codes import (
    AnywhereScope,
    BodyNature,
    CaseType,
    ExerciseLevel,
    HandlingKind,
    ItemType,
    LimitUnit,
    OnlineDepth,
    ResultType,
    VersionStatus,
)
from yiwang.org.models import Department, Region

CODE_MAX = 64  # code lengths vary by province and edition (DOMAIN §3.1): strings, parsed elsewhere


class BasicItem(models.Model):
    """基本目录: the national/provincial basic item that implementation items implement."""

    basic_code = models.CharField("基本编码", max_length=CODE_MAX, unique=True)
    name = models.CharField("事项名称", max_length=200)
    item_type = models.CharField("事项类型", max_length=4, choices=ItemType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="主项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_items",
    )

    class Meta:
        verbose_name = "基本目录事项"
        verbose_name_plural = verbose_name
        ordering = ["basic_code"]

    def __str__(self) -> str:
        return f"{self.basic_code} {self.name}"


class ServiceItem(models.Model):
    """实施清单事项: the stable identity; its guide lives in versions."""

    implementation_code = models.CharField("实施编码", max_length=CODE_MAX, unique=True)
    local_code = models.CharField("地方编码", max_length=CODE_MAX, blank=True)
    basic_item = models.ForeignKey(
        BasicItem, verbose_name="基本目录事项", on_delete=models.PROTECT, related_name="items"
    )
    department = models.ForeignKey(
        Department, verbose_name="实施主体", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name="实施区划", on_delete=models.PROTECT, related_name="+"
    )
    exercise_level = models.CharField("行使层级", max_length=2, choices=ExerciseLevel.choices)
    delegated_from = models.ForeignKey(
        "self",
        verbose_name="下放自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations",
        help_text="由区县下放到乡镇（街道）或村（社区）办理的，填写原事项",
    )
    delegation_note = models.CharField("下放说明", max_length=200, blank=True)
    live_version = models.ForeignKey(
        "ServiceItemVersion",
        verbose_name="现行版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    popularity = models.PositiveIntegerField("热度", default=0)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "实施清单事项"
        verbose_name_plural = verbose_name
        ordering = ["implementation_code"]
        indexes = [models.Index(fields=["department", "exercise_level"])]

    def __str__(self) -> str:
        return self.implementation_code


class ServiceItemVersion(models.Model):
    """One version of an item's guide (办事指南). Published versions are never edited."""

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name="修订自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateTimeField("生效时间", null=True, blank=True)
    valid_to = models.DateTimeField("失效时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    change_note = models.CharField("修订说明", max_length=200, blank=True)
    retire_reason = models.CharField("停用原因", max_length=200, blank=True)

    # --- identity and legal ---
    name = models.CharField("事项名称", max_length=200)
    aliases = models.CharField("俗称（逗号分隔）", max_length=300, blank=True)
    handling_item_code = models.CharField("业务办理项编码", max_length=CODE_MAX, blank=True)
    item_type = models.CharField("事项类型", max_length=4, choices=ItemType.choices)
    legal_basis = models.TextField("设定依据", blank=True)
    exercise_content = models.TextField("行使内容", blank=True)
    body_nature = models.CharField(
        "实施主体性质", max_length=2, choices=BodyNature.choices, default=BodyNature.STATUTORY
    )
    entrusted_department = models.CharField("委托部门", max_length=100, blank=True)
    joint_departments = models.CharField("联办机构", max_length=300, blank=True)
    intermediary_services = models.CharField("中介服务", max_length=300, blank=True)

    # --- time ---
    case_type = models.CharField("办件类型", max_length=2, choices=CaseType.choices)
    statutory_limit_value = models.PositiveIntegerField("法定办结时限", null=True, blank=True)
    statutory_limit_unit = models.CharField(
        "法定时限单位", max_length=2, choices=LimitUnit.choices, blank=True
    )
    statutory_limit_note = models.CharField("法定时限说明", max_length=200, blank=True)
    promised_limit_value = models.PositiveIntegerField("承诺办结时限", default=0)
    promised_limit_unit = models.CharField(
        "承诺时限单位", max_length=2, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAY
    )
    promised_limit_note = models.CharField("承诺时限说明", max_length=200, blank=True)
    extension_allowed = models.BooleanField("可延长审批", default=False)
    extension_max_working_days = models.PositiveSmallIntegerField("最多延长（工作日）", default=0)
    joint_handling = models.BooleanField("联合办理", default=False)

    # --- handling ---
    conditions = models.TextField("受理条件", blank=True)
    quantity_limit = models.CharField("数量限制", max_length=200, blank=True)
    handling_forms = models.JSONField("办理形式", default=list, blank=True)
    visit_count = models.PositiveSmallIntegerField("到办事现场次数", default=1)
    onsite_reason = models.CharField("必须现场办理原因", max_length=300, blank=True)
    online_depth = models.PositiveSmallIntegerField(
        "网上办理深度", choices=OnlineDepth.choices, default=OnlineDepth.INFORMATION
    )
    online_depth_codes = models.CharField(
        "网办深度代码", max_length=40, blank=True, help_text="如 3^4^5^6"
    )
    online_url_pc = models.URLField("电脑端办理地址", blank=True)
    online_url_mobile = models.URLField("移动端办理地址", blank=True)
    discretion_standard = models.TextField("自由裁量标准", blank=True)
    required_realname_level = models.PositiveSmallIntegerField("最低实名等级", default=2)

    # --- service ---
    service_objects = models.JSONField("服务对象", default=list, blank=True)
    anywhere_scope = models.CharField(
        "通办范围", max_length=20, choices=AnywhereScope.choices, blank=True
    )
    in_hall = models.BooleanField("进驻大厅", default=True)
    appointment_supported = models.BooleanField("支持预约办理", default=False)
    online_payment_supported = models.BooleanField("支持网上支付", default=False)
    courier_supported = models.BooleanField("支持物流快递", default=False)
    self_service_supported = models.BooleanField("支持自助终端", default=False)
    themes = models.ManyToManyField(
        "catalog.Theme", verbose_name="主题", blank=True, related_name="versions"
    )

    # --- result ---
    result_type = models.CharField(
        "结果类型", max_length=12, choices=ResultType.choices, default=ResultType.OTHER
    )
    result_name = models.CharField("结果名称", max_length=200, blank=True)
    result_sample = models.FileField("结果样本", upload_to="catalog/samples/", blank=True)
    result_licence_type_code = models.CharField("结果证照类型代码", max_length=40, blank=True)

    # --- fees, place, contact ---
    charged = models.BooleanField("是否收费", default=False)
    fee_basis = models.TextField("收费依据", blank=True)
    address = models.CharField("办理地点", max_length=300, blank=True)
    office_hours = models.CharField("办理时间", max_length=200, blank=True)
    consultation_phone = models.CharField("咨询电话", max_length=60, blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=60, blank=True)

    class Meta:
        verbose_name = "事项版本（办事指南）"
        verbose_name_plural = verbose_name
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_version_number"),
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status="draft"),
                name="catalog_one_draft_per_item",
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status="published"),
                name="catalog_one_published_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.number}版，{self.get_status_display()}）"


class HandlingItem(models.Model):
    """业务办理项: a new / change / renewal / cancellation variant of an item's version."""

    version = models.ForeignKey(
        ServiceItemVersion, on_delete=models.CASCADE, related_name="handling_items"
    )
    code = models.CharField("业务办理项编码", max_length=CODE_MAX)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类别", max_length=20, choices=HandlingKind.choices)

    class Meta:
        verbose_name = "业务办理项"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "code"]

    def __str__(self) -> str:
        return self.name


class ProcedureStep(models.Model):
    """办理流程: the steps of the flow chart, in order."""

    version = models.ForeignKey(
        ServiceItemVersion, on_delete=models.CASCADE, related_name="procedure_steps"
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("环节名称", max_length=50)
    description = models.CharField("环节说明", max_length=300, blank=True)
    limit_note = models.CharField("环节时限", max_length=100, blank=True)

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "order"]

    def __str__(self) -> str:
        return self.name


class FeeItem(models.Model):
    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField("收费项目", max_length=200)
    standard = models.CharField("收费标准", max_length=300)
    amount_yuan = models.DecimalField(
        "金额（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    basis = models.TextField("收费依据")
    waivable = models.BooleanField("可减免", default=False)
    waiver_basis = models.TextField("减免依据", blank=True)

    class Meta:
        verbose_name = "收费项目"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class SpecialStep(models.Model):
    """特殊环节: hearing, inspection, expert review …; by default outside the statutory limit."""

    version = models.ForeignKey(
        ServiceItemVersion, on_delete=models.CASCADE, related_name="special_steps"
    )
    name = models.CharField("环节名称", max_length=50)
    limit_value = models.PositiveIntegerField("所需时限")
    limit_unit = models.CharField("时限单位", max_length=2, choices=LimitUnit.choices)
    basis = models.CharField("法定依据", max_length=300, blank=True)
    charged = models.BooleanField("是否收费", default=False)
    fee_basis = models.CharField("收费依据", max_length=300, blank=True)
    counts_in_limit = models.BooleanField("计算在法定办结时限内", default=False)

    class Meta:
        verbose_name = "特殊环节"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class FrequentQuestion(models.Model):
    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="faqs")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    question = models.CharField("问题", max_length=300)
    answer = models.TextField("解答")

    class Meta:
        verbose_name = "常见问题"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "order"]

    def __str__(self) -> str:
        return self.question
