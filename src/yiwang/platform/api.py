"""Platform endpoints (validators for department systems)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["平台"])
