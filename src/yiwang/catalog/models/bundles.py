"""Bundles (一件事): several items of several departments, one form, one set of materials."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from yiwang.catalog.models.codes import Audience
from yiwang.catalog.models.items import ServiceItem
from yiwang.org.models import Department


class Bundle(models.Model):
    code = models.CharField("编码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=200)
    audience = models.CharField("对象", max_length=12, choices=Audience.choices)
    description = models.TextField("说明", blank=True)
    lead_department = models.ForeignKey(
        Department, verbose_name="牵头部门", on_delete=models.PROTECT, related_name="+"
    )
    supporting_departments = models.ManyToManyField(
        Department, verbose_name="配合部门", blank=True, related_name="+"
    )
    promised_total_working_days = models.PositiveSmallIntegerField("承诺总时限（工作日）")
    form_schema = models.JSONField(
        "合并表单",
        default=list,
        blank=True,
        help_text="一张表单的字段，每项注明映射到哪些成员事项",
    )
    themes = models.ManyToManyField(
        "catalog.Theme", verbose_name="主题", blank=True, related_name="bundles"
    )
    aliases = models.CharField("俗称（逗号分隔）", max_length=300, blank=True)
    is_published = models.BooleanField("已发布", default=False)
    popularity = models.PositiveIntegerField("热度", default=0)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "一件事"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BundleMember(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="members")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    parallel_group = models.PositiveSmallIntegerField(
        "并联组", default=1, help_text="同组并联办理，组号小的先办"
    )
    depends_on = models.ManyToManyField(
        "self", verbose_name="前置事项", symmetrical=False, blank=True, related_name="+"
    )
    optional = models.BooleanField("可选", default=False)
    condition = models.CharField("适用条件", max_length=200, blank=True)

    class Meta:
        verbose_name = "一件事成员事项"
        verbose_name_plural = verbose_name
        ordering = ["bundle_id", "parallel_group", "order"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="catalog_bundle_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.bundle} · {self.item}"
