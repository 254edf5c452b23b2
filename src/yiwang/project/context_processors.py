from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": "一网通办",
        "city_name": getattr(settings, "CITY_NAME", "示范市"),
        "elder_mode": request.COOKIES.get("elder_mode") == "1",
    }
