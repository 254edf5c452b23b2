"""Test-wide settings: tasks run immediately, passwords hash fast, sandbox gateways never fail."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

pytest_plugins = ["yiwang.identity.tests.fixtures"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def _data_dir(tmp_path_factory):  # type: ignore[no-untyped-def]
    return tmp_path_factory.mktemp("data")


@pytest.fixture(autouse=True)
def _test_settings(settings, _data_dir):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SANDBOX_FAILURE_RATE = 0.0
    settings.SANDBOX_DELAY_MS = 0
    settings.DATA_DIR = _data_dir  # trained models and other files land in a temporary folder
    settings.DEMO_TICKET_DAYS = 3  # the demo city's tickets: a few days, not a year
    cache.clear()  # rate-limit counters must not leak from one test into the next
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
