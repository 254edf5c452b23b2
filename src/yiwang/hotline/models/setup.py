"""What the hotline centre configures: categories, areas, routing and time-limit rules, the
knowledge base. All data, editable in the admin."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from yiwang.hotline.workflow import LimitUnit, TicketType, Urgency
from yiwang.org.models import Department


class Category(models.Model):
    """The category tree (≤ 3 levels). `code` is what Open311 calls `service_code`."""

    code = models.CharField("分类代码", max_length=20, unique=True)
    name = models.CharField("分类名称", max_length=60)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField("层级", default=1)
    default_department = models.ForeignKey(
        Department,
        verbose_name="默认承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    urgent_by_default = models.BooleanField("默认紧急", default=False)
    is_public = models.BooleanField("对外公开（开放接口）", default=True)
    service_notice = models.CharField("办理提示", max_length=200, blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    questions: models.JSONField[list[dict[str, Any]], list[dict[str, Any]]] = models.JSONField(
        "登记时需询问的问题", default=list, blank=True
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "工单分类"
        verbose_name_plural = verbose_name
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=3), name="hotline_category_level"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A town or street (镇街) with its boundary: a polygon of [longitude, latitude] points
    (WGS84), used by routing rules and to place a reported point."""

    name = models.CharField("名称", max_length=60)
    region_code = models.CharField("区划代码", max_length=12, db_index=True)
    polygon: models.JSONField[list[list[float]], list[list[float]]] = models.JSONField(
        "边界（经纬度点列）", default=list
    )
    min_longitude = models.FloatField(default=0)
    max_longitude = models.FloatField(default=0)
    min_latitude = models.FloatField(default=0)
    max_latitude = models.FloatField(default=0)

    class Meta:
        verbose_name = "片区"
        verbose_name_plural = verbose_name
        ordering = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Category × area × type → lead unit and co-handlers; the first active rule (by `order`)
    that matches wins. An empty condition matches anything; a category matches its subtree."""

    order = models.PositiveIntegerField("顺序", default=100)
    name = models.CharField("规则名称", max_length=100)
    category = models.ForeignKey(
        Category,
        verbose_name="分类",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    area = models.ForeignKey(
        Area, verbose_name="片区", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ticket_type = models.CharField(
        "诉求类型", max_length=20, choices=TicketType.choices, blank=True
    )
    lead_department = models.ForeignKey(
        Department, verbose_name="主办单位", on_delete=models.PROTECT, related_name="+"
    )
    co_departments = models.ManyToManyField(
        Department, verbose_name="协办单位", blank=True, related_name="+"
    )
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "派单规则"
        verbose_name_plural = verbose_name
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class TimeLimitRule(models.Model):
    """Time limits per type × category × urgency; the most specific matching rule applies
    (urgency, then category depth, then type). An empty condition matches anything."""

    name = models.CharField("规则名称", max_length=100)
    ticket_type = models.CharField(
        "诉求类型", max_length=20, choices=TicketType.choices, blank=True
    )
    category = models.ForeignKey(
        Category,
        verbose_name="分类",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, blank=True)
    dispatch_value = models.PositiveSmallIntegerField("派单时限", default=1)
    dispatch_unit = models.CharField(
        "派单时限单位", max_length=20, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    sign_hours = models.PositiveSmallIntegerField("签收时限（工作小时）", default=2)
    handling_value = models.PositiveSmallIntegerField("办理时限", default=5)
    handling_unit = models.CharField(
        "办理时限单位", max_length=20, choices=LimitUnit.choices, default=LimitUnit.CALENDAR_DAYS
    )
    callback_days = models.PositiveSmallIntegerField("回访时限（自然日）", default=1)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "时限规则"
        verbose_name_plural = verbose_name
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KnowledgeArticle(models.Model):
    """An answer the operator reads out (知识库); a ticket answered from it closes at intake."""

    title = models.CharField("标题", max_length=100)
    body = models.TextField("答复口径")
    category = models.ForeignKey(
        Category,
        verbose_name="分类",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    keywords = models.CharField("关键词", max_length=200, blank=True)
    search_text = models.TextField(editable=False, default="")
    department_name = models.CharField("提供单位", max_length=100, blank=True)
    use_count = models.PositiveIntegerField("使用次数", default=0)
    is_active = models.BooleanField("在用", default=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "知识库条目"
        verbose_name_plural = verbose_name
        ordering = ["-use_count", "title"]

    def __str__(self) -> str:
        return self.title
