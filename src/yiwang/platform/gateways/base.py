"""What the platform needs from outside services, whoever provides them.

Real providers (a carrier's SMS API, a mail relay, the public-security ID check) are plugged in by
dotted path in settings; the `Sandbox*` implementations that ship with Yiwang stand in for them on
a single machine and in tests, and say so in everything they produce.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from yiwang.platform.errors import GatewayError

__all__ = [
    "EmailGateway",
    "GatewayError",
    "GatewayReceipt",
    "RealNameGateway",
    "RealNameResult",
    "SmsGateway",
    "WebhookGateway",
]


@dataclass(frozen=True)
class GatewayReceipt:
    """The provider accepted the message; `reference` is its id for the message."""

    reference: str


@dataclass(frozen=True)
class RealNameResult:
    """The answer of a real-name check. `reason` explains a mismatch in plain Chinese."""

    matched: bool
    reference: str
    reason: str = ""


class SmsGateway(Protocol):
    def send(self, *, phone: str, text: str) -> GatewayReceipt:
        """Send one text message; raise `GatewayError` when the provider refuses or fails."""
        ...


class EmailGateway(Protocol):
    def send(self, *, to: str, subject: str, text: str) -> GatewayReceipt:
        """Send one plain-text mail; raise `GatewayError` when the relay refuses or fails."""
        ...


class WebhookGateway(Protocol):
    def send(self, *, url: str, body: str) -> GatewayReceipt:
        """POST `body` (JSON text) to a department system; raise `GatewayError` on failure."""
        ...


class RealNameGateway(Protocol):
    def verify_person(self, *, name: str, citizen_id: str) -> RealNameResult:
        """Do this name and citizen ID number belong together? Raise `GatewayError` if unsure."""
        ...

    def verify_enterprise(
        self, *, name: str, uscc: str, legal_representative: str
    ) -> RealNameResult:
        """Do the name, USCC and legal representative match the business registry?"""
        ...
