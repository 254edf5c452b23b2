"""The client app's key on a POST, and a per-key rate limit: a fixed one-minute window counted
in Django's cache (shared by every server when the cache is Redis)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from yiwang.hotline.models import Open311Client
from yiwang.hotline.services import open311_key_check

# POSTs a key may make in one minute (override with HOTLINE_OPEN311_POSTS_PER_MINUTE).
POSTS_PER_MINUTE = 60
WINDOW_SECONDS = 60


def client_for_key(key: str) -> Open311Client | None:
    """The active client app holding `key`; None when missing, unknown or revoked."""
    if not key:
        return None
    return open311_key_check(key=key)


def posts_per_minute() -> int:
    return int(getattr(settings, "HOTLINE_OPEN311_POSTS_PER_MINUTE", POSTS_PER_MINUTE))


def rate_allows(client: Open311Client) -> bool:
    """Count one POST for the client in the current window; False once over the limit."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"hotline:open311:posts:{client.pk}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count <= posts_per_minute()
