"""Administrators read the audit trail, the outbox and the sandbox records; nobody edits them
here. Encrypted columns are never shown: only their masked copies.

`request` is typed `Any`: `django.http` is banned outside views, api and project (ruff TID251).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet

from yiwang.platform import services
from yiwang.platform.models import (
    AuditEntry,
    OutboxMessage,
    OutboxStatus,
    SandboxEnterpriseRecord,
    SandboxMessage,
    SandboxPersonRecord,
    WorkerHeartbeat,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_label", "action", "target_type", "target_id", "summary")
    list_filter = ("action", "target_type")
    search_fields = ("action", "target_id", "actor_label", "request_id")
    date_hierarchy = "created_at"
    exclude = ("actor",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "channel",
        "recipient_masked",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "channel")
    search_fields = ("dedupe_key", "provider_reference")
    exclude = ("recipient",)
    actions = ("retry_now",)

    @admin.action(description="立即重新发送所选消息", permissions=["retry"])
    def retry_now(self, request: Any, queryset: QuerySet[OutboxMessage]) -> None:
        retried = 0
        for message in queryset.exclude(status=OutboxStatus.SENT):
            services.outbox_retry(message=message)
            retried += 1
        self.message_user(request, f"已安排重新发送 {retried} 条消息。", messages.SUCCESS)

    def has_retry_permission(self, request: Any) -> bool:
        return bool(getattr(request.user, "is_superuser", False))


@admin.register(SandboxMessage)
class SandboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "recipient_masked", "subject", "status", "reference")
    list_filter = ("channel", "status")
    exclude = ("recipient", "recipient_index")


@admin.register(SandboxPersonRecord)
class SandboxPersonRecordAdmin(ReadOnlyAdmin):
    list_display = ("name", "gender", "birth_date", "region_code")
    exclude = ("citizen_id", "citizen_id_index")


@admin.register(SandboxEnterpriseRecord)
class SandboxEnterpriseRecordAdmin(ReadOnlyAdmin):
    list_display = ("name", "uscc", "legal_representative_name", "region_code", "registered_on")
    search_fields = ("name", "uscc")
    exclude = ("legal_representative_citizen_id_index",)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("worker", "beat_at")
