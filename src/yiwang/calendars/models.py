"""The working-day calendar (`WorkCalendar`, DOMAIN.md §2): days, years, edits, a revision token.

Scopes: `region_code == ""` is the national calendar, which stores every date of the years it
knows; a GB/T 2260 code holds that region's overrides only (local holidays). People who changed
something are recorded by their account code, not by a foreign key: accounts live in a higher
layer (identity) and foreign keys only point down.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from yiwang.calendars.deadlines import DAY_KIND_CHOICES, DayKind


class DaySource(models.TextChoices):
    PACKAGE = "chinese-calendar", "chinese-calendar 数据包"
    ADMIN = "admin", "管理员录入"
    WEEKEND_RULE = "weekend-rule", "按周末规则预填"


class YearSource(models.TextChoices):
    PACKAGE = "chinese-calendar", "chinese-calendar 数据包"
    ADMIN = "admin", "管理员录入"


class CalendarDay(models.Model):
    date = models.DateField("日期")
    region_code = models.CharField(
        "行政区划代码", max_length=12, blank=True, default="", help_text="留空表示全国日历。"
    )
    kind = models.CharField("类型", max_length=16, choices=DAY_KIND_CHOICES)
    name = models.CharField(
        "名称", max_length=50, blank=True, default="", help_text="例如：国庆节、春节调休。"
    )
    source = models.CharField("来源", max_length=20, choices=DaySource.choices)
    changed_by = models.CharField("最后修改人", max_length=150, blank=True, default="")
    changed_at = models.DateTimeField("最后修改时间", auto_now=True)

    class Meta:
        verbose_name = "日历日"
        verbose_name_plural = "日历日"
        ordering = ["date", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "date"], name="calendar_day_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in DayKind]),
                name="calendar_day_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        scope = self.region_code or "全国"
        return f"{self.date:%Y-%m-%d} {DayKind(self.kind).label}（{scope}）"


class CalendarYear(models.Model):
    """Whether a year is known for a scope. Only a complete national year counts as known; a
    regional record that is not complete makes that region's year provisional while it is revised.
    """

    year = models.PositiveSmallIntegerField("年度")
    region_code = models.CharField(
        "行政区划代码", max_length=12, blank=True, default="", help_text="留空表示全国日历。"
    )
    source = models.CharField("来源", max_length=20, choices=YearSource.choices)
    is_complete = models.BooleanField("已录入完成", default=False)
    note = models.CharField("说明", max_length=200, blank=True, default="")
    completed_by = models.CharField("确认人", max_length=150, blank=True, default="")
    completed_at = models.DateTimeField("确认完成时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    changed_at = models.DateTimeField("最后修改时间", auto_now=True)

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        ordering = ["-year", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region_code"], name="calendar_year_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2199), name="calendar_year_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年（{self.region_code or '全国'}）"


class CalendarDayChange(models.Model):
    """Append-only audit of every edit to a day, by administrators or services."""

    date = models.DateField("日期")
    region_code = models.CharField("行政区划代码", max_length=12, blank=True, default="")
    old_kind = models.CharField(
        "原类型", max_length=16, blank=True, default="", help_text="空表示此前没有记录。"
    )
    new_kind = models.CharField(
        "新类型", max_length=16, blank=True, default="", help_text="空表示删除了地方调整。"
    )
    old_name = models.CharField("原名称", max_length=50, blank=True, default="")
    new_name = models.CharField("新名称", max_length=50, blank=True, default="")
    note = models.CharField("修改原因", max_length=200, blank=True, default="")
    changed_by = models.CharField("修改人", max_length=150)
    changed_at = models.DateTimeField("修改时间")

    class Meta:
        verbose_name = "日历修改记录"
        verbose_name_plural = "日历修改记录"
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["region_code", "date"], name="calendar_change_day")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.old_kind or '—'} → {self.new_kind or '—'}"


class CalendarRevision(models.Model):
    """One row whose token changes with every write to the calendar.

    Each process caches its calendar snapshots under the token it read; a different token means
    another process (or a rolled-back transaction) changed the calendar, so the cache is rebuilt.
    A random token, unlike a timestamp or a counter, never repeats after a rollback.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "日历版本"
        verbose_name_plural = "日历版本"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="calendar_revision_single")]

    def __str__(self) -> str:
        return self.token
