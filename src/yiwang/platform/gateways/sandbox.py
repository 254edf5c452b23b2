"""What every sandbox gateway does to behave like a real provider, on one machine.

- it takes time (`SANDBOX_DELAY_MS`) and sometimes fails (`SANDBOX_FAILURE_RATE`, 0..1) with a
  `GatewayError`, so that retries and error pages get exercised;
- it answers with a provider reference (`SBX-...`, never mistaken for a real one);
- it keeps what it "sent" as a `SandboxMessage`, and reports delivery like a real delivery
  receipt: after the sending transaction commits, never before.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.platform.errors import GatewayError
from yiwang.platform.masking import mask_recipient
from yiwang.platform.models import SandboxMessage, SandboxMessageStatus

log = logging.getLogger("yiwang.gateways.sandbox")


def simulate_provider(service: str) -> None:
    """Wait like a network call, then fail now and then like a provider under load."""
    delay_ms = int(getattr(settings, "SANDBOX_DELAY_MS", 0) or 0)
    if delay_ms > 0:
        time.sleep(delay_ms / 1000)
    failure_rate = float(getattr(settings, "SANDBOX_FAILURE_RATE", 0.0) or 0.0)
    if failure_rate > 0 and random.random() < failure_rate:
        log.info("sandbox gateway simulated a failure", extra={"event": service})
        raise GatewayError(f"沙箱{service}模拟故障：服务暂时不可用，请稍后再试。")


def new_reference(kind: str) -> str:
    return f"SBX-{kind}-{uuid.uuid4().hex[:20].upper()}"


def record_message(
    *, channel: str, kind: str, recipient: str, subject: str, body: str
) -> SandboxMessage:
    """Keep the message for administrators and tests; its receipt follows the commit."""
    message = SandboxMessage.objects.create(
        channel=channel,
        recipient=recipient,
        recipient_index=SandboxMessage.index_for(recipient),
        recipient_masked=mask_recipient(channel, recipient)[:200],
        subject=subject[:200],
        body=body,
        reference=new_reference(kind),
    )
    transaction.on_commit(partial(record_delivery_receipt, message.reference), robust=True)
    return message


def record_delivery_receipt(reference: str) -> None:
    """The "callback" a real provider makes when the handset or mailbox has the message."""
    SandboxMessage.objects.filter(reference=reference, status=SandboxMessageStatus.SENT).update(
        status=SandboxMessageStatus.DELIVERED, delivered_at=timezone.now()
    )
