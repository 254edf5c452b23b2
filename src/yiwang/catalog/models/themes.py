"""Themes and life events (服务主题, 人生事件) for persons and enterprises; search synonyms."""

from __future__ import annotations

from django.db import models

from yiwang.catalog.models.codes import Audience, ThemeKind


class Theme(models.Model):
    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50)
    audience = models.CharField("对象", max_length=12, choices=Audience.choices)
    kind = models.CharField("类别", max_length=12, choices=ThemeKind.choices)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    description = models.CharField("说明", max_length=300, blank=True)
    steps_note = models.TextField("分步指引", blank=True, help_text="人生事件的办理顺序，每行一步")

    class Meta:
        verbose_name = "主题与人生事件"
        verbose_name_plural = verbose_name
        ordering = ["audience", "kind", "order"]

    def __str__(self) -> str:
        return self.name


class Synonym(models.Model):
    """A colloquial word and the catalogue words it means (“开饭店” → 食品经营许可 …)."""

    term = models.CharField("口语词", max_length=50, unique=True)
    expansion = models.CharField("对应词（空格分隔）", max_length=300)

    class Meta:
        verbose_name = "搜索同义词"
        verbose_name_plural = verbose_name
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansion}"
