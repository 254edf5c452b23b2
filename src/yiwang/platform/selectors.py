"""Kernel reads: worker liveness, the audit trail, and what the sandbox gateways sent."""

from __future__ import annotations

import re
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Max, QuerySet
from django.utils import timezone

from yiwang.platform.errors import NotFound
from yiwang.platform.models import (
    AuditEntry,
    OutboxChannel,
    SandboxMessage,
    WorkerHeartbeat,
)


def worker_heartbeat_age_seconds() -> float | None:
    """Seconds since the newest worker heartbeat, or None when no worker ever beat."""
    newest: datetime | None = WorkerHeartbeat.objects.aggregate(newest=Max("beat_at"))["newest"]
    if newest is None:
        return None
    return (timezone.now() - newest).total_seconds()


def audit_entries_about(target: models.Model) -> QuerySet[AuditEntry]:
    """The audit trail of one object, newest first."""
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).order_by("-created_at", "-id")


# --- Sandbox messages -----------------------------------------------------------------------------


def user_is_administrator(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))
    )


def sandbox_messages_for_administrator(
    user: AbstractBaseUser | AnonymousUser,
) -> QuerySet[SandboxMessage]:
    """Every message the sandbox gateways kept, newest first. Anyone but an administrator gets
    `NotFound`: the page does not exist for them."""
    if not user_is_administrator(user):
        raise NotFound()
    return SandboxMessage.objects.defer("recipient").order_by("-created_at", "-id")


def sandbox_messages_to(recipient: str) -> list[SandboxMessage]:
    """Messages the sandbox gateways sent to a phone number, address or URL, newest first."""
    return list(
        SandboxMessage.objects.filter(recipient_index=SandboxMessage.index_for(recipient)).order_by(
            "-created_at", "-id"
        )
    )


_CODE = re.compile(r"(?<![0-9A-Za-z])\d{4,8}(?![0-9A-Za-z])")


def latest_sandbox_code(recipient: str) -> str | None:
    """The one-time code (the last run of 4 to 8 digits) in the newest SMS to `recipient`."""
    newest = (
        SandboxMessage.objects.filter(
            recipient_index=SandboxMessage.index_for(recipient), channel=OutboxChannel.SMS
        )
        .order_by("-created_at", "-id")
        .only("body")
        .first()
    )
    if newest is None:
        return None
    codes = _CODE.findall(newest.body)
    return codes[-1] if codes else None
