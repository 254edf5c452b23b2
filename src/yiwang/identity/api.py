from __future__ import annotations

from ninja import Router

router = Router(tags=["统一身份认证"])
