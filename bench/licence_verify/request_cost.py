"""CPU and wall time of one request in process: the WSGI application called directly (no HTTP,
no load generator), `/healthz` against the verify API, over random identifiers of the licences
already in DATABASE_URL's database (fill it once with run.py). The variants of `variants.py`
can stand in for the selector (`constant`: the framework's own cost).

  DATABASE_URL=postgres://…/kept DB_CONN_MAX_AGE=60 \\
      .venv/bin/python bench/licence_verify/request_cost.py [current|constant|raw|prepared]
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.project.settings")
os.environ["VERIFY_VARIANT"] = sys.argv[1] if len(sys.argv) > 1 else "current"

from bench.licence_verify.variants import application  # noqa: E402  (sets Django up)
from django.db import connection  # noqa: E402

CALLS = 3000
WARM_UP = 200


def call(path: str) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    statuses: list[str] = []

    def start_response(status: str, headers: object, exc_info: object = None) -> None:
        statuses.append(status)

    body = b"".join(application(environ, start_response))
    return statuses[0], body


def timed(paths: Iterable[str]) -> tuple[float, float]:
    """Mean wall and CPU ms per request."""
    paths = list(paths)
    for path in paths[:WARM_UP]:
        call(path)
    wall, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        status, _ = call(path)
        assert status.startswith("200"), status
    n = len(paths)
    return (time.perf_counter() - wall) / n * 1e3, (time.process_time() - cpu) / n * 1e3


def main() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identifier FROM licences_licence ORDER BY random() LIMIT %s", [CALLS]
        )
        identifiers = [row[0] for row in cursor.fetchall()]
    if not identifiers:
        raise SystemExit("no licences in this database: fill it once with run.py")
    variant = os.environ["VERIFY_VARIANT"]
    for _ in range(2):
        wall, cpu = timed(["/healthz"] * CALLS)
        print(f"healthz       wall {wall:.3f} ms  CPU {cpu:.3f} ms")
        wall, cpu = timed(f"/api/v1/licences/verify/{i}" for i in identifiers)
        print(f"verify {variant:<8} wall {wall:.3f} ms  CPU {cpu:.3f} ms")


if __name__ == "__main__":
    main()
