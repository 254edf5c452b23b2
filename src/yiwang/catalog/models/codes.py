"""Code lists of GB/T 39046-2020 Appendix A and DOMAIN §3, as admin-editable data.

Choices below are the seeded national values; `CodeListEntry` rows (seeded by a migration) let
administrators add local values (e.g. 事项类型 11…) without a code change. Fields store the code.
"""

from __future__ import annotations

from django.db import models


class CodeList(models.TextChoices):
    ITEM_TYPE = "A.1", "事项类型"
    EXERCISE_LEVEL = "A.2", "行使层级"
    BODY_NATURE = "A.3", "实施主体性质"
    SERVICE_OBJECT = "A.4", "服务对象"
    HANDLING_FORM = "A.5", "办理形式"
    CASE_TYPE = "A.6", "办件类型"
    SPECIAL_PROCEDURE = "A.7", "特别程序种类"
    SATISFACTION = "A.8", "满意度"


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
    POWER = "00", "行政权力事项"
    LICENSING = "01", "行政许可"
    PENALTY = "02", "行政处罚"
    ENFORCEMENT = "03", "行政强制"
    LEVY = "04", "行政征收"
    BENEFIT = "05", "行政给付"
    INSPECTION = "06", "行政检查"
    CONFIRMATION = "07", "行政确认"
    REWARD = "08", "行政奖励"
    ADJUDICATION = "09", "行政裁决"
    OTHER = "10", "其他行政权力"
    PUBLIC_SERVICE = "20", "公共服务"


class ExerciseLevel(models.TextChoices):
    NATIONAL = "1", "国家级"
    PROVINCE = "2", "省级"
    CITY = "3", "市级"
    COUNTY = "4", "县级"
    TOWN = "5", "镇（乡、街道）级"
    VILLAGE = "6", "村（社区）级"
    GRADED = "7", "分级管理"


class BodyNature(models.TextChoices):
    STATUTORY = "1", "法定机关"
    AUTHORISED = "2", "授权组织"
    ENTRUSTED = "3", "受委托组织"
    OTHER = "9", "其他"


class ServiceObject(models.TextChoices):
    PERSON = "1", "自然人"
    ENTERPRISE = "2", "企业法人"
    INSTITUTION = "3", "事业法人"
    SOCIAL_ORGANISATION = "4", "社会组织法人"
    GOVERNMENT = "5", "行政机关"
    OTHER = "6", "其他组织"


class HandlingForm(models.TextChoices):
    WINDOW = "1", "窗口办理"
    WEB = "2", "电脑端网上办理"
    MOBILE = "3", "移动端网上申请"
    POST = "4", "快递申请"
    OTHER = "9", "其他"


class CaseType(models.TextChoices):
    IMMEDIATE = "1", "即办件"
    PROMISED = "2", "承诺件"
    OTHER = "9", "其他"


class LimitUnit(models.TextChoices):
    WORKING_DAY = "WD", "工作日"
    CALENDAR_DAY = "CD", "自然日"
    HOUR = "H", "小时"
    MONTH = "M", "月"


class OnlineDepth(models.IntegerChoices):
    """Online-handling depth levels (Huai'an / national guide): IV = never visit in person."""

    INFORMATION = 1, "一级（办事指南）"
    FORMS = 2, "二级（表格下载、预约、网上提交）"
    PREVIEW = 3, "三级（网上申请、网上预审）"
    FULLY_ONLINE = 4, "四级（全程网办）"


class ResultType(models.TextChoices):
    CERTIFICATE = "certificate", "出证"
    DOCUMENT = "document", "出文"
    APPROVAL = "approval", "审批"
    OTHER = "other", "其他"


class AnywhereScope(models.TextChoices):
    NONE = "", "不通办"
    CITY = "city", "全城通办"
    CROSS_COUNTY = "cross_county", "跨县通办"
    CROSS_CITY = "cross_city", "跨市通办"
    CROSS_PROVINCE = "cross_province", "跨省通办"
    NATIONAL = "national", "全国通办"


class MaterialForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    BOTH = "both", "纸质和电子"


class MaterialNecessity(models.TextChoices):
    REQUIRED = "required", "必要"
    OPTIONAL = "optional", "非必要"
    TOLERATED = "tolerated", "容缺后补"


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", "申请人自备"
    GOVERNMENT = "government", "政府部门核发"
    OTHER = "other", "其他"


class HandlingKind(models.TextChoices):
    NEW = "new", "新办"
    CHANGE = "change", "变更"
    RENEWAL = "renewal", "延续"
    CANCELLATION = "cancellation", "注销"
    OTHER = "other", "其他"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class Audience(models.TextChoices):
    PERSON = "person", "个人"
    ENTERPRISE = "enterprise", "法人"


class ThemeKind(models.TextChoices):
    THEME = "theme", "服务主题"
    LIFE_EVENT = "life_event", "人生事件"
