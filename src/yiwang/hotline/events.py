"""What happened to tickets, for other contexts (ratings, supervision, analytics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TicketRegistered:
    ticket_id: int
    channel: str
    direct_answer: bool


@dataclass(frozen=True)
class TicketDispatched:
    ticket_id: int
    lead_department_id: int
    urgent: bool


@dataclass(frozen=True)
class TicketReplied:
    ticket_id: int
    department_id: int


@dataclass(frozen=True)
class TicketClosed:
    ticket_id: int
    satisfaction: str


@dataclass(frozen=True)
class TicketEscalated:
    ticket_id: int
    reason: str


@dataclass(frozen=True)
class HotspotAlertRaised:
    """`count` tickets in one area under one top-level category within the alert window
    (registered from `first_at` to `last_at`); published once per storm and window."""

    area_id: int
    category_id: int
    count: int
    first_at: datetime
    last_at: datetime
