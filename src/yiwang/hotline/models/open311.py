from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


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
