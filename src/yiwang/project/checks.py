"""System checks (`yiwang check --deploy` and every start): refuse to look ready with the
development keys outside development."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

DEV_DATA_KEYS = "dev1:eWl3YW5nLWRldi1vbmx5LWRhdGEta2V5LTAwMDAwMSE="
DEV_BLIND_INDEX_KEY = "eWl3YW5nLWRldi1vbmx5LWJsaW5kLWluZGV4LWtleSE="
DEV_SECRET_KEY = "insecure-dev-only-change-me"


@register(Tags.security, deploy=True)
def development_keys_in_use(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.DATA_KEYS == DEV_DATA_KEYS:
        problems.append(
            Warning(
                "YIWANG_DATA_KEYS is the development key: personal data is not protected.",
                hint="Generate one: python -c 'import os,base64;print(base64.b64encode("
                "os.urandom(32)).decode())' and set YIWANG_DATA_KEYS=k1:<key>.",
                id="yiwang.W001",
            )
        )
    if settings.BLIND_INDEX_KEY == DEV_BLIND_INDEX_KEY:
        problems.append(
            Warning(
                "YIWANG_BLIND_INDEX_KEY is the development key.",
                hint="Set YIWANG_BLIND_INDEX_KEY before loading any real data; "
                "it cannot change afterwards without rebuilding the indexes.",
                id="yiwang.W002",
            )
        )
    if settings.SECRET_KEY == DEV_SECRET_KEY:
        problems.append(Warning("YIWANG_SECRET_KEY is the development key.", id="yiwang.W003"))
    return problems
