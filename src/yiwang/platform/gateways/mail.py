"""Mail gateways. `SandboxEmailGateway` keeps mails for `/platform/sandbox/messages/`."""

from __future__ import annotations

from yiwang.platform.gateways.base import GatewayReceipt
from yiwang.platform.gateways.sandbox import record_message, simulate_provider
from yiwang.platform.models import OutboxChannel


class SandboxEmailGateway:
    """Stands in for a mail relay: nothing reaches a mailbox."""

    def send(self, *, to: str, subject: str, text: str) -> GatewayReceipt:
        simulate_provider("邮件网关")
        message = record_message(
            channel=OutboxChannel.EMAIL, kind="MAIL", recipient=to, subject=subject, body=text
        )
        return GatewayReceipt(reference=message.reference)
