"""Licence verification benchmark: 1,000,000 stored licences on a throw-away PostgreSQL.

  scripts/with-postgres.sh .venv/bin/python bench/licence_verify/run.py

1. Generates the licences (bench/licence_verify/generate.py): real identifiers, Ed25519
   signatures and encrypted holder codes, loaded with COPY by one process per core.
2. In process: `licence_verify` over random identifiers of the million (wall and CPU time, queries
   per call), and its parts (parsing, the query, the signature check) timed on their own.
3. Over HTTP: serves the project with granian (WSGI, --blocking-threads 1, one worker per core as
   docs/operations.md deploys it) and loads it from a second process (wrk, or a Python client
   when wrk is missing) in alternating rounds: `/healthz` (a),
   `GET /api/v1/licences/verify/<identifier>` over random identifiers (b), a, b … Reports
   requests/s, p50/p99 and the ratio b/a (the aim: ≥ 0.5).
4. With --profile: py-spy samples the server while it answers verifications; the report lists
   where the worker's time goes.
5. Writes the numbers into bench/licence_verify/RESULTS.md.

Timing targets are checked here, never in the test suite.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.project.settings")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise SystemExit("PostgreSQL only: scripts/with-postgres.sh .venv/bin/python " + __file__)

import django  # noqa: E402

django.setup()

from bench.common.server import (  # noqa: E402
    children_of,
    free_port,
    machine,
    percentiles,
    serve,
    stop,
)
from bench.licence_verify.generate import TOTAL, describe_existing, generate  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from yiwang.licences.identifier import parse_identifier  # noqa: E402
from yiwang.licences.models import Licence  # noqa: E402
from yiwang.licences.selectors import (  # noqa: E402
    _verify_row,
    licence_signature_holds,
    licence_verify,
    signed_content_of,
)

TARGET_RATIO = 0.5
RESULTS = HERE / "RESULTS.md"
SCRATCH = ROOT / "bench" / "results" / "tmp"
VERIFY_PATH = "/api/v1/licences/verify/"


# --- In process ----------------------------------------------------------------------------


def sample_identifiers(count: int, seed: int = 7) -> list[str]:
    """`count` identifiers drawn at random from the whole table, in random order."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM licences_licence")
        total = int(cursor.fetchone()[0])
        share = min(100.0, 100.0 * count * 1.3 / max(total, 1))
        cursor.execute(
            "SELECT identifier FROM licences_licence TABLESAMPLE BERNOULLI (%s) REPEATABLE (%s)",
            [share, seed],
        )
        identifiers = [row[0] for row in cursor.fetchall()]
    random.Random(seed).shuffle(identifiers)
    return identifiers[:count]


@dataclass
class InProcess:
    wall: dict[str, float]
    cpu: dict[str, float]
    queries: float
    parse_us: float
    query_us: float
    signature_us: float
    genuine: int
    n: int


def in_process(identifiers: list[str]) -> InProcess:
    for identifier in identifiers[:200]:  # warm up: caches, connection, key objects
        licence_verify(identifier)
    walls, cpus = [], []
    genuine = 0
    with CaptureQueriesContext(connection) as queries:
        for identifier in identifiers:
            started, cpu = time.perf_counter(), time.process_time()
            verification = licence_verify(identifier)
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            genuine += verification.genuine
    part = identifiers[:500]
    started = time.perf_counter()
    for identifier in part:
        parse_identifier(identifier)
    parse_us = (time.perf_counter() - started) / len(part) * 1e6
    # The selector's query, as it makes it (prepared on PostgreSQL), without the check.
    started = time.perf_counter()
    for identifier in part:
        _verify_row(identifier)
    query_us = (time.perf_counter() - started) / len(part) * 1e6
    # The same licences as model instances, for timing the signature check on its own.
    fields = [
        f.name
        for f in Licence._meta.concrete_fields
        if f.name not in {"created_at", "expiry_reminded_on"}
    ]
    rows = Licence.objects.select_related("licence_type", "signing_key", "previous").only(
        *fields,
        "licence_type__type_code",
        "licence_type__name",
        "signing_key__public_key",
        "previous__identifier",
    )
    licences = [rows.filter(identifier=identifier).first() for identifier in part]
    found = [licence for licence in licences if licence is not None]
    started = time.perf_counter()
    for licence in found:
        licence_signature_holds(licence)
    signature_us = (time.perf_counter() - started) / len(found) * 1e6
    for licence in found[:50]:
        signed_content_of(licence)  # the same content the check uses
    return InProcess(
        wall=percentiles(walls),
        cpu=percentiles(cpus),
        queries=len(queries.captured_queries) / len(identifiers),
        parse_us=parse_us,
        query_us=query_us,
        signature_us=signature_us,
        genuine=genuine,
        n=len(identifiers),
    )


# --- HTTP ----------------------------------------------------------------------------------


@dataclass
class Load:
    endpoint: str
    seconds: float
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    mean_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_load(
    wrk: str, port: int, endpoint: str, ids_file: Path | None, seconds: float, connections: int
) -> Load:
    url = f"http://127.0.0.1:{port}{VERIFY_PATH if ids_file else endpoint}"
    command = [
        wrk, "-t1", f"-c{connections}", f"-d{seconds:.0f}s", "--timeout", "10s",
        "-s", str(HERE / "verify.lua"), url,
    ]  # fmt: skip
    if ids_file is not None:
        command += ["--", str(ids_file)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in out.splitlines() if line.startswith("{"))
    data = json.loads(line)
    return Load(
        endpoint=endpoint,
        seconds=data["duration_us"] / 1e6,
        requests=data["requests"],
        errors=data["errors"] + data["status_errors"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
    )


def python_load(port: int, endpoint: str, paths: list[str], seconds: float, threads: int) -> Load:
    """The fallback client: `threads` threads, each on one keep-alive connection."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def worker(offset: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed, i = [], 0, offset * 7919
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            begun = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                failed += response.status != 200
            except OSError:
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - begun) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    stats = percentiles(latencies or [0.0])
    return Load(
        endpoint,
        time.perf_counter() - started,
        len(latencies),
        errors,
        stats["p50"],
        stats["p99"],
        stats["mean"],
    )


@dataclass
class HttpRun:
    client: str
    loads: list[Load] = field(default_factory=list)
    profile: Profile = field(default_factory=lambda: Profile())

    def total(self, endpoint: str) -> Load:
        mine = [load for load in self.loads if load.endpoint == endpoint]
        seconds = sum(load.seconds for load in mine)
        weights = [load.requests for load in mine]
        return Load(
            endpoint,
            seconds,
            sum(weights),
            sum(load.errors for load in mine),
            statistics.median(load.p50_ms for load in mine),
            max(load.p99_ms for load in mine),
            sum(load.mean_ms * w for load, w in zip(mine, weights, strict=True))
            / max(1, sum(weights)),
        )


def _frame_name(frame: str) -> str:
    """`func (/…/site-packages/django/x.py:12)` → `func (django/x.py)`: one row per function."""
    frame = re.sub(r" \(/.*/site-packages/", " (", frame)
    frame = re.sub(r" \(/.*?/src/yiwang/", " (yiwang/", frame)
    return re.sub(r":\d+\)$", ")", frame)


# Where a sample's time is counted: the first rule (top to bottom) that matches a frame of its
# stack. Exclusive, so the shares add up to 100 %.
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("signature check (canonical JSON, Ed25519)", ("licences/signing.py",)),
    ("PostgreSQL round trip (psycopg: send, wait, read)", ("psycopg/",)),
    ("ORM: compiling the query, building model instances", ("django/db/",)),
    ("rest of the selector (parsing, decrypting, masking)", ("yiwang/licences/",)),
    ("ninja: routing, parameters, response schema", ("ninja/", "pydantic")),
    ("logging (one JSON line per request)", ("logging/", "yiwang/platform/logging")),
    ("Django request handling and middleware",
     ("django/", "whitenoise/", "allauth/", "django_htmx/", "yiwang/project/")),
)  # fmt: skip


@dataclass
class Profile:
    samples: int = 0
    areas: list[tuple[str, float]] = field(default_factory=list)
    own: list[tuple[str, float]] = field(default_factory=list)


def summarise_profile(raw: Path, top: int = 12) -> Profile:
    """py-spy's collapsed stacks → the share of samples per area (`AREAS`) and the functions
    with the most samples on top of the stack."""
    areas: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame_name(f) for f in stack.split(";")]
        total += count
        own[frames[-1]] += count
        area = next(
            (name for name, markers in AREAS if any(m in f for f in frames for m in markers)),
            "granian and the WSGI glue",
        )
        areas[area] += count
    if not total:
        return Profile()
    return Profile(
        samples=total,
        areas=[(name, 100 * n / total) for name, n in areas.most_common()],
        own=[(name, 100 * n / total) for name, n in own.most_common(top)],
    )


def http_benchmark(identifiers: list[str], args: argparse.Namespace, ids_file: Path) -> HttpRun:
    wrk = None if args.client == "python" else shutil.which("wrk")
    if args.client == "wrk" and wrk is None:
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --client python")
    run = HttpRun(client="wrk" if wrk else "python")
    port = free_port()
    process = serve(port, workers=args.server_workers, app=args.wsgi)
    verify_paths = [VERIFY_PATH + i for i in identifiers]

    def load(endpoint: str, seconds: float) -> Load:
        if wrk:
            file = ids_file if endpoint == "verify" else None
            return wrk_load(wrk, port, "/healthz" if file is None else "verify", file, seconds,
                            args.connections)  # fmt: skip
        paths = ["/healthz"] if endpoint == "healthz" else verify_paths
        return python_load(port, endpoint, paths, seconds, args.connections)

    try:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", verify_paths[0])
        response = conn.getresponse()
        body = json.loads(response.read())
        if response.status != 200 or not body.get("genuine"):
            raise SystemExit(f"the verify endpoint answered {response.status}: {body}")
        load("healthz", 2)  # warm up both
        load("verify", 3)
        for _ in range(args.rounds):
            for endpoint in ("healthz", "verify"):
                result = load(endpoint, args.seconds)
                result.endpoint = "healthz" if endpoint == "healthz" else "verify"
                run.loads.append(result)
                print(
                    f"  {result.endpoint:8} {result.rate:7.0f} req/s  p50 {result.p50_ms:6.2f} ms"
                    f"  p99 {result.p99_ms:6.2f} ms  errors {result.errors}"
                )
        if args.profile:
            raw = SCRATCH / "licence_verify_profile.txt"
            spy = shutil.which("py-spy")
            if spy is None:
                print("py-spy is missing: no profile")
            else:
                workers = children_of(process.pid) or [process.pid]
                recorder = subprocess.Popen(  # noqa: S603
                    [spy, "record", "--pid", str(workers[0]), "--duration", str(args.profile),
                     "--rate", "250", "--format", "raw", "--output", str(raw), "--nonblocking"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
                time.sleep(0.5)
                load("verify", args.profile)
                recorder.wait(timeout=60)
                if raw.exists():
                    run.profile = summarise_profile(raw)
                    for name, share in run.profile.areas:
                        print(f"  {share:5.1f} %  {name}")
    finally:
        stop(process)
    return run


# --- Report ----------------------------------------------------------------------------------


def database_facts() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('licences_licence')), "
            "pg_size_pretty(pg_indexes_size('licences_licence'))"
        )
        table, indexes = cursor.fetchone()
    return version, f"table {table}, indexes {indexes}"


def wrk_version(client: str) -> str:
    if client != "wrk":
        return "Python threads with keep-alive connections (wrk not installed)"
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout  # noqa: S607
    return f"wrk {out.split()[1] if out else ''}, 1 thread"


def http_row(label: str, load: Load) -> str:
    return (
        f"| {label} | {load.rate:.0f} | {load.errors} | {load.mean_ms:.2f} | {load.p50_ms:.2f} | "
        f"{load.p99_ms:.2f} |"
    )


def write_results(section: str) -> None:
    begin, end = "<!-- postgresql:begin -->", "<!-- postgresql:end -->"
    block = f"{begin}\n{section.strip()}\n{end}"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if not text:
        text = (
            "# Licence verification benchmark: results\n\n"
            "Written by `bench/licence_verify/run.py` (see README.md); the section below is\n"
            "replaced by the latest run.\n\n"
            f"{begin}\n{end}\n"
        )
    text = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--licences", type=int, default=TOTAL)
    parser.add_argument("--generate-workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--identifiers", type=int, default=100_000, help="random ones to verify")
    parser.add_argument(
        "--in-process", type=int, default=3000, help="verifications timed in process"
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--server-workers",
        type=int,
        default=os.cpu_count() or 1,
        help="granian workers (one per core, as docs/operations.md deploys)",
    )
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--wsgi",
        default="yiwang.project.wsgi:application",
        help="the WSGI callable to serve (to try a change out, from a module on PYTHONPATH)",
    )
    parser.add_argument("--profile", type=int, default=0, help="py-spy the server for N s")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="verify the licences already in DATABASE_URL's database instead of generating",
    )
    parser.add_argument("--no-write", action="store_true", help="leave RESULTS.md alone")
    args = parser.parse_args()
    python = (
        os.path.relpath(sys.executable, ROOT) if ROOT in Path(sys.executable).parents else "python"
    )
    command = f"scripts/with-postgres.sh {python} bench/licence_verify/run.py " + " ".join(
        sys.argv[1:]
    )

    call_command("migrate", verbosity=0)
    if args.reuse:
        generated = describe_existing()
        if not generated.licences:
            raise SystemExit("--reuse: there are no licences in this database")
    else:
        generated = generate(args.licences, workers=args.generate_workers)
    print(f"data: {generated}")
    identifiers = sample_identifiers(args.identifiers)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    ids_file = Path(tempfile.mkstemp(prefix="licence-ids-", suffix=".txt", dir=SCRATCH)[1])
    ids_file.write_text("\n".join(identifiers) + "\n", encoding="ascii")

    load_before = os.getloadavg()
    local = in_process(identifiers[: args.in_process])
    print(
        f"in process: licence_verify mean {local.wall['mean']:.2f} ms, p50 {local.wall['p50']:.2f}"
        f", p99 {local.wall['p99']:.2f}; CPU {local.cpu['mean']:.2f} ms; "
        f"{local.queries:.2f} queries per call; {local.genuine}/{local.n} genuine"
    )
    run = http_benchmark(identifiers, args, ids_file)
    load_after = os.getloadavg()
    ids_file.unlink(missing_ok=True)
    health, verify = run.total("healthz"), run.total("verify")
    ratio = verify.rate / health.rate if health.rate else 0.0
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"verify / healthz = {ratio:.2f} ({verdict} the aim of {TARGET_RATIO})")

    version, size = database_facts()
    variant = ""
    if "variants" in args.wsgi:
        variant = f", `VERIFY_VARIANT={os.environ.get('VERIFY_VARIANT', 'current')}`"
    rounds = "\n".join(
        http_row(
            f"{n // 2 + 1}{'a' if load.endpoint == 'healthz' else 'b'}: `{load.endpoint}`", load
        )
        for n, load in enumerate(run.loads)
    )
    profile = ""
    if run.profile.samples:
        areas = "\n".join(f"| {name} | {share:.1f} |" for name, share in run.profile.areas)
        own = "\n".join(f"| `{name}` | {share:.1f} |" for name, share in run.profile.own)
        profile = f"""
### Where the server's time goes while it verifies (py-spy)

py-spy sampling the granian worker at 250 Hz for {args.profile} s of verify load
({run.profile.samples} samples of the worker running Python; waiting for the next request is not
sampled). Each sample counts once, for the first area of the list that is on its stack.

| area | share of samples % |
|---|---|
{areas}

The functions most often on top of the stack:

| function | % |
|---|---|
{own}
"""
    section = f"""
## {version}

- Command: `{command.strip()}`
- Machine: {machine()}; load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}
  (the machine is shared with other work)
- Data: {generated}; {size}
- Run at: {time.strftime("%Y-%m-%d %H:%M %Z")}

### In process

`licence_verify` over {local.n} random identifiers of the {generated.licences:,}
({local.genuine} genuine), after a warm-up: **{local.queries:.2f} queries per call**.

| | mean ms | p50 ms | p99 ms | max ms |
|---|---|---|---|---|
| wall | {local.wall["mean"]:.3f} | {local.wall["p50"]:.3f} | {local.wall["p99"]:.3f} | {local.wall["max"]:.3f} |
| CPU of this process | {local.cpu["mean"]:.3f} | {local.cpu["p50"]:.3f} | {local.cpu["p99"]:.3f} | {local.cpu["max"]:.3f} |

Its parts, timed on their own (mean µs): parsing and checking the identifier
{local.parse_us:.0f}; the query (one prepared statement: the row with its type, key and predecessor)
{local.query_us:.0f}; the signature check (canonical JSON + Ed25519 verify, key object cached)
{local.signature_us:.0f}.

### Over HTTP

granian WSGI (`{args.wsgi}`{variant}), {args.server_workers} worker(s), `--blocking-threads 1` (as docs/operations.md deploys it: one worker per core),
`DB_CONN_MAX_AGE=60` (as docs/operations.md advises for PostgreSQL), request logging to
/dev/null; load: {wrk_version(run.client)}, {args.connections} keep-alive connections, on the same
machine; {args.rounds} rounds of {args.seconds:.0f} s per endpoint, alternating a → b → a → b.
(a) is `/healthz`, (b) `GET /api/v1/licences/verify/<identifier>` over {len(identifiers):,}
random identifiers of the million.

| round: endpoint | requests/s | errors | mean ms | p50 ms | p99 ms |
|---|---|---|---|---|---|
{rounds}
| **all (a): `/healthz`** | **{health.rate:.0f}** | {health.errors} | {health.mean_ms:.2f} | {health.p50_ms:.2f} | {health.p99_ms:.2f} |
| **all (b): verify** | **{verify.rate:.0f}** | {verify.errors} | {verify.mean_ms:.2f} | {verify.p50_ms:.2f} | {verify.p99_ms:.2f} |

**verify / healthz = {ratio:.2f}** of the trivial endpoint's request rate — {verdict} the aim of
{TARGET_RATIO}. (p50 of all rounds is the median of the rounds' p50; p99 the worst round's.)
{profile}"""  # noqa: E501
    if not args.no_write:
        write_results(section)
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
