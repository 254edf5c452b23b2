"""12345 ticket intake over HTTP on a throw-away PostgreSQL (issue #5).

  scripts/with-postgres.sh .venv/bin/python bench/hotline_intake/run.py

1. Loads the demo city's hotline (regions, departments, calendar, accounts, the category tree,
   area boundaries, routing and time-limit rules, `--days` days of tickets, the Open311 demo
   app) and prepares realistic submissions: the demo generator's Chinese texts over the public
   categories and the towns' areas, required attributes answered, ~3.5 % repeats of an earlier
   submission's place and words (duplicates for the dispatcher), phones on most of them.
2. In process: one intake (the Open311 POST through Django's whole stack, without HTTP) —
   milliseconds and queries per ticket, the queries grouped, the parts timed on their own, and
   what the dispatcher's page then computes for a new ticket (routing, duplicate candidates).
3. Over HTTP: granian (WSGI, `--blocking-threads 1`, as `make serve`); closed loop with N
   connections in alternating rounds: `/healthz` (a), the Open311 POST (b), the reporter's API
   POST `/api/v1/hotline/tickets` (c), a, b, c … The ratio b/a (and c/a) of the request rates.
4. Open loop: requests scheduled by the clock at fixed rates (not waiting for answers), for
   `--open-seconds` each: a storm rate, then rising shares of the closed-loop rate until p99
   passes 1 s. Latency counts from the scheduled moment (no coordinated omission).
5. Reconciliation: every request sent, every answer, every ticket in the database; each
   answered number exists exactly once, no ticket without a request, numbering without gaps or
   duplicates. Exits non-zero if a ticket is lost or duplicated.
6. Writes the numbers into bench/hotline_intake/RESULTS.md.

Timing targets are checked here, never in the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import io
import json
import logging
import os
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.project.settings")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise SystemExit("PostgreSQL only: scripts/with-postgres.sh .venv/bin/python " + __file__)
# The per-key limit (60 a minute) would answer 429 to the bench; the server gets this too.
POSTS_PER_MINUTE = "100000000"
os.environ["YIWANG_HOTLINE_OPEN311_POSTS_PER_MINUTE"] = POSTS_PER_MINUTE
# As the server runs (docs/operations.md): without it every in-process request would start a
# new PostgreSQL backend, whose cold catalogue caches make each first query of a table slow.
os.environ.setdefault("DB_CONN_MAX_AGE", "60")

import django  # noqa: E402

django.setup()
# The in-process intakes would print one JSON request log line each.
logging.getLogger("yiwang.request").setLevel(logging.WARNING)
logging.getLogger("yiwang.gateways").setLevel(logging.WARNING)  # the demo's real-name checks

from bench.common.server import (  # noqa: E402
    free_port,
    load_average,
    machine,
    percentiles,
    serve,
    stop,
)
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from yiwang.hotline.models import Area, Category, Ticket, TicketCounter  # noqa: E402
from yiwang.hotline.selectors import (  # noqa: E402
    area_at,
    category_attributes,
    due_after,
    duplicate_candidates,
    limits_for,
    public_services,
    route_by_rules,
)
from yiwang.hotline.selectors.alerts import (  # noqa: E402
    alert_window,
    hotspot_count,
    top_category,
)
from yiwang.hotline.services import open311_key_check  # noqa: E402
from yiwang.hotline.services.common import next_number  # noqa: E402
from yiwang.hotline.workflow import Channel, TicketType, Urgency  # noqa: E402
from yiwang.identity.models import User  # noqa: E402
from yiwang.org.models import Region, RegionLevel  # noqa: E402
from yiwang.project.demo.accounts import load_accounts  # noqa: E402
from yiwang.project.demo.calendar import load_calendar  # noqa: E402
from yiwang.project.demo.context import DemoContext, DemoSummary  # noqa: E402
from yiwang.project.demo.departments import load_departments  # noqa: E402
from yiwang.project.demo.hotline import load_hotline  # noqa: E402
from yiwang.project.demo.hotline_data.categories import TREE, leaves  # noqa: E402
from yiwang.project.demo.hotline_data.generator import (  # noqa: E402
    HOUR_WEIGHTS,
    PROFILE_VOLUME,
    Place,
    Slots,
)
from yiwang.project.demo.hotline_data.texts import frame  # noqa: E402
from yiwang.project.demo.names import person_name  # noqa: E402
from yiwang.project.demo.open311 import demo_open311_key, load_open311  # noqa: E402
from yiwang.project.demo.regions import COUNTIES, load_regions  # noqa: E402
from yiwang.project.demo.registry import load_registry  # noqa: E402

RESULTS = HERE / "RESULTS.md"
SCRATCH = ROOT / "bench" / "results" / "tmp"
OPEN311_PATH = "/open311/v2/requests.json"
API_PATH = "/api/v1/hotline/tickets"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
JSON_TYPE = "application/json"
HUAIAN_DAILY = 739  # tickets a day (the mission's seed city)
P99_LIMIT_MS = 1000.0
DUPLICATE_SHARE = 0.035  # as the demo generator
PHONE_SHARE = 0.9
SEED = 20261122
# Django's own functions shown beside the project's in the profile: the time in queries
# (`_execute`: sending and waiting for PostgreSQL) and in commits.
DATABASE_CALLS = frozenset({"_execute", "commit"})


# --- Data ----------------------------------------------------------------------------------


def load_city(days: int) -> tuple[str, float]:
    """The demo steps intake needs, in one transaction; returns the Open311 demo key."""
    started = time.perf_counter()
    ctx = DemoContext(seed=1, stdout=io.StringIO(), summary=DemoSummary(seed=1))
    with transaction.atomic():
        for step in (load_regions, load_departments, load_registry, load_calendar, load_accounts):
            step(ctx)
        load_hotline(ctx, days=days, train=False)
        load_open311(ctx)
    return demo_open311_key(1), time.perf_counter() - started


@dataclass
class Submission:
    """One POST: the Open311 form body and the same ticket for the reporter's API (JSON)."""

    marker: str  # account_id / idempotency: ties the answer and the ticket to this request
    code: str
    form: str
    api: str
    duplicate: bool


def _places() -> list[Place]:
    towns = {r.code: r for r in Region.objects.filter(level=RegionLevel.TOWN)}
    villages: dict[str, list[str]] = collections.defaultdict(list)
    for code, name in Region.objects.filter(level=RegionLevel.VILLAGE).values_list("code", "name"):
        villages[code[:9] + "000"].append(name)
    county_names = {county.code: county.name for county in COUNTIES}
    places = []
    for area in Area.objects.order_by("region_code"):
        if area.region_code in towns:
            number = area.region_code[6:9]
            places.append(
                Place(
                    area=area,
                    county=county_names.get(area.region_code[:6], ""),
                    town=area.name,
                    communities=villages.get(area.region_code) or ["中心社区"],
                    weight=3.0 if number < "100" else (1.6 if number < "200" else 0.8),
                )
            )
    return places


def _answer(code: str, datatype: str, values: list[tuple[str, str]], slots: Slots) -> str:
    if values:
        return random.Random(f"{code}:{slots['town']}").choice(values)[0]
    if datatype == "number":
        return slots["amount"]
    if datatype == "datetime":
        return timezone.localtime().replace(microsecond=0).isoformat()
    by_code = {
        "location_detail": slots["loc"],
        "noise_time": slots["time"],
        "employer": slots["company"],
        "merchant": slots["shop"],
        "since": slots["time"],
    }
    return by_code.get(code, f"{slots['town']}{slots['street']}")


def make_submissions(count: int, key: str, prefix: str) -> list[Submission]:
    """`count` submissions drawn like the demo generator's tickets for the app channel."""
    rng = random.Random(SEED)
    public = {c.code: c for c in public_services()}
    specs = [spec for spec, _ in leaves(TREE) if spec.code in public]
    weights = [spec.weight * PROFILE_VOLUME[spec.profile] for spec in specs]
    attributes = {code: category_attributes(c) for code, c in public.items()}
    places = _places()
    place_weights = [p.weight for p in places]
    earlier: list[tuple[str, Place, float, float, dict[str, str], str]] = []
    made: list[Submission] = []
    for n in range(count):
        marker = f"{prefix}{n:07d}"
        repeat = None
        if earlier and rng.random() < DUPLICATE_SHARE:
            repeat = rng.choice(earlier[-500:])
        if repeat is not None:
            code, place, lng, lat, old_slots, core = repeat
            spec = next(s for s in specs if s.code == code)
            lng += rng.uniform(-0.0006, 0.0006)
            lat += rng.uniform(-0.0005, 0.0005)
            slots = Slots(rng, place, place.county)
            slots.update(old_slots)
            if rng.random() >= 0.4:
                core = rng.choice(spec.templates).format_map(slots)
        else:
            spec = rng.choices(specs, weights)[0]
            place = rng.choices(places, place_weights)[0]
            a = place.area
            lng = rng.uniform(a.min_longitude + 0.001, a.max_longitude - 0.001)
            lat = rng.uniform(a.min_latitude + 0.001, a.max_latitude - 0.001)
            slots = Slots(rng, place, place.county)
            core = rng.choice(spec.templates).format_map(slots)
        description = frame(rng, core, Channel.OPEN311, TicketType.HELP)
        address = f"{place.county}{place.town}{slots['street']}{rng.randint(1, 399)}号"
        located = spec.located or rng.random() < 0.5
        form: dict[str, str] = {
            "api_key": key,
            "service_code": spec.code,
            "description": description,
            "address_string": address,
            "account_id": marker,
            "device_id": marker,
        }
        api: dict[str, object] = {
            "ticket_type": TicketType.HELP,
            "category_code": spec.code,
            "content": description,
            "channel": Channel.APP if located else Channel.WEB,
            "address": address,
            "idempotency_key": marker,
        }
        if located:
            form["lat"], form["long"] = f"{lat:.6f}", f"{lng:.6f}"
            api["latitude"], api["longitude"] = round(lat, 6), round(lng, 6)
        if rng.random() < PHONE_SHARE:
            male = rng.random() < 0.5
            name = person_name(rng, male=male)
            phone = f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
            form["last_name"], form["first_name"], form["phone"] = name[:1], name[1:], phone
            api["reporter_name"], api["reporter_phone"] = name, phone
        answers = {}
        for attribute in attributes[spec.code]:
            if attribute.required and attribute.variable:
                answers[attribute.code] = _answer(
                    attribute.code, attribute.datatype, attribute.values, slots
                )
        for code, value in answers.items():
            form[f"attribute[{code}]"] = value
        if answers:
            api["answers"] = answers
        made.append(
            Submission(
                marker=marker,
                code=spec.code,
                form=urlencode(form),
                api=json.dumps(api, ensure_ascii=False),
                duplicate=repeat is not None,
            )
        )
        if repeat is None:
            earlier.append((spec.code, place, lng, lat, dict(slots), core))
    return made


def citizen_session() -> tuple[str, str]:
    """A session of the demo citizen, stored in the database (the default session engine), and
    a CSRF secret: the Cookie header and the X-CSRFToken value for the reporter's API."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        raise RuntimeError(f"sessions are in {settings.SESSION_ENGINE}, not the database")
    user = User.objects.get(username="citizen")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = "b" * 32
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    )
    return cookie, csrf


# --- In process ------------------------------------------------------------------------------


_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


def _statement(sql: str) -> str:
    """A query reduced to its shape: literals out, the column list cut."""
    shape = _LITERALS.sub("?", sql)
    shape = re.sub(r"^SELECT .*? FROM", "SELECT … FROM", shape, flags=re.S)
    shape = re.sub(r"^INSERT INTO (\S+) .*", r"INSERT INTO \1 …", shape, flags=re.S)
    shape = re.sub(r"^UPDATE (\S+) SET .*? WHERE", r"UPDATE \1 SET … WHERE", shape, flags=re.S)
    shape = re.sub(r'(SAVEPOINT) "[^"]+"', r"\1 …", shape)
    shape = re.sub(r"\s+", " ", shape)
    return shape[:150]


@dataclass
class InProcess:
    n: int
    wall: dict[str, float]
    cpu: dict[str, float]
    queries: float
    statements: list[tuple[str, float, float]]  # shape, per ticket, ms per ticket
    parts: list[tuple[str, float, float]]  # part, µs, queries
    profile: list[tuple[str, float, float]]  # function, cumulative ms per ticket, own ms
    dispatcher: list[tuple[str, float, float]]  # step, ms per ticket, queries per ticket
    with_candidates: int = 0
    checked: int = 0


def _client_post(client: Client, body: str) -> int:
    response = client.post(OPEN311_PATH, data=body, content_type=FORM, HTTP_HOST="localhost")
    return int(response.status_code)


def _timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for _ in range(repeat):
            run()
        elapsed = time.perf_counter() - started
    return elapsed / repeat * 1e6, len(captured.captured_queries) / repeat


def in_process(submissions: list[Submission], key: str) -> InProcess:
    client = Client()
    for s in submissions[:30]:  # warm up: caches, the connection, imports
        status = _client_post(client, s.form)
        if status != 201:
            raise SystemExit(f"in process: the Open311 POST answered {status}")
    timed = submissions[30:]
    walls, cpus = [], []
    shapes: collections.Counter[str] = collections.Counter()
    shape_ms: collections.Counter[str] = collections.Counter()
    total_queries = 0
    for s in timed:
        # One capture per POST, the log emptied first: Django keeps only the last 9,000
        # queries of a connection, and a capture past them sees none.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.process_time()
            status = _client_post(client, s.form)
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        if status != 201:
            raise SystemExit(f"in process: the Open311 POST answered {status}")
        total_queries += len(captured.captured_queries)
        for query in captured.captured_queries:
            shape = _statement(query["sql"])
            shapes[shape] += 1
            shape_ms[shape] += float(query["time"]) * 1000
    n = len(timed)
    statements = [(shape, count / n, shape_ms[shape] / n) for shape, count in shapes.most_common()]

    # The parts, on their own, in a transaction rolled back (the counter included).
    category = Category.objects.get(code=timed[0].code)
    now = timezone.now()
    parts: list[tuple[str, float, float]] = []
    with transaction.atomic():
        lng, lat = 118.301, 24.651
        limits = limits_for(ticket_type=TicketType.HELP, category=category, urgency=Urgency.NORMAL)

        def round_trip() -> None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")

        for name, run in (
            ("a round trip to PostgreSQL (`SELECT 1`), for scale", round_trip),
            ("api key check (`open311_key_check`, updates last_used_at)",
             lambda: open311_key_check(key=key)),
            ("public category (`public_service`)",
             lambda: public_services().filter(code=category.code).first()),
            ("category attributes", lambda: category_attributes(category)),
            ("area of the point (`area_at`)", lambda: area_at(lng, lat)),
            ("time limits (`limits_for`)",
             lambda: limits_for(ticket_type=TicketType.HELP, category=category,
                                urgency=Urgency.NORMAL)),
            ("dispatch due over the calendar (`due_after`)",
             lambda: due_after(now, limits.dispatch_value, limits.dispatch_unit,
                               region_code=settings.HOTLINE_REGION_CODE)),
            ("ticket number (`next_number`, counter row lock)",
             lambda: next_number(settings.HOTLINE_REGION_CODE, now)),
        ):  # fmt: skip
            us, queries = _timed(run, 200)
            parts.append((name, us, queries))
        transaction.set_rollback(True)

    # cProfile over a few more POSTs: the functions of the project and Django that cost most.
    profiler = cProfile.Profile()
    sample = submissions[:200]
    profiler.enable()
    for s in sample:
        _client_post(client, s.form)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, _line, function), (_cc, _nc, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = re.sub(r".*/site-packages/", "", filename)
        where = re.sub(r".*/src/yiwang/", "yiwang/", where)
        mine = where.startswith("yiwang/") and "project/middleware" not in where
        if not (mine or (function in DATABASE_CALLS and where.startswith("django/db/"))):
            continue
        rows.append(
            (f"{function} ({where})", cumulative * 1000 / len(sample), own * 1000 / len(sample))
        )
    rows.sort(key=lambda row: -row[1])

    # What the dispatcher's page computes for each new ticket: the route and duplicates.
    fresh = list(
        Ticket.objects.filter(channel=Channel.OPEN311, received_at__gte=now - timedelta(hours=1))
        .select_related("category", "category__parent")
        .order_by("-id")[:200]
    )
    dispatcher = []
    us, queries = _timed_each(
        fresh,
        lambda t: route_by_rules(category=t.category, area_id=t.area_id, ticket_type=t.ticket_type),
    )
    dispatcher.append(("routing rules (`route_by_rules`)", us / 1000, queries))
    found = 0

    def candidates(ticket: Ticket) -> None:
        nonlocal found
        found += bool(duplicate_candidates(ticket))

    us, queries = _timed_each(fresh, candidates)
    dispatcher.append(("duplicate candidates (`duplicate_candidates`)", us / 1000, queries))
    return InProcess(
        n=n,
        wall=percentiles(walls),
        cpu=percentiles(cpus),
        queries=total_queries / n,
        statements=statements,
        parts=parts,
        profile=rows[:14],
        dispatcher=dispatcher,
        with_candidates=found,
        checked=len(fresh),
    )


def _timed_each(tickets: list[Ticket], run: Callable[[Ticket], object]) -> tuple[float, float]:
    if not tickets:
        return 0.0, 0.0
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for ticket in tickets:
            run(ticket)
        elapsed = time.perf_counter() - started
    return elapsed / len(tickets) * 1e6, len(captured.captured_queries) / len(tickets)


@dataclass
class HotspotCost:
    """What the live hotspot check (run for every new ticket, after its commit, inside the
    request) costs with the tickets registered in the alert window so far."""

    in_window: int  # tickets registered within the alert window before now
    ms: float  # one `hotspot_count`, mean over the newest tickets' area × top category
    counted: float  # the tickets it counted, mean


def hotspot_cost(sample: int = 50) -> HotspotCost:
    now = timezone.now()
    tickets = list(
        Ticket.objects.filter(area__isnull=False)
        .select_related("category__parent__parent")
        .order_by("-id")[:sample]
    )
    in_window = Ticket.objects.filter(received_at__gt=now - alert_window()).count()
    counted = 0
    started = time.perf_counter()
    for ticket in tickets:
        top = top_category(ticket.category)
        assert ticket.area_id is not None
        found = hotspot_count(area_id=ticket.area_id, category_id=top.pk, until=ticket.received_at)
        counted += found.count
    ms = (time.perf_counter() - started) * 1000 / max(1, len(tickets))
    return HotspotCost(in_window, ms, counted / max(1, len(tickets)))


# --- HTTP clients ------------------------------------------------------------------------------


class StaleConnection(ConnectionError):
    """A kept-alive connection the server had closed: nothing of the answer arrived."""


class Connection:
    """One keep-alive HTTP/1.1 connection (asyncio streams): enough HTTP for this server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, head: bytes, body: bytes) -> tuple[int, bytes]:
        reused = self.writer is not None
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        try:
            self.writer.write(head + body)
            status_line = await self.reader.readline()
        except ConnectionResetError:
            status_line = b""
        if not status_line:
            raise StaleConnection() if reused else ConnectionError("closed by the server")
        status = int(status_line.split()[1])
        length, chunked, close = 0, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            data = b"".join(parts)
        else:
            data = await self.reader.readexactly(length)
        if close:
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Target:
    """What a load sends: `/healthz`, the Open311 POST or the reporter's API POST."""

    name: str
    path: str
    content_type: str = ""
    bodies: list[str] = field(default_factory=list)
    cookie: str = ""
    csrf: str = ""

    def head(self, body: bytes) -> bytes:
        if not self.bodies:
            return f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        lines = [
            f"POST {self.path} HTTP/1.1",
            "Host: 127.0.0.1",
            f"Content-Type: {self.content_type}",
            f"Content-Length: {len(body)}",
        ]
        if self.cookie:
            lines += [f"Cookie: {self.cookie}", f"X-CSRFToken: {self.csrf}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


_NUMBER = re.compile(rb'"(?:service_request_id|number)"\s*:\s*"(\d+)"')


@dataclass
class Answer:
    index: int  # of the body sent
    status: int  # -1: no answer (timeout, connection error)
    latency_ms: float
    number: str = ""
    retried: bool = False  # sent again after a stale keep-alive connection


@dataclass
class Load:
    """One load of one target: closed loop (`rate` 0) or open loop at `rate` per second."""

    target: str
    seconds: float
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float = 0.0
    rate: float = 0.0  # the open loop's scheduled rate
    sent: int = 0
    created: int = 0  # 201 answers
    answers: list[Answer] = field(default_factory=list, repr=False)
    numbers: list[str] = field(default_factory=list, repr=False)  # 201 numbers (wrk)
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    resent: int = 0  # requests sent again after a stale keep-alive connection

    @property
    def achieved(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _summarise(target: Target, answers: list[Answer], seconds: float, rate: float = 0.0) -> Load:
    ok = [a for a in answers if 200 <= a.status < 300]
    stats = percentiles([a.latency_ms for a in answers if a.status > 0])
    statuses = collections.Counter(a.status for a in answers)
    return Load(
        target=target.name,
        seconds=seconds,
        requests=len(ok),
        errors=len(answers) - len(ok),
        p50_ms=stats["p50"],
        p99_ms=stats["p99"],
        mean_ms=stats["mean"],
        max_ms=stats["max"],
        rate=rate,
        sent=len(answers),
        created=sum(a.status == 201 for a in answers),
        answers=answers,
        statuses=statuses,
        resent=sum(a.retried for a in answers),
    )


async def _one(conn: Connection, target: Target, index: int, timeout: float) -> Answer:
    body = target.bodies[index].encode() if target.bodies else b""
    started = time.perf_counter()
    retried = False
    while True:
        try:
            status, data = await asyncio.wait_for(conn.request(target.head(body), body), timeout)
            break
        except StaleConnection:
            # An idle keep-alive connection the server closed, as any HTTP client meets: sent
            # again once on a new one. Had the server taken the request all the same, the
            # reconciliation would find two tickets with its marker.
            conn.close()
            if retried:
                return Answer(index, -1, (time.perf_counter() - started) * 1000, retried=True)
            retried = True
        except (TimeoutError, OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            conn.close()
            return Answer(index, -1, (time.perf_counter() - started) * 1000, retried=retried)
    match = _NUMBER.search(data) if status == 201 else None
    number = match[1].decode() if match else ""
    return Answer(index, status, (time.perf_counter() - started) * 1000, number, retried)


async def closed_loop(
    port: int, target: Target, seconds: float, connections: int, start: int
) -> Load:
    """`connections` connections, each sending its next request when the answer came; after
    the deadline each finishes the request it has out (so every request sent is answered)."""
    answers: list[Answer] = []
    deadline = time.perf_counter() + seconds
    counter = iter(range(start, 1 << 40))

    async def worker() -> None:
        conn = Connection(port)
        while time.perf_counter() < deadline:
            answers.append(await _one(conn, target, next(counter) % max(1, len(target.bodies)), 30))
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return _summarise(target, answers, time.perf_counter() - started)


async def open_loop(
    port: int, target: Target, rate: float, seconds: float, start: int, max_connections: int = 256
) -> Load:
    """Request i is sent at t0 + i / rate whatever the answers before it; its latency counts
    from that moment, waiting for a free connection included. Waits for every answer."""
    count = max(1, round(rate * seconds))
    idle: list[Connection] = []
    slots = asyncio.Semaphore(max_connections)
    answers: list[Answer] = []
    loop = asyncio.get_running_loop()
    t0 = loop.time() + 0.05

    async def send(i: int, scheduled: float) -> None:
        async with slots:
            conn = idle.pop() if idle else Connection(port)
            answer = await _one(conn, target, (start + i) % len(target.bodies), 30)
            idle.append(conn)
        answer.latency_ms = (loop.time() - scheduled) * 1000
        answers.append(answer)

    tasks = []
    for i in range(count):
        scheduled = t0 + i / rate
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(i, scheduled)))
    await asyncio.gather(*tasks)
    for conn in idle:
        conn.close()
    return _summarise(target, answers, max(seconds, loop.time() - t0), rate)


def wrk_load(
    wrk: str, port: int, target: Target, seconds: float, connections: int, start: int
) -> Load:
    """wrk (closed loop, one thread) with intake.lua; every answer's number read back from the
    file the script writes."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    bodies = numbers = None
    args = ["-", "-", "-", "-", "-"]
    if target.bodies:
        fd, name = tempfile.mkstemp(prefix="intake-bodies-", suffix=".txt", dir=SCRATCH)
        bodies = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for i in range(len(target.bodies)):
                out.write(target.bodies[(start + i) % len(target.bodies)] + "\n")
        fd, name = tempfile.mkstemp(prefix="intake-numbers-", suffix=".txt", dir=SCRATCH)
        os.close(fd)
        numbers = Path(name)
        args = [str(bodies), target.content_type, str(numbers), target.cookie or "-",
                target.csrf or "-"]  # fmt: skip
    command = [
        wrk, "-t1", f"-c{connections}", f"-d{seconds:.0f}s", "--timeout", "10s",
        "-s", str(HERE / "intake.lua"), f"http://127.0.0.1:{port}{target.path}", "--", *args,
    ]  # fmt: skip
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
        data = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
        lines = numbers.read_text().splitlines() if numbers else []
    finally:
        for path in (bodies, numbers):
            if path is not None:
                path.unlink(missing_ok=True)
    statuses: collections.Counter[int] = collections.Counter()
    created = [line for line in lines if not line.startswith("status")]
    statuses[201] = len(created)
    for line in lines:
        if line.startswith("status"):
            statuses[int(line.split()[1])] += 1
    errors = data["errors"] + data["status_errors"]
    return Load(
        target=target.name,
        seconds=data["duration_us"] / 1e6,
        requests=data["requests"] - data["status_errors"],
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        sent=data["requests"],
        created=len(created),
        numbers=created,
        statuses=statuses,
    )


# --- Reconciliation ---------------------------------------------------------------------------


@dataclass
class Reconciled:
    label: str
    sent: int
    answered_201: int
    other_answers: dict[int, int]
    no_answer: int
    tickets: int  # new in the database during the load
    missing: int  # 201 numbers not in the database
    duplicated: int  # numbers answered twice, or tickets twice for one request
    unanswered_created: int  # tickets whose answer the client never got
    strays: int  # new tickets no request explains

    @property
    def ok(self) -> bool:
        return not (self.missing or self.duplicated or self.strays)


def _markers(ticket_ids: list[int]) -> dict[int, str]:
    """Ticket id → the request's marker: the API's `idempotency_key` on the ticket; Open311's
    `device_id`, in its own table since migration hotline 0004 (before, in the register step's
    answers)."""
    queries = [
        "SELECT id, idempotency_key FROM hotline_ticket WHERE id = ANY(%s) "
        "AND idempotency_key IS NOT NULL",
        "SELECT ticket_id, data->'answers'->>'open311:device_id' FROM hotline_ticketstep "
        "WHERE ticket_id = ANY(%s) AND action = 'register' "
        "AND data->'answers' ? 'open311:device_id'",
    ]
    if "hotline_open311submission" in connection.introspection.table_names():
        queries.append(
            "SELECT ticket_id, device_id FROM hotline_open311submission WHERE ticket_id = ANY(%s)"
        )
    found: dict[int, str] = {}
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql, [ticket_ids])
            found.update(cursor.fetchall())
    return found


def reconcile(label: str, load: Load, after_id: int, unanswered: set[str]) -> Reconciled:
    """The tickets created since `after_id` against what the load sent and was answered. A new
    ticket is explained by a 201 that named it, or by a request whose answer the client never
    got (`unanswered`: their markers); any other is a stray."""
    rows = list(Ticket.objects.filter(id__gt=after_id).order_by("id").values_list("id", "number"))
    db_numbers = collections.Counter(number for _, number in rows)
    answered = [a.number for a in load.answers if a.status == 201] if load.answers else load.numbers
    answered_count = collections.Counter(answered)
    missing = sum(1 for number in answered_count if number not in db_numbers)
    duplicated = sum(n - 1 for n in answered_count.values() if n > 1)
    duplicated += sum(n - 1 for n in db_numbers.values() if n > 1)
    markers = _markers([pk for pk, _ in rows])
    duplicated += sum(n - 1 for n in collections.Counter(markers.values()).values() if n > 1)
    unanswered_created = strays = 0
    for pk, number in rows:
        if number in answered_count:
            continue
        if markers.get(pk) in unanswered:
            unanswered_created += 1
        else:
            strays += 1
    other = {status: n for status, n in load.statuses.items() if status not in (201, -1)}
    return Reconciled(
        label=label,
        sent=load.sent + (0 if load.answers else unanswered_created),
        answered_201=len(answered),
        other_answers=other,
        no_answer=sum(a.status == -1 for a in load.answers),
        tickets=len(rows),
        missing=missing,
        duplicated=duplicated,
        unanswered_created=unanswered_created,
        strays=strays,
    )


def unanswered_markers(load: Load, bodies: list[str], start: int, connections: int) -> set[str]:
    """The markers of requests that may have reached the server without their answer reaching
    the client: timeouts and 5xx of the Python clients; for wrk, which sends the bodies in
    order from `start` and forgets the (at most `connections`) requests it has out when it
    stops, every body it can have sent — with several server workers the answers come back out
    of order, so the ones cut off need not be the last sent. (Those answered are matched by
    their number first.)"""
    if load.answers:
        return {
            _marker_of(bodies[a.index]) for a in load.answers if a.status == -1 or a.status >= 500
        }
    sent = load.sent + connections + 1
    return {_marker_of(bodies[(start + i) % len(bodies)]) for i in range(sent)}


def _marker_of(body: str) -> str:
    match = re.search(r"(?:device_id=|\"idempotency_key\": \")([A-Za-z0-9-]+)", body)
    return match[1] if match else ""


def wait_quiet(seconds: float = 1.0, limit: float = 60.0) -> None:
    """Until no ticket has been added for `seconds`: requests a client left behind (wrk cuts
    off the ones out when it stops) are finished by the server before the next load counts."""
    deadline = time.monotonic() + limit
    last, since = max_id(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = max_id()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= seconds:
            return


@dataclass
class Numbering:
    days: int
    tickets: int
    gaps: int
    duplicates: int
    counter_mismatch: int

    @property
    def ok(self) -> bool:
        return not (self.gaps or self.duplicates or self.counter_mismatch)


def check_numbering(since_day: object) -> Numbering:
    """For every counter (region, day) from `since_day`: the tickets' sequence numbers are
    exactly 1 … counter.last, each once."""
    gaps = duplicates = mismatch = tickets = 0
    counters = list(TicketCounter.objects.filter(day__gte=since_day))
    for counter in counters:
        prefix = f"{counter.region_code}{counter.day:%Y%m%d}"
        seqs = [
            int(number[len(prefix) :])
            for number in Ticket.objects.filter(number__startswith=prefix).values_list(
                "number", flat=True
            )
        ]
        tickets += len(seqs)
        seen = collections.Counter(seqs)
        duplicates += sum(n - 1 for n in seen.values() if n > 1)
        gaps += sum(1 for s in range(1, counter.last + 1) if s not in seen)
        mismatch += sum(1 for s in seen if s > counter.last or s < 1)
    return Numbering(len(counters), tickets, gaps, duplicates, mismatch)


# --- The run ----------------------------------------------------------------------------------


@dataclass
class HttpRun:
    client: str
    closed: list[Load] = field(default_factory=list)
    opened: list[Load] = field(default_factory=list)
    reconciled: list[Reconciled] = field(default_factory=list)
    api_note: str = ""

    def total(self, target: str) -> Load | None:
        mine = [load for load in self.closed if load.target == target]
        if not mine:
            return None
        weights = [load.requests for load in mine]
        return Load(
            target,
            sum(load.seconds for load in mine),
            sum(weights),
            sum(load.errors for load in mine),
            sorted(load.p50_ms for load in mine)[len(mine) // 2],
            max(load.p99_ms for load in mine),
            sum(load.mean_ms * w for load, w in zip(mine, weights, strict=True))
            / max(1, sum(weights)),
            max(load.max_ms for load in mine),
        )


def max_id() -> int:
    return int(Ticket.objects.aggregate(top=Max("id"))["top"] or 0)


def rates_from(spec: str, closed_rate: float) -> list[float]:
    """ "2,0.5x,0.8x": 2 per second, then half and 80 % of the closed-loop intake rate."""
    rates = []
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        rate = float(item[:-1]) * closed_rate if item.endswith("x") else float(item)
        rates.append(round(max(rate, 0.1), 1))
    return rates


def http_benchmark(args: argparse.Namespace, submissions: list[Submission], key: str) -> HttpRun:
    wrk = None if args.client == "python" else shutil.which("wrk")
    if args.client == "wrk" and wrk is None:
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --client python")
    run = HttpRun(client="wrk" if wrk else "python")
    health = Target("healthz", "/healthz")
    open311 = Target("open311", OPEN311_PATH, FORM, [s.form for s in submissions])
    targets = [health, open311]
    if args.api:
        try:
            cookie, csrf = citizen_session()
            targets.append(
                Target("api", API_PATH, JSON_TYPE, [s.api for s in submissions], cookie, csrf)
            )
        except (RuntimeError, User.DoesNotExist) as error:
            run.api_note = f"the reporter's API was not measured: {error}"
    port = free_port()
    process = serve(port, workers=args.server_workers,
                    env={"YIWANG_HOTLINE_OPEN311_POSTS_PER_MINUTE": POSTS_PER_MINUTE})  # fmt: skip
    used = [0]  # bodies used so far: every load sends fresh ones

    def closed(target: Target, seconds: float) -> Load:
        start = used[0]
        mark = max_id()
        if wrk:
            load = wrk_load(wrk, port, target, seconds, args.connections, start)
        else:
            load = asyncio.run(closed_loop(port, target, seconds, args.connections, start))
        if target.bodies:
            wait_quiet()
            unanswered = unanswered_markers(load, target.bodies, start, args.connections)
            run.reconciled.append(reconcile(f"closed {target.name}", load, mark, unanswered))
            used[0] += load.sent + args.connections + 1
        return load

    try:
        for target in targets[1:]:  # each answers as it should
            answer = asyncio.run(open_loop(port, target, 5, 0.2, used[0]))
            used[0] += answer.sent
            if answer.created != answer.sent:
                body = answer.statuses
                if target.name == "api":
                    run.api_note = f"the reporter's API answered {dict(body)}: not measured"
                    targets.remove(target)
                    continue
                raise SystemExit(f"{target.path} answered {dict(body)}")
        for target in targets:  # warm up
            closed(target, 2)
        for round_number in range(args.rounds):
            for target in targets:
                load = closed(target, args.seconds)
                run.closed.append(load)
                print(
                    f"  {round_number + 1} closed {target.name:8} {load.achieved:7.1f} req/s  "
                    f"p50 {load.p50_ms:7.2f} ms  p99 {load.p99_ms:7.2f} ms  errors {load.errors}"
                )
        intake = run.total("open311")
        assert intake is not None
        for rate in rates_from(args.rates, intake.achieved):
            mark = max_id()
            start = used[0]
            load = asyncio.run(open_loop(port, open311, rate, args.open_seconds, start))
            used[0] += load.sent
            run.opened.append(load)
            wait_quiet()
            unanswered = unanswered_markers(load, open311.bodies, start, 0)
            run.reconciled.append(reconcile(f"open {rate:g}/s", load, mark, unanswered))
            print(
                f"  open {rate:7.1f}/s: answered {load.achieved:7.1f}/s  p50 "
                f"{load.p50_ms:7.1f} ms  p99 {load.p99_ms:7.1f} ms  max {load.max_ms:7.1f} ms  "
                f"errors {load.errors}  resent {load.resent}"
            )
            if not sustained(load):
                break
    finally:
        stop(process)
    return run


def sustained(load: Load) -> bool:
    """Every request answered, p99 within the limit, and the answers kept up with the clock."""
    return load.errors == 0 and load.p99_ms <= P99_LIMIT_MS and load.achieved >= 0.97 * load.rate


# --- Report ------------------------------------------------------------------------------------


def wrk_version(client: str) -> str:
    if client != "wrk":
        return "a Python asyncio client (wrk not installed)"
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout  # noqa: S607
    return f"wrk {out.split()[1] if out else ''}, 1 thread, `intake.lua`"


def database_facts() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def write_results(section: str, workers: int) -> None:
    """Replace the run's section in RESULTS.md: one for a single granian worker (as `make
    serve`), one per other worker count (concurrent intakes: the numbering under contention)."""
    name = "postgresql" if workers == 1 else f"postgresql-{workers}-workers"
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{section.strip()}\n{end}"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if not text:
        text = (
            "# Ticket intake benchmark: results\n\n"
            "Written by `bench/hotline_intake/run.py` (see README.md); each section below is\n"
            "replaced by the latest run of its kind.\n"
        )
    if begin not in text:
        text = f"{text.rstrip()}\n\n{begin}\n{end}\n"
    text = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    RESULTS.write_text(text, encoding="utf-8")


def _row(label: str, load: Load) -> str:
    return (
        f"| {label} | {load.achieved:.1f} | {load.errors} | {load.mean_ms:.2f} | "
        f"{load.p50_ms:.2f} | {load.p99_ms:.2f} | {load.max_ms:.1f} |"
    )


def report(
    args: argparse.Namespace,
    command: str,
    data: str,
    local: InProcess,
    run: HttpRun,
    numbering: Numbering,
    loads: tuple[float, float],
    hotspots: tuple[HotspotCost, HotspotCost],
) -> str:
    health, intake, api = run.total("healthz"), run.total("open311"), run.total("api")
    assert health is not None
    assert intake is not None
    ratio = intake.achieved / health.achieved if health.achieved else 0.0
    names = {"healthz": "a: `/healthz`", "open311": "b: Open311 POST", "api": "c: API POST"}
    per_round = len({load.target for load in run.closed})
    rounds = "\n".join(
        _row(f"{n // per_round + 1}{names[load.target][0]}: {names[load.target][3:]}", load)
        for n, load in enumerate(run.closed)
    )
    totals = [
        _row(f"**all {names['healthz']}**", health),
        _row(f"**all {names['open311']}**", intake),
    ]
    api_line = ""
    if api is not None:
        totals.append(_row(f"**all {names['api']}**", api))
        api_line = f"; **API POST / healthz = {api.achieved / health.achieved:.3f}**"
    best = max((load.rate for load in run.opened if sustained(load)), default=0.0)
    opened = "\n".join(
        f"| {load.rate:g} | {load.sent} | {load.achieved:.1f} | {load.errors} | {load.p50_ms:.1f} "
        f"| {load.p99_ms:.1f} | {load.max_ms:.1f} | {load.resent} "
        f"| {'yes' if sustained(load) else '**no**'} |"
        for load in run.opened
    )
    reconciled = "\n".join(
        f"| {r.label} | {r.sent} | {r.answered_201} | "
        f"{', '.join(f'{s}: {n}' for s, n in sorted(r.other_answers.items())) or '—'} | "
        f"{r.no_answer} | {r.tickets} | {r.unanswered_created} | {r.missing} | {r.duplicated} | "
        f"{r.strays} |"
        for r in run.reconciled
    )
    all_ok = all(r.ok for r in run.reconciled) and numbering.ok
    statements = "\n".join(
        f"| `{shape}` | {count:.2f} | {ms:.3f} |" for shape, count, ms in local.statements
    )
    parts = "\n".join(f"| {name} | {us:.0f} | {q:.1f} |" for name, us, q in local.parts)
    profile = "\n".join(f"| `{name}` | {cum:.2f} | {own:.2f} |" for name, cum, own in local.profile)
    dispatcher = "\n".join(f"| {name} | {ms:.2f} | {q:.1f} |" for name, ms, q in local.dispatcher)
    hotspot_rows = "\n".join(
        f"| {label} | {h.in_window:,} | {h.ms:.2f} | {h.counted:.0f} |"
        for label, h in zip(("before the HTTP loads", "after them"), hotspots, strict=True)
    )
    day_rate = HUAIAN_DAILY / 86400
    peak_rate = HUAIAN_DAILY * max(HOUR_WEIGHTS) / sum(HOUR_WEIGHTS) / 3600
    storm = rates_from(args.rates, intake.achieved)[0]
    api_note = f"\n\n{run.api_note}" if run.api_note else ""
    return f"""
## {database_facts()}, {args.server_workers} granian worker{"s" if args.server_workers > 1 else ""}

- Command: `{command.strip()}`
- Machine: {machine()}; load average before/after: {loads[0]:.2f} / {loads[1]:.2f}
  (the machine is shared with other work)
- Data: {data}
- Run at: {time.strftime("%Y-%m-%d %H:%M %Z")}

### In process: one intake

The Open311 POST through Django's whole stack (test client, no HTTP), {local.n} submissions
after a warm-up: **{local.wall["mean"]:.2f} ms and {local.queries:.1f} queries per ticket**.

| | mean ms | p50 ms | p99 ms | max ms |
|---|---|---|---|---|
| wall | {local.wall["mean"]:.2f} | {local.wall["p50"]:.2f} | {local.wall["p99"]:.2f} | {local.wall["max"]:.2f} |
| CPU of this process | {local.cpu["mean"]:.2f} | {local.cpu["p50"]:.2f} | {local.cpu["p99"]:.2f} | {local.cpu["max"]:.2f} |

The queries of one intake (shapes, literals out), per ticket. Django times each query to the
millisecond only, so the small ones read 0 and the column is a coarse guide:

| statement | per ticket | ms per ticket |
|---|---|---|
{statements}

Its parts timed on their own (200 calls each, rolled back):

| part | µs | queries |
|---|---|---|
{parts}

The project's functions by cumulative time (cProfile over 200 more POSTs, so slower than
above; ms per ticket):

| function | cumulative ms | own ms |
|---|---|---|
{profile}

Intake itself does not route or look for duplicates: the dispatcher's page does, for each new
ticket. What that costs, over the {local.checked} newest Open311 tickets ({local.with_candidates}
of them have duplicate candidates):

| step | ms per ticket | queries per ticket |
|---|---|---|
{dispatcher}

Every new ticket also runs the live hotspot check (`TicketRegistered` → `alert_hotspots`,
after the commit, inside the request): `hotspot_count` counts the tickets of the area and
top-level category registered in the alert window ({alert_window().total_seconds() / 60:.0f} minutes). Its cost as the window
fills:

| when | tickets in the window | ms per count | tickets counted |
|---|---|---|---|
{hotspot_rows}

### Over HTTP, closed loop: the ratio

granian WSGI, {args.server_workers} worker, `--blocking-threads 1` (as `make serve`),
`DB_CONN_MAX_AGE=60`, request logs to /dev/null, the per-key limit raised
(`YIWANG_HOTLINE_OPEN311_POSTS_PER_MINUTE`); load: {wrk_version(run.client)},
{args.connections} keep-alive connections, on the same machine; {args.rounds} rounds of
{args.seconds:.0f} s per endpoint, alternating. (a) `/healthz`; (b) `POST {OPEN311_PATH}` with
the demo app's key; (c) `POST {API_PATH}` as the demo citizen (session cookie and CSRF token).
Every POST is a new submission.

| round: endpoint | requests/s | errors | mean ms | p50 ms | p99 ms | max ms |
|---|---|---|---|---|---|---|
{rounds}
{chr(10).join(totals)}

**Open311 POST / healthz = {ratio:.3f}**{api_line} of the trivial endpoint's request rate.
(p50 of all rounds is the median of the rounds' p50; p99 the worst round's.){api_note}

### Over HTTP, open loop: sustained rates

The Open311 POST at fixed rates for {args.open_seconds:.0f} s each, scheduled by the clock
(an asyncio client, up to 256 connections); latency from the scheduled moment. For scale:
Huai'an's average is {HUAIAN_DAILY} tickets a day = {day_rate:.4f}/s, its busiest hour
{peak_rate:.3f}/s; the first rate, {storm:g}/s, is {storm * 3600:,.0f} an hour, a whole day's
volume every {HUAIAN_DAILY / storm / 60:.1f} minutes (a storm). The others are shares of the
closed-loop rate, rising until p99 passes {P99_LIMIT_MS:.0f} ms. "resent": requests sent again
once because the kept-alive connection they went out on had been closed by the server (nothing
of an answer came back; the reconciliation checks that none became two tickets).

| rate /s | sent | answered /s | errors | p50 ms | p99 ms | max ms | resent | sustained |
|---|---|---|---|---|---|---|---|---|
{opened}

**Highest rate sustained with p99 under {P99_LIMIT_MS / 1000:.0f} s: {best:g} tickets/s**
({best * 86400:,.0f} a day, {best * 86400 / HUAIAN_DAILY:,.0f}× Huai'an's daily volume).

### Reconciliation: 0 tickets lost

Each load's new tickets in the database against what was sent and answered. "created,
unanswered": a ticket whose answer the client never got (cut off when wrk stopped, or timed
out) — not lost. "missing": a 201 whose number is not in the database; "duplicated": a number
answered or stored twice, or two tickets for one request; "strays": tickets no request
explains. All three must be 0.

| load | sent | 201 | other answers | no answer | tickets in DB | created, unanswered | missing | duplicated | strays |
|---|---|---|---|---|---|---|---|---|---|
{reconciled}

Numbering: {numbering.tickets:,} tickets over {numbering.days} counter(s) (region × day) since
the run began: {numbering.gaps} gaps, {numbering.duplicates} duplicates,
{numbering.counter_mismatch} beyond the counter. **{"No ticket lost or duplicated." if all_ok else "TICKETS LOST OR DUPLICATED."}**
"""  # noqa: E501


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=30, help="days of demo tickets (existing)")
    parser.add_argument("--in-process", type=int, default=300, help="intakes timed in process")
    parser.add_argument("--seconds", type=float, default=10.0, help="closed loop, per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--rates",
        default="2,0.5x,0.7x,0.85x,1.0x,1.15x",
        help="open-loop rates per second; 'x' = a share of the closed-loop intake rate",
    )
    parser.add_argument("--open-seconds", type=float, default=60.0)
    parser.add_argument("--server-workers", type=int, default=1, help="granian workers")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--no-api", dest="api", action="store_false",
                        help="leave out the reporter's API POST")  # fmt: skip
    parser.add_argument("--submissions", type=int, default=120_000)
    parser.add_argument("--no-write", action="store_true", help="leave RESULTS.md alone")
    args = parser.parse_args()
    python = (
        os.path.relpath(sys.executable, ROOT) if ROOT in Path(sys.executable).parents else "python"
    )
    command = f"scripts/with-postgres.sh {python} bench/hotline_intake/run.py " + " ".join(
        sys.argv[1:]
    )

    call_command("migrate", verbosity=0)
    key, seconds = load_city(args.days)
    existing = Ticket.objects.count()
    submissions = make_submissions(args.submissions, key, prefix="b")
    data = (
        f"the demo city's hotline set-up ({Category.objects.count()} categories, "
        f"{public_services().count()} public, {Area.objects.count()} areas) and {existing:,} "
        f"tickets of {args.days} days, loaded in {seconds:.0f} s; {len(submissions):,} "
        f"submissions prepared ({sum(s.duplicate for s in submissions):,} repeats of an "
        f"earlier one's place and words)"
    )
    print(f"data: {data}")
    began = timezone.localdate()
    load_before = load_average()
    local = in_process(submissions[-(args.in_process + 30) :], key)
    print(
        f"in process: {local.wall['mean']:.2f} ms (CPU {local.cpu['mean']:.2f} ms), "
        f"{local.queries:.1f} queries per ticket"
    )
    hotspot_before = hotspot_cost()
    run = http_benchmark(args, submissions[: -(args.in_process + 30)], key)
    load_after = load_average()
    hotspot_after = hotspot_cost()
    print(f"hotspot check: before {hotspot_before}, after {hotspot_after}")
    numbering = check_numbering(began)
    for r in run.reconciled:
        print(
            f"  reconcile {r.label}: sent {r.sent}, 201 {r.answered_201}, DB {r.tickets}, "
            f"unanswered-created {r.unanswered_created}, missing {r.missing}, "
            f"duplicated {r.duplicated}, strays {r.strays}"
        )
    print(f"numbering: {numbering}")
    section = report(
        args, command, data, local, run, numbering, (load_before, load_after),
        (hotspot_before, hotspot_after),
    )  # fmt: skip
    health, intake = run.total("healthz"), run.total("open311")
    assert health is not None
    assert intake is not None
    print(f"open311 / healthz = {intake.achieved / health.achieved:.3f}")
    if args.no_write:
        print(section)
    else:
        write_results(section, args.server_workers)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    if not (all(r.ok for r in run.reconciled) and numbering.ok):
        raise SystemExit("TICKETS LOST OR DUPLICATED: see the reconciliation above")


if __name__ == "__main__":
    main()
