"""Learned dispatch benchmark: a year of demo tickets, training time, held-out accuracy, and the
latency of a suggestion (and of duplicate suggestions) per ticket.

  SQLite:      .venv/bin/python bench/hotline_classifier/run.py
  PostgreSQL:  scripts/with-postgres.sh .venv/bin/python bench/hotline_classifier/run.py

1. Migrates a fresh database (a temporary SQLite file, or DATABASE_URL) and loads the demo
   city's regions, departments and calendar, then the hotline step with `--days` of tickets
   (default 365, ~270,000 tickets), timed (wall and CPU).
2. Trains the dispatch model (`train_dispatch_model`: ≤ 60,000 most recent dispatched tickets,
   trained on the first 80 % of days, tested on the rest), timed; prints the accuracy.
3. Times `suggest_department` on `--samples` (1,000) tickets of the test days: on the ticket
   (the routing rules first, then the model) and on its text (the model alone); and
   `duplicate_candidates` on tickets with a point. p50/p95/p99.
4. Replaces its database's section of bench/hotline_classifier/RESULTS.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.project.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["YIWANG_DATA_DIR"] = tempfile.mkdtemp(prefix="yiwang-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from yiwang.hotline.classifier import ticket_text, train_dispatch_model  # noqa: E402
from yiwang.hotline.models import Ticket  # noqa: E402
from yiwang.hotline.selectors import duplicate_candidates, suggest_department  # noqa: E402
from yiwang.project.demo.context import DemoContext, DemoSummary  # noqa: E402
from yiwang.project.demo.hotline import load_hotline  # noqa: E402
from yiwang.project.demo.loader import DEMO_STEPS  # noqa: E402

RESULTS = HERE / "RESULTS.md"
SEED = 20261122


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {"n": len(ordered), "mean": statistics.fmean(ordered), "p50": at(50), "p95": at(95),
            "p99": at(99), "max": ordered[-1]}  # fmt: skip


def timed(call, items) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for item in items:
        started = time.perf_counter()
        call(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    ctx = DemoContext(seed=SEED, stdout=io.StringIO(), summary=DemoSummary(seed=SEED))
    with transaction.atomic():
        for step in DEMO_STEPS:
            if step.name in ("regions", "departments", "calendar"):
                step.load(ctx)
    wall, cpu = time.monotonic(), time.process_time()
    with transaction.atomic():
        load_hotline(ctx, days=args.days, train=False)
    gen_wall, gen_cpu = time.monotonic() - wall, time.process_time() - cpu
    counts = ctx.summary.totals()
    print(f"generated {counts['12345 工单']} tickets in {gen_wall:.1f} s (CPU {gen_cpu:.1f} s)")
    wall, cpu = time.monotonic(), time.process_time()
    run = train_dispatch_model()
    train_wall, train_cpu = time.monotonic() - wall, time.process_time() - cpu
    assert run is not None
    print(f"trained on {run.n_train}, tested on {run.n_test}: top-1 {run.top1_accuracy:.3f}, "
          f"top-3 {run.top3_accuracy:.3f}, baseline {run.baseline_accuracy:.3f}, "
          f"{train_wall:.1f} s (CPU {train_cpu:.1f} s)")  # fmt: skip
    rng = random.Random(SEED)
    pool = list(
        Ticket.objects.filter(received_at__gte=run.split_at, lead_department__isnull=False)
        .select_related("category")
        .order_by("id")
    )
    tickets = rng.sample(pool, min(args.samples, len(pool)))
    texts = [ticket_text(t.title, t.content, t.address) for t in tickets]
    suggest_department(texts[0])  # load the model once
    on_ticket = percentiles(timed(suggest_department, tickets))
    on_text = percentiles(timed(suggest_department, texts))
    placed = [t for t in tickets if t.latitude is not None]
    duplicates = percentiles(timed(duplicate_candidates, placed))
    rows = [("`suggest_department(ticket)` (rules, then model)", on_ticket),
            ("`suggest_department(text)` (model alone)", on_text),
            ("`duplicate_candidates(ticket)` (200 m, 7 days)", duplicates)]  # fmt: skip
    for label, p in rows:
        print(f"{label}: p50 {p['p50']:.2f} ms, p99 {p['p99']:.2f} ms")
    if args.no_write:
        return
    vendor = connection.vendor
    version = connection.cursor().connection.server_version if vendor == "postgresql" else ""
    command = (
        "scripts/with-postgres.sh .venv/bin/python bench/hotline_classifier/run.py"
        if vendor == "postgresql"
        else ".venv/bin/python bench/hotline_classifier/run.py"
    )
    if args.days != 365:
        command += f" --days {args.days}"
    load = os.getloadavg()
    section = [
        f"<!-- {vendor}:begin -->",
        f"## {'PostgreSQL ' + str(version) if vendor == 'postgresql' else 'SQLite'}",
        "",
        f"- Command: `{command}`",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {load[0]:.2f} (shared with other work)",
        f"- Run at: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Tickets: {counts['12345 工单']} over {args.days} days "
        f"({counts['12345 工单（已派单）']} dispatched, {counts['12345 工单流转记录']} steps), "
        f"generated in **{gen_wall:.1f} s** wall / {gen_cpu:.1f} s CPU",
        f"- Training: {run.n_train} tickets, tested on the later {run.n_test} "
        f"({run.n_classes} units), **{train_wall:.1f} s** wall / {train_cpu:.1f} s CPU",
        f"- Held-out accuracy: top-1 **{run.top1_accuracy:.1%}**, top-3 "
        f"**{run.top3_accuracy:.1%}**; majority baseline {run.baseline_accuracy:.1%}",
        "",
        "| call | n | mean ms | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, p in rows:
        section.append(f"| {label} | {p['n']:.0f} | {p['mean']:.2f} | {p['p50']:.2f} | "
                       f"{p['p95']:.2f} | {p['p99']:.2f} | {p['max']:.2f} |")  # fmt: skip
    section.append(f"<!-- {vendor}:end -->")
    text = RESULTS.read_text(encoding="utf-8")
    begin, end = f"<!-- {vendor}:begin -->", f"<!-- {vendor}:end -->"
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + "\n".join(section) + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(section) + "\n"
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
