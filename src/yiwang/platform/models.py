"""Kernel tables shared by every context: worker heartbeat (more arrive with the event bus,
outbox and gateways)."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per task worker, touched by a periodic task; `/readyz` reads the newest."""

    worker = models.CharField("工作进程", max_length=100, unique=True)
    beat_at = models.DateTimeField("最近心跳")

    class Meta:
        verbose_name = "任务进程心跳"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.worker} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
