"""Webhook gateways (notifications to department systems). The sandbox posts nothing."""

from __future__ import annotations

from yiwang.platform.gateways.base import GatewayReceipt
from yiwang.platform.gateways.sandbox import record_message, simulate_provider
from yiwang.platform.models import OutboxChannel


class SandboxWebhookGateway:
    """Stands in for an HTTP POST to a department system: the body is kept, not sent."""

    def send(self, *, url: str, body: str) -> GatewayReceipt:
        simulate_provider("回调通知")
        message = record_message(
            channel=OutboxChannel.WEBHOOK, kind="HOOK", recipient=url, subject="", body=body
        )
        return GatewayReceipt(reference=message.reference)
