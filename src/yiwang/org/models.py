"""Regions (GB/T 2260, dated), departments, service halls and windows."""

from __future__ import annotations

from django.db import models


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省级"
    CITY = 2, "市级"
    COUNTY = 3, "县级"
    TOWN = 4, "乡镇（街道）级"
    VILLAGE = 5, "村（社区）级"


class Region(models.Model):
    """An administrative division. Codes change yearly: rows are dated and never deleted."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField("启用日期", null=True, blank=True)
    valid_to = models.DateField("停用日期", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name="继承区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = verbose_name
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="org_region_valid_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def code_prefix(self) -> str:
        """The significant leading digits of the code, which every descendant's code shares."""
        return region_code_prefix(self.code)


def region_code_prefix(code: str) -> str:
    """The digits every descendant shares, read from the code's structure alone.

    GB/T 2260: `350000` (province) → `35`, `359900` (city) → `3599`, `359921` (county) →
    `359921`. GB/T 10114: `359921101000` (town) → `359921101`; a village code is its own prefix.
    """
    if len(code) == 12:
        return code[:9] if code.endswith("000") else code
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def region_level_of_code(code: str) -> RegionLevel | None:
    """The level a well-formed code denotes, or None for a malformed one."""
    if not code.isdigit() or len(code) not in (6, 12):
        return None
    if len(code) == 12:
        if code[6:9] == "000" or code[:6].endswith("00"):
            return None
        return RegionLevel.TOWN if code.endswith("000") else RegionLevel.VILLAGE
    if code[:2] == "00":
        return None
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.CITY
    return RegionLevel.COUNTY


class DepartmentLevel(models.IntegerChoices):
    """GB/T 39046 A.2 exercise levels that a department can sit at."""

    PROVINCE = 2, "省级"
    CITY = 3, "市级"
    COUNTY = 4, "县级"
    TOWN = 5, "镇（乡、街道）级"
    VILLAGE = 6, "村（社区）级"


class DepartmentKind(models.TextChoices):
    AGENCY = "agency", "行政机关"
    INSTITUTION = "institution", "事业单位"
    PUBLIC_UTILITY = "public_utility", "公共服务企业"


class Department(models.Model):
    name = models.CharField("部门名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    level = models.PositiveSmallIntegerField("层级", choices=DepartmentLevel.choices)
    kind = models.CharField(
        "单位类型", max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.AGENCY
    )
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    phone = models.CharField("咨询电话", max_length=40, blank=True)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = verbose_name
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="org_department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceHall(models.Model):
    name = models.CharField("大厅名称", max_length=100)
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="halls"
    )
    address = models.CharField("地址", max_length=200)
    opening_hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=40, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = "政务服务大厅"
        verbose_name_plural = verbose_name
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="org_hall_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class WindowKind(models.TextChoices):
    GENERAL = "general", "综合受理窗口"
    DEPARTMENT = "department", "部门专窗"
    RESULT = "result", "统一出件窗口"
    HELP = "help", "帮办代办窗口"


class Window(models.Model):
    hall = models.ForeignKey(
        ServiceHall, verbose_name="大厅", on_delete=models.CASCADE, related_name="windows"
    )
    number = models.CharField("窗口号", max_length=20)
    name = models.CharField("窗口名称", max_length=100)
    kind = models.CharField("窗口类型", max_length=20, choices=WindowKind.choices)
    departments = models.ManyToManyField(
        Department, verbose_name="受理部门", blank=True, related_name="windows"
    )
    is_open = models.BooleanField("开放", default=True)

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = verbose_name
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="org_window_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.hall.name} {self.number}号窗口"
