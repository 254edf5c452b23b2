"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse

from yiwang.platform.selectors import worker_heartbeat_age_seconds

WORKER_STALE_AFTER_SECONDS = 120


def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering. Touches nothing else."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: database reachable, migrations applied, task worker alive."""
    checks: dict[str, str] = {}
    ready = True
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = "ok" if not pending else f"{len(pending)} pending"
        ready = ready and not pending
    except Exception:
        checks["database"] = "unreachable"
        return JsonResponse({"status": "not_ready", "checks": checks}, status=503)
    age = worker_heartbeat_age_seconds()
    if age is None:
        checks["worker"] = "no heartbeat"
        ready = False
    elif age > WORKER_STALE_AFTER_SECONDS:
        checks["worker"] = f"stale ({int(age)} s)"
        ready = False
    else:
        checks["worker"] = "ok"
    return JsonResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status=200 if ready else 503,
    )
