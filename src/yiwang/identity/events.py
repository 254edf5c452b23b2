"""What happened in identity, for other contexts to react to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonVerified:
    user_id: int
    person_id: int
    level: int
    method: str


@dataclass(frozen=True)
class EnterpriseRegistered:
    enterprise_id: int
    registered_by_user_id: int


@dataclass(frozen=True)
class AgentAuthorised:
    authorisation_id: int
    enterprise_id: int
    agent_person_id: int


@dataclass(frozen=True)
class AgentRevoked:
    authorisation_id: int
    enterprise_id: int
