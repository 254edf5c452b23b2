"""The API's OpenAPI schema as committed in `tests/snapshots/openapi.json`.

`make openapi-snapshot` (`python -m tests.openapi`) rewrites the snapshot from the running code;
`tests/test_openapi_snapshot.py` fails when the two differ, so every change to the public API is
seen in review.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "openapi.json"
SCHEMA_URL = "/api/v1/openapi.json"


def served_schema_text() -> str:
    """GET the schema through the whole stack, pretty-printed with sorted keys."""
    from django.test import Client
    from django.test.utils import override_settings

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        response = Client().get(SCHEMA_URL)
    if response.status_code != 200:
        raise RuntimeError(f"GET {SCHEMA_URL} answered {response.status_code}")
    return json.dumps(response.json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.project.settings")
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files not collected
    django.setup()
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(served_schema_text(), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
