"""Accounts, natural and legal persons, agents, staff memberships, real-name verifications.

Citizen ID numbers and phone numbers are encrypted at rest (`EncryptedTextField`) and found by
their HMAC blind index (`*_index`), never by the plaintext.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from yiwang.org.models import Department
from yiwang.platform.fields import EncryptedTextField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: object) -> User:
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One account everywhere (一号通行). Signs in by phone + code/password or by email."""

    username = models.CharField("用户编码", max_length=150, unique=True)
    email = models.EmailField("电子邮箱", blank=True, default="")
    phone = EncryptedTextField("手机号码", blank=True, default="")
    phone_index = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    phone_verified = models.BooleanField("手机号已验证", default=False)
    display_name = models.CharField("称呼", max_length=100, blank=True)
    is_active = models.BooleanField("有效", default=True)
    is_staff = models.BooleanField("可进入管理后台", default=False)
    date_joined = models.DateTimeField("注册时间", default=timezone.now)

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = UserManager()

    class Meta:
        verbose_name = "账户"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.display_name or self.username


class RealNameLevel(models.IntegerChoices):
    NONE = 0, "未实名"
    L1 = 1, "一级（基础实名）"
    L2 = 2, "二级（公安核验）"
    L3 = 3, "三级（人脸识别）"
    L4 = 4, "四级（现场核验）"


class RealNameMethod(models.TextChoices):
    POLICE_ID_CHECK = "police_id_check", "公安身份核验"
    FACE = "face", "人脸识别"
    BANK_CARD = "bank_card", "银行卡核验"
    ALIPAY = "alipay", "支付宝认证"
    PROVINCIAL_APP = "provincial_app", "省级政务应用互认"
    HMT_DOCUMENT = "hmt_document", "港澳台居民证件"
    COUNTER = "counter", "窗口现场核验"
    BUSINESS_REGISTRY = "business_registry", "企业登记信息核验"


class Person(models.Model):
    """A natural person (自然人) whose identity was verified."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="person")
    name = models.CharField("姓名", max_length=100)
    citizen_id = EncryptedTextField("公民身份号码")
    citizen_id_index = models.CharField(max_length=64, unique=True, editable=False)
    realname_level = models.PositiveSmallIntegerField(
        "实名等级", choices=RealNameLevel.choices, default=RealNameLevel.NONE
    )
    realname_method = models.CharField(
        "认证方式", max_length=30, choices=RealNameMethod.choices, blank=True
    )
    verified_at = models.DateTimeField("认证时间", null=True, blank=True)

    class Meta:
        verbose_name = "自然人"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class VerificationOutcome(models.TextChoices):
    PASSED = "passed", "认证通过"
    FAILED = "failed", "认证未通过"


class RealNameVerification(models.Model):
    """Every verification attempt, appended, never changed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verifications")
    subject_kind = models.CharField(
        "对象", max_length=20, choices=[("person", "自然人"), ("enterprise", "法人")]
    )
    method = models.CharField("认证方式", max_length=30, choices=RealNameMethod.choices)
    level = models.PositiveSmallIntegerField("等级", choices=RealNameLevel.choices)
    outcome = models.CharField("结果", max_length=10, choices=VerificationOutcome.choices)
    provider_reference = models.CharField("核验流水号", max_length=64, blank=True)
    reason = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "实名认证记录"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.get_outcome_display()}"


class Enterprise(models.Model):
    """A legal person (法人), found by its unified social credit code."""

    name = models.CharField("单位名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    legal_representative = models.ForeignKey(
        Person, verbose_name="法定代表人", on_delete=models.PROTECT, related_name="represented"
    )
    registered_address = models.CharField("注册地址", max_length=200, blank=True)
    registered_on = models.DateField("成立日期", null=True, blank=True)
    realname_level = models.PositiveSmallIntegerField(
        "实名等级", choices=RealNameLevel.choices, default=RealNameLevel.NONE
    )
    realname_method = models.CharField(
        "认证方式", max_length=30, choices=RealNameMethod.choices, blank=True
    )
    verified_at = models.DateTimeField("认证时间", null=True, blank=True)

    class Meta:
        verbose_name = "法人"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class AgentAuthorisation(models.Model):
    """An enterprise authorises a verified person as its agent (经办人) for a period."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="agents")
    agent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="agencies")
    scope_all_items = models.BooleanField("可办理全部事项", default=True)
    scope_note = models.CharField("授权范围说明", max_length=200, blank=True)
    valid_from = models.DateField("授权开始日期")
    valid_to = models.DateField("授权截止日期")
    authorised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    authorised_at = models.DateTimeField("授权时间", default=timezone.now)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "经办人授权"
        verbose_name_plural = verbose_name
        ordering = ["-authorised_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="identity_agent_valid_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.agent}"


class StaffRole(models.TextChoices):
    WINDOW_CLERK = "window_clerk", "窗口人员"
    REVIEWER = "reviewer", "审批人员"
    DEPARTMENT_HEAD = "department_head", "科室负责人"
    HOTLINE_OPERATOR = "hotline_operator", "话务员"
    DISPATCHER = "dispatcher", "派单员"
    DEPARTMENT_HANDLER = "department_handler", "承办人员"
    SUPERVISOR = "supervisor", "监察人员"
    LEADER = "leader", "市领导"
    ADMINISTRATOR = "administrator", "系统管理员"
    CATALOGUE_MANAGER = "catalogue_manager", "事项管理员"


class StaffMembership(models.Model):
    """A staff user holds a role in a department; permissions derive from these rows."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("角色", max_length=30, choices=StaffRole.choices)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("设立时间", default=timezone.now)

    class Meta:
        verbose_name = "工作人员岗位"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"], name="identity_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
