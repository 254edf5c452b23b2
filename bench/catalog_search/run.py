"""Catalogue search benchmark: 50,000 generated items in a throw-away database.

  SQLite:      .venv/bin/python bench/catalog_search/run.py
  PostgreSQL:  scripts/with-postgres.sh .venv/bin/python bench/catalog_search/run.py

1. Generates the items (bench/catalog_search/generate.py) into a fresh database: a temporary
   SQLite file, or the database of DATABASE_URL (scripts/with-postgres.sh makes a throw-away one).
2. Rebuilds the search index and times it.
3. In-process: runs the labelled queries of the tests and random ones (prefixes, words, initials,
   typos, junk) through `search_catalogue`, and prefixes through `suggest`; prints p50/p95/p99.
4. Over HTTP: serves the project with granian (WSGI, --blocking-threads 1, as `make serve`) and
   drives `/api/v1/catalog/search` and `/healthz` in turn with the same threaded load generator;
   reports both request rates and their ratio.
5. Writes the numbers into bench/catalog_search/RESULTS.md (one section per database).

Timing targets are checked here, never in the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.project.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["YIWANG_DATA_DIR"] = tempfile.mkdtemp(prefix="yiwang-bench-")

import django  # noqa: E402

django.setup()

from bench.catalog_search.generate import analyse_tables, generate  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from yiwang.catalog.models import SearchEntry  # noqa: E402
from yiwang.catalog.search import search_catalogue, search_index_rebuild, suggest  # noqa: E402
from yiwang.catalog.search.text import compact, romanise  # noqa: E402
from yiwang.catalog.tests.search_queries import QUERIES  # noqa: E402

TARGET_P95_MS = 20.0
RESULTS = HERE / "RESULTS.md"


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {
        "n": len(ordered),
        "mean": statistics.fmean(ordered),
        "p50": at(50),
        "p95": at(95),
        "p99": at(99),
        "max": ordered[-1],
    }


def random_queries(rng: random.Random, names: list[str], count: int) -> list[str]:
    """Prefixes, words, initials, full pinyin, one-character typos and junk, from real names."""
    out = []
    for _ in range(count):
        name = compact(rng.choice(names))
        kind = rng.random()
        if kind < 0.25:
            out.append(name[: rng.randint(2, min(8, len(name)))])
        elif kind < 0.45:
            start = rng.randrange(max(1, len(name) - 2))
            out.append(name[start : start + rng.randint(2, 4)])
        elif kind < 0.6:
            out.append(romanise(name[:6]).initials[: rng.randint(2, 5)])
        elif kind < 0.7:
            out.append(romanise(name[:4]).pinyin)
        elif kind < 0.9 and len(name) >= 4:
            at = rng.randrange(len(name))
            out.append(name[:at] + rng.choice("的证明记申领办理") + name[at + 1 :])
        else:
            out.append(rng.choice(["", "   ", '"AND*', "NEAR(", "x" * 300, "请问怎么办", "?" * 20]))
    return out


CPU_SAMPLES: list[float] = []  # process CPU time of the last `time_calls`, ms


def time_calls(queries: list[str], call: object) -> list[float]:
    """Wall-clock milliseconds per call (and the process's CPU time, in CPU_SAMPLES)."""
    samples = []
    CPU_SAMPLES.clear()
    for query in queries:
        started, cpu = time.perf_counter(), time.process_time()
        call(query)  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
        CPU_SAMPLES.append((time.process_time() - cpu) * 1000)
    return samples


# --- HTTP ----------------------------------------------------------------------------------


@dataclass
class Load:
    path: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def drive(port: int, paths: list[str], seconds: float, concurrency: int) -> Load:
    """`concurrency` threads, each on one keep-alive connection, for `seconds`."""
    load = Load(paths[0], seconds)
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        errors = 0
        i = offset
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += concurrency
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors += 1
            except OSError:
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            load.latencies.extend(mine)
            load.errors += errors

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return load


def serve(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    if os.environ.get("DATABASE_URL"):
        # docs/operations.md: at scale, connections stay open between requests
        env.setdefault("DB_CONN_MAX_AGE", "60")
    command = [
        str(Path(sys.executable).with_name("granian")),
        "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
        "--blocking-threads", "1", "--workers", str(workers), "--log-level", "warning",
        "yiwang.project.wsgi:application",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 (our own granian, fixed arguments)
        command,
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,  # one JSON log line per request, as in production
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("granian did not start")


def http_benchmark(
    queries: list[str], seconds: float, concurrency: int, workers: int
) -> dict[str, Load]:
    port = free_port()
    process = serve(port, workers)
    try:
        search_paths = [
            "/api/v1/catalog/search?" + urllib.parse.urlencode({"q": q})
            for q in queries
            if q.strip()
        ]
        drive(port, search_paths[:200], 3, concurrency)  # warm up: jieba loads in each worker
        drive(port, ["/healthz"], 1, concurrency)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", search_paths[0])
        response = conn.getresponse()
        body = json.loads(response.read())
        if response.status != 200 or "hits" not in body:
            raise SystemExit(f"the search endpoint answered {response.status}: {body}")
        return {
            "healthz": drive(port, ["/healthz"], seconds, concurrency),
            "search": drive(port, search_paths, seconds, concurrency),
        }
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


# --- report --------------------------------------------------------------------------------


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


def database_version() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def row(label: str, stats: dict[str, float]) -> str:
    return (
        f"| {label} | {stats['n']:.0f} | {stats['mean']:.2f} | {stats['p50']:.2f} | "
        f"{stats['p95']:.2f} | {stats['p99']:.2f} | {stats['max']:.2f} |"
    )


def http_row(label: str, load: Load) -> str:
    stats = percentiles(load.latencies)
    return (
        f"| {label} | {load.rate:.0f} | {load.errors} | {stats['p50']:.2f} | "
        f"{stats['p95']:.2f} | {stats['p99']:.2f} |"
    )


def write_results(vendor: str, section: str) -> None:
    begin, end = f"<!-- {vendor}:begin -->", f"<!-- {vendor}:end -->"
    block = f"{begin}\n{section.strip()}\n{end}"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if not text:
        text = (
            "# Catalogue search benchmark: results\n\n"
            "Written by `bench/catalog_search/run.py` (see README.md). Each database's section is\n"
            "replaced by its latest run.\n\n"
            "<!-- sqlite:begin -->\n<!-- sqlite:end -->\n\n"
            "<!-- postgresql:begin -->\n<!-- postgresql:end -->\n"
        )
    if begin in text:
        text = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text += "\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument(
        "--queries", type=int, default=2000, help="random queries besides the labelled set"
    )
    parser.add_argument("--http-seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="granian worker processes")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument(
        "--no-write", action="store_true", help="print only, leave RESULTS.md alone"
    )
    args = parser.parse_args()
    command = "scripts/with-postgres.sh " if os.environ.get("DATABASE_URL") else ""
    python = (
        os.path.relpath(sys.executable, ROOT) if ROOT in Path(sys.executable).parents else "python"
    )
    command += f"{python} bench/catalog_search/run.py " + " ".join(sys.argv[1:])

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generated = generate(args.items)
    analyse_tables()
    generate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    entries = search_index_rebuild()
    rebuild_seconds = time.perf_counter() - started
    print(
        f"{database_version()}: {generated} in {generate_seconds:.1f} s; "
        f"index {entries} entries in {rebuild_seconds:.1f} s"
    )

    rng = random.Random(7)
    names = list(SearchEntry.objects.values_list("name", flat=True).distinct())
    labelled = [q.query for q in QUERIES]
    mixed = labelled * 3 + random_queries(rng, names, args.queries)
    rng.shuffle(mixed)
    time_calls(labelled, lambda q: search_catalogue(query=q))  # warm up: jieba, synonyms
    load_before = os.getloadavg()
    search_ms = percentiles(time_calls(mixed, lambda q: search_catalogue(query=q)))
    search_cpu_ms = percentiles(CPU_SAMPLES)
    load_after = os.getloadavg()
    labelled_ms = percentiles(time_calls(labelled, lambda q: search_catalogue(query=q)))
    prefixes = [compact(n)[: rng.randint(1, 4)] for n in rng.sample(names, min(len(names), 1000))]
    prefixes += [
        romanise(compact(n)[:4]).initials[:3] for n in rng.sample(names, min(len(names), 300))
    ]
    suggest(prefix="身份")
    suggest_ms = percentiles(time_calls(prefixes, lambda p: suggest(prefix=p)))
    verdict = "meets" if search_ms["p95"] <= TARGET_P95_MS else "MISSES"
    print(row("search_catalogue (labelled ×3 + random)", search_ms))
    print(row("  its CPU time in this process", search_cpu_ms))
    print(row("search_catalogue (labelled only)", labelled_ms))
    print(row("suggest", suggest_ms))
    print(f"p95 {search_ms['p95']:.2f} ms {verdict} the target of {TARGET_P95_MS:.0f} ms")

    http_section = ""
    if not args.no_http:
        loads = http_benchmark(mixed, args.http_seconds, args.concurrency, args.workers)
        health, search = loads["healthz"], loads["search"]
        ratio = search.rate / health.rate if health.rate else 0.0
        for name, load in loads.items():
            print(
                f"HTTP {name}: {load.rate:.0f} req/s, errors {load.errors}",
                row(name, percentiles(load.latencies)),
            )
        print(f"HTTP search / healthz request rate: {ratio:.2f}")
        conn_note = (
            " (`DB_CONN_MAX_AGE=60`, as docs/operations.md advises for PostgreSQL)"
            if os.environ.get("DATABASE_URL")
            else " (SQLite, one connection per request as `make serve`)"
        )
        http_section = f"""
### Over HTTP

granian WSGI, {args.workers} worker, `--blocking-threads 1` (as `make serve`), same run,
same database{conn_note}; load generator: {args.concurrency} Python threads with keep-alive
connections on the same machine, {args.http_seconds:.0f} s per endpoint.
`/api/v1/catalog/search?q=…` cycles through the same mixed queries.

| endpoint | requests/s | errors | p50 ms | p95 ms | p99 ms |
|---|---|---|---|---|---|
{http_row("`/healthz`", health)}
{http_row("`/api/v1/catalog/search`", search)}

**search / healthz = {ratio:.2f}** of the trivial endpoint's request rate.
"""
    section = f"""
## {database_version()}

- Command: `{command.strip()}`
- Machine: {machine()}
- Data: {generated.items} items ({generated.distinct_names} distinct names, {generated.materials}
  materials), {generated.bundles} bundles; generated in {generate_seconds:.1f} s
- Index: {entries} entries rebuilt by `search_index_rebuild()` in **{rebuild_seconds:.1f} s**
- Run at: {time.strftime("%Y-%m-%d %H:%M %Z")}

### In-process latency (ms)

| call | n | mean | p50 | p95 | p99 | max |
|---|---|---|---|---|---|---|
{row("`search_catalogue`, labelled ×3 + random, shuffled", search_ms)}
{row("the same: CPU time of this process (client side)", search_cpu_ms)}
{row("`search_catalogue`, labelled set only", labelled_ms)}
{row("`suggest`, 1–4 characters or 3 initials", suggest_ms)}

p95 of `search_catalogue`: **{search_ms["p95"]:.2f} ms** — {verdict} the target of
{TARGET_P95_MS:.0f} ms. Load average of the machine (shared with other work) before/after the
in-process run: {load_before[0]:.2f} / {load_after[0]:.2f}. The random queries are prefixes,
words, initials, pinyin and one-character typos of the catalogue's names, and some junk
(seeded; see `random_queries`).
{http_section}"""
    if not args.no_write:
        write_results(connection.vendor, section)
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
