"""Open311 client apps, and what they sent: each request an app submitted (one per ticket) and
each citizen update it posted (one per ticket step)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiwang.hotline.models.tickets import Ticket, TicketAttachment, TicketStep
from yiwang.platform.fields import EncryptedTextField


class Open311Client(models.Model):
    """A client app allowed to POST requests to the Open311 endpoint. Only a hash of its key
    is kept; the key is shown once when issued."""

    name = models.CharField("应用名称", max_length=100)
    key_prefix = models.CharField("密钥前缀", max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    contact = models.CharField("联系人", max_length=100, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "开放接口应用"
        verbose_name_plural = verbose_name
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Open311Submission(models.Model):
    """A ticket that came in through `POST requests`: which app sent it and what the app said
    about its user. Written in the ticket's own transaction. The email is personal data:
    encrypted at rest, for the hotline only (never shown to units, never published)."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="open311_submission"
    )
    client = models.ForeignKey(
        Open311Client,
        verbose_name="提交应用",
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    email = EncryptedTextField("电子邮箱", blank=True, default="")
    device_id = models.CharField("设备标识", max_length=100, blank=True)
    account_id = models.CharField("应用账号", max_length=100, blank=True)
    # A link the app gave (not fetched); the uploaded photo itself is a TicketAttachment.
    media_url = models.CharField("图片链接", max_length=500, blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "开放接口提交"
        verbose_name_plural = verbose_name
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} ← {self.client_id}"


class Open311Update(models.Model):
    """A citizen update posted by an app (FixMyStreet's `POST servicerequestupdates`): the
    step it appended and what the app sent. `fingerprint` makes a client's retry of the same
    update return the first one instead of adding another."""

    step = models.OneToOneField(TicketStep, on_delete=models.CASCADE, related_name="open311_update")
    client = models.ForeignKey(
        Open311Client,
        verbose_name="提交应用",
        on_delete=models.PROTECT,
        related_name="updates",
    )
    fingerprint = models.CharField(max_length=64)
    status = models.CharField("应用所报状态", max_length=40)
    client_updated_at = models.DateTimeField("应用所报时间")
    update_id_ext = models.CharField("应用的更新编号", max_length=100, blank=True)
    email = EncryptedTextField("电子邮箱", blank=True, default="")
    name = models.CharField("姓名", max_length=100, blank=True)
    media_url = models.CharField("图片链接", max_length=500, blank=True)
    attachment = models.ForeignKey(
        TicketAttachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField("接收时间", default=timezone.now)

    class Meta:
        verbose_name = "开放接口补充"
        verbose_name_plural = verbose_name
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "fingerprint"], name="hotline_open311_update_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step_id} ← {self.client_id}"
