"""Gateways to outside services. Call the factories; never import an implementation directly.

`get_sms_gateway()`, `get_email_gateway()`, `get_webhook_gateway()` and `get_realname_gateway()`
load the class named in settings (`SMS_GATEWAY`, `EMAIL_GATEWAY`, `WEBHOOK_GATEWAY`,
`REALNAME_GATEWAY`) once per dotted path and return the shared instance.
"""

from __future__ import annotations

from functools import cache
from typing import cast

from django.conf import settings
from django.utils.module_loading import import_string

from yiwang.platform.gateways.base import (
    EmailGateway,
    GatewayError,
    GatewayReceipt,
    RealNameGateway,
    RealNameResult,
    SmsGateway,
    WebhookGateway,
)

__all__ = [
    "EmailGateway",
    "GatewayError",
    "GatewayReceipt",
    "RealNameGateway",
    "RealNameResult",
    "SmsGateway",
    "WebhookGateway",
    "get_email_gateway",
    "get_realname_gateway",
    "get_sms_gateway",
    "get_webhook_gateway",
]

DEFAULT_WEBHOOK_GATEWAY = "yiwang.platform.gateways.webhook.SandboxWebhookGateway"


@cache
def _instance(dotted_path: str) -> object:
    # Cached by path, so a test that overrides the setting gets the class it names.
    return import_string(dotted_path)()


def get_sms_gateway() -> SmsGateway:
    return cast(SmsGateway, _instance(settings.SMS_GATEWAY))


def get_email_gateway() -> EmailGateway:
    return cast(EmailGateway, _instance(settings.EMAIL_GATEWAY))


def get_webhook_gateway() -> WebhookGateway:
    path = getattr(settings, "WEBHOOK_GATEWAY", DEFAULT_WEBHOOK_GATEWAY)
    return cast(WebhookGateway, _instance(path))


def get_realname_gateway() -> RealNameGateway:
    return cast(RealNameGateway, _instance(settings.REALNAME_GATEWAY))
