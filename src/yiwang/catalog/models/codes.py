"""Code lists of GB/T 39046-2020 Appendix A and DOMAIN §3, as admin-editable data.

Choices below are the seeded national values; `CodeListEntry` rows (seeded by a migration) let
administrators add local values (e.g. 事项类型 11…) without a code change. Fields store the code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeList(models.TextChoices):
    ITEM_TYPE = "A.1", _("事项类型")
    EXERCISE_LEVEL = "A.2", _("行使层级")
    BODY_NATURE = "A.3", _("实施主体性质")
    SERVICE_OBJECT = "A.4", _("服务对象")
    HANDLING_FORM = "A.5", _("办理形式")
    CASE_TYPE = "A.6", _("办件类型")
    SPECIAL_PROCEDURE = "A.7", _("特别程序种类")
    SATISFACTION = "A.8", _("满意度")


class CodeListEntry(models.Model):
    code_list = models.CharField("代码表", max_length=8, choices=CodeList.choices)
    code = models.CharField("代码", max_length=8)
    name = models.CharField("名称", max_length=50)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "代码表项"
        verbose_name_plural = verbose_name
        ordering = ["code_list", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code_list", "code"], name="catalog_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ItemType(models.TextChoices):
    POWER = "00", _("行政权力事项")
    LICENSING = "01", _("行政许可")
    PENALTY = "02", _("行政处罚")
    ENFORCEMENT = "03", _("行政强制")
    LEVY = "04", _("行政征收")
    BENEFIT = "05", _("行政给付")
    INSPECTION = "06", _("行政检查")
    CONFIRMATION = "07", _("行政确认")
    REWARD = "08", _("行政奖励")
    ADJUDICATION = "09", _("行政裁决")
    OTHER = "10", _("其他行政权力")
    PUBLIC_SERVICE = "20", _("公共服务")


class ExerciseLevel(models.TextChoices):
    NATIONAL = "1", _("国家级")
    PROVINCE = "2", _("省级")
    CITY = "3", _("市级")
    COUNTY = "4", _("县级")
    TOWN = "5", _("镇（乡、街道）级")
    VILLAGE = "6", _("村（社区）级")
    GRADED = "7", _("分级管理")


class BodyNature(models.TextChoices):
    STATUTORY = "1", _("法定机关")
    AUTHORISED = "2", _("授权组织")
    ENTRUSTED = "3", _("受委托组织")
    OTHER = "9", _("其他")


class ServiceObject(models.TextChoices):
    PERSON = "1", _("自然人")
    ENTERPRISE = "2", _("企业法人")
    INSTITUTION = "3", _("事业法人")
    SOCIAL_ORGANISATION = "4", _("社会组织法人")
    GOVERNMENT = "5", _("行政机关")
    OTHER = "6", _("其他组织")


class HandlingForm(models.TextChoices):
    WINDOW = "1", _("窗口办理")
    WEB = "2", _("电脑端网上办理")
    MOBILE = "3", _("移动端网上申请")
    POST = "4", _("快递申请")
    OTHER = "9", _("其他")


class CaseType(models.TextChoices):
    IMMEDIATE = "1", _("即办件")
    PROMISED = "2", _("承诺件")
    OTHER = "9", _("其他")


class LimitUnit(models.TextChoices):
    WORKING_DAY = "WD", _("工作日")
    CALENDAR_DAY = "CD", _("自然日")
    HOUR = "H", _("小时")
    MONTH = "M", _("月")


class OnlineDepth(models.IntegerChoices):
    """Online-handling depth levels (Huai'an / national guide): IV = never visit in person."""

    INFORMATION = 1, _("一级（办事指南）")
    FORMS = 2, _("二级（表格下载、预约、网上提交）")
    PREVIEW = 3, _("三级（网上申请、网上预审）")
    FULLY_ONLINE = 4, _("四级（全程网办）")


class ResultType(models.TextChoices):
    CERTIFICATE = "certificate", _("出证")
    DOCUMENT = "document", _("出文")
    APPROVAL = "approval", _("审批")
    OTHER = "other", _("其他")


class AnywhereScope(models.TextChoices):
    NONE = "", _("不通办")
    CITY = "city", _("全城通办")
    CROSS_COUNTY = "cross_county", _("跨县通办")
    CROSS_CITY = "cross_city", _("跨市通办")
    CROSS_PROVINCE = "cross_province", _("跨省通办")
    NATIONAL = "national", _("全国通办")


class MaterialForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    BOTH = "both", _("纸质和电子")


class MaterialNecessity(models.TextChoices):
    REQUIRED = "required", _("必要")
    OPTIONAL = "optional", _("非必要")
    TOLERATED = "tolerated", _("容缺后补")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    GOVERNMENT = "government", _("政府部门核发")
    OTHER = "other", _("其他")


class HandlingKind(models.TextChoices):
    NEW = "new", _("新办")
    CHANGE = "change", _("变更")
    RENEWAL = "renewal", _("延续")
    CANCELLATION = "cancellation", _("注销")
    OTHER = "other", _("其他")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class Audience(models.TextChoices):
    PERSON = "person", _("个人")
    ENTERPRISE = "enterprise", _("法人")


class ThemeKind(models.TextChoices):
    THEME = "theme", _("服务主题")
    LIFE_EVENT = "life_event", _("人生事件")
