"""The public API is exactly the committed schema: any change to it shows up in review."""

from __future__ import annotations

import difflib

from tests.openapi import SNAPSHOT, served_schema_text


def test_openapi_schema_matches_the_committed_snapshot():
    served = served_schema_text()
    committed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    if served != committed:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    served.splitlines(keepends=True),
                    fromfile="tests/snapshots/openapi.json (committed)",
                    tofile="GET /api/v1/openapi.json (served)",
                )
            )[:80]
        )
        raise AssertionError(
            "The API schema changed. If the change is intended, run `make openapi-snapshot` and "
            f"commit tests/snapshots/openapi.json.\n{diff}"
        )
