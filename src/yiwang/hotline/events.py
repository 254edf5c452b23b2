"""What happened to tickets, for other contexts (ratings, supervision, analytics)."""

from __future__ import annotations

from dataclasses import dataclass


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
