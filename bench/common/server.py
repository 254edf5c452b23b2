"""Serving the project for a benchmark as `make serve` does (granian WSGI, `--blocking-threads
1`), on a free loopback port, in its own process group so that it can be stopped with its
workers; and the facts a result needs (machine, load average, percentiles)."""

from __future__ import annotations

import http.client
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WSGI_APP = "yiwang.project.wsgi:application"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(
    port: int,
    *,
    workers: int = 1,
    app: str = WSGI_APP,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """granian on 127.0.0.1:`port`, answering `/healthz` before this returns. `env` is added to
    this process's environment; `DB_CONN_MAX_AGE` is 60 unless set (docs/operations.md: keep
    PostgreSQL connections open). Request logs go to /dev/null (one JSON line per request, as in
    production, written nowhere)."""
    path = [str(ROOT / "src"), str(ROOT)]
    path += filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(path), **(env or {}))
    environment.setdefault("DB_CONN_MAX_AGE", "60")
    command = [
        str(Path(sys.executable).with_name("granian")),
        "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
        "--blocking-threads", "1", "--workers", str(workers), "--log-level", "warning",
        app,
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 (our own granian, fixed arguments)
        command,
        env=environment,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise SystemExit("granian did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop granian and its workers (its own process group)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def children_of(pid: int) -> list[int]:
    """Direct children of `pid` (granian's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def load_average() -> float:
    """The 1-minute load average (the machine is shared: it says what else ran)."""
    return os.getloadavg()[0]


def percentiles(samples: list[float]) -> dict[str, float]:
    """n, mean, p50, p90, p99, max of `samples` (nearest rank); zeros when there are none."""
    if not samples:
        return {"n": 0, "mean": 0.0, "p50": 0.0, "p90": 0.0, "p99": 0.0, "max": 0.0}
    ordered = sorted(samples)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {
        "n": len(ordered),
        "mean": statistics.fmean(ordered),
        "p50": at(50),
        "p90": at(90),
        "p99": at(99),
        "max": ordered[-1],
    }
