"""Kernel tables shared by every context: worker heartbeat, audit trail, outbox, and the sandbox
gateways' own records (messages sent, the demo population registry)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from yiwang.platform.crypto import blind_index
from yiwang.platform.fields import EncryptedTextField


class WorkerHeartbeat(models.Model):
    """One row per task worker, touched by a periodic task; `/readyz` reads the newest."""

    worker = models.CharField("工作进程", max_length=100, unique=True)
    beat_at = models.DateTimeField("最近心跳")

    class Meta:
        verbose_name = "任务进程心跳"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.worker} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class DayAnnouncement(models.Model):
    """One row per local calendar day that the platform announced (`DayBegan`): the unique day
    is the claim, so that of several workers exactly one announces each day."""

    day = models.DateField("日期", unique=True)
    announced_at = models.DateTimeField("发布时间", default=timezone.now)

    class Meta:
        verbose_name = "每日任务"
        verbose_name_plural = verbose_name
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


# --- Audit trail ----------------------------------------------------------------------------------


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk changes: history rows are added, never updated or deleted."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError(f"{self.model.__name__} is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{self.model.__name__} is append-only")


class AuditEntry(models.Model):
    """Who did what to which object, when, in which request. Append-only.

    `details` must never hold plaintext personal data (citizen ID numbers, phone numbers, names of
    citizens, addresses): record ids, masked values or field names instead. `audit_record`
    masks anything shaped like an ID or phone number as a safety net, not as the plan.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The account name at the time, kept if the account is ever removed.
    actor_label = models.CharField("操作人账户", max_length=150, blank=True)
    action = models.CharField("操作", max_length=100, db_index=True)
    target_type = models.CharField("对象类型", max_length=100, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    summary = models.CharField("摘要", max_length=200, blank=True)
    details = models.JSONField("详情", default=dict, blank=True, encoder=DjangoJSONEncoder)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    objects: ClassVar[models.Manager[AuditEntry]] = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = verbose_name
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["target_type", "target_id"], name="platform_audit_target"),)

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label or '系统'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("AuditEntry is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("AuditEntry is append-only")


# --- Outbox ---------------------------------------------------------------------------------------


class OutboxChannel(models.TextChoices):
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"
    WEBHOOK = "webhook", "回调通知"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败，等待重试"
    DEAD = "dead", "多次失败，已停止"


class OutboxMessage(models.Model):
    """A message to leave the platform, written in the same transaction as the fact behind it.

    A task sends it after commit; the periodic sweep sends whatever a task did not (a crash, a
    failure waiting for its next attempt). `next_attempt_at` is also the lease of a send in
    progress, so that two workers never send the same row.
    """

    channel = models.CharField("渠道", max_length=10, choices=OutboxChannel.choices)
    recipient = EncryptedTextField("接收方")
    recipient_masked = models.CharField("接收方（脱敏）", max_length=200)
    payload = models.JSONField("内容", default=dict)
    dedupe_key = models.CharField("去重键", max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        "状态", max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", default=timezone.now)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    provider_reference = models.CharField("服务商流水号", max_length=64, blank=True)

    class Meta:
        verbose_name = "待发消息"
        verbose_name_plural = verbose_name
        indexes = (models.Index(fields=["status", "next_attempt_at"], name="platform_outbox_due"),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(status__in=OutboxStatus.values),
                name="platform_outbox_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=OutboxChannel.values),
                name="platform_outbox_channel_valid",
            ),
        )

    def __str__(self) -> str:
        return (
            f"{self.get_channel_display()} → {self.recipient_masked} ({self.get_status_display()})"
        )

    @property
    def subject(self) -> str:
        return str(self.payload.get("subject", ""))

    @property
    def body(self) -> str:
        return str(self.payload.get("body", ""))

    @property
    def template(self) -> str:
        return str(self.payload.get("template", ""))


# --- Sandbox gateways -----------------------------------------------------------------------------

_MAINLAND_MOBILE = re.compile(r"^(?:\+?86)?(1\d{10})$")
_PHONE_PUNCTUATION = re.compile(r"[\s()\-]")


class SandboxMessageStatus(models.TextChoices):
    SENT = "sent", "已发送"
    DELIVERED = "delivered", "已送达"


class SandboxMessage(models.Model):
    """What a sandbox gateway "sent": administrators read them instead of a phone or a mailbox."""

    channel = models.CharField("渠道", max_length=10, choices=OutboxChannel.choices)
    recipient = EncryptedTextField("接收方")
    recipient_index = models.CharField(max_length=64, db_index=True, editable=False)
    recipient_masked = models.CharField("接收方（脱敏）", max_length=200)
    subject = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("内容")
    reference = models.CharField("流水号", max_length=64, unique=True)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=SandboxMessageStatus.choices,
        default=SandboxMessageStatus.SENT,
    )
    created_at = models.DateTimeField("发送时间", default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta:
        verbose_name = "沙箱消息"
        verbose_name_plural = verbose_name
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_masked}"

    @staticmethod
    def index_for(recipient: str) -> str:
        """Blind index of a recipient; +86 138 0000 0000 and 13800000000 are the same phone."""
        value = recipient.strip()
        phone = _MAINLAND_MOBILE.match(_PHONE_PUNCTUATION.sub("", value))
        if phone:
            value = phone.group(1)
        return blind_index(value, purpose="sandbox_recipient")


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class SandboxPersonRecord(models.Model):
    """The demo population registry the sandbox real-name gateway checks people against."""

    name = models.CharField("姓名", max_length=100)
    citizen_id = EncryptedTextField("公民身份号码")
    citizen_id_index = models.CharField(max_length=64, unique=True, editable=False)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    region_code = models.CharField("户籍地区码", max_length=6)

    class Meta:
        verbose_name = "沙箱人口登记"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class SandboxEnterpriseRecord(models.Model):
    """The demo business registry the sandbox real-name gateway checks enterprises against."""

    name = models.CharField("名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    legal_representative_name = models.CharField("法定代表人", max_length=100)
    legal_representative_citizen_id_index = models.CharField(
        max_length=64, db_index=True, editable=False
    )
    region_code = models.CharField("登记地区码", max_length=6)
    registered_on = models.DateField("成立日期")
    address = models.CharField("住所", max_length=300, blank=True)

    class Meta:
        verbose_name = "沙箱企业登记"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name
