"""Test-wide settings: tasks run immediately, passwords hash fast, sandbox gateways never fail."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

pytest_plugins = ["yiwang.identity.tests.fixtures"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SANDBOX_FAILURE_RATE = 0.0
    settings.SANDBOX_DELAY_MS = 0
    cache.clear()  # rate-limit counters must not leak from one test into the next
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
