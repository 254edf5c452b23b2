"""Public catalogue API: items, versions, materials, bundles, themes and search."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["事项清单与办事指南"])
