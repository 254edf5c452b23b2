"""What happened in the licence library, for other contexts (cases, notifications, analytics)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LicenceIssued:
    licence_id: int
    licence_type_code: str
    issuer_id: int
    source_case_number: str
    previous_id: int | None


@dataclass(frozen=True)
class LicenceStatusChanged:
    licence_id: int
    from_status: str
    to_status: str
    reason: str
