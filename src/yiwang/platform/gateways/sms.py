"""SMS gateways. `SandboxSmsGateway` keeps messages for `/platform/sandbox/messages/`."""

from __future__ import annotations

from yiwang.platform.gateways.base import GatewayReceipt
from yiwang.platform.gateways.sandbox import record_message, simulate_provider
from yiwang.platform.models import OutboxChannel


class SandboxSmsGateway:
    """Stands in for a carrier's SMS API: nothing reaches a phone."""

    def send(self, *, phone: str, text: str) -> GatewayReceipt:
        simulate_provider("短信网关")
        message = record_message(
            channel=OutboxChannel.SMS, kind="SMS", recipient=phone, subject="", body=text
        )
        return GatewayReceipt(reference=message.reference)
