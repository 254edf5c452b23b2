"""`load_demo_city`: loads 示范市 step by step, deterministically from a seed, idempotently.

Each step is a function of a `DemoContext`; it creates what is missing and corrects what differs,
looking rows up by their natural keys (region code, department name in its region, hall name,
window number), so running the whole load twice changes nothing. Each step draws its random
numbers from its own generator (`ctx.rng("<purpose>")`), so a new step never changes the data of
the others. The whole load is one transaction: it lands completely or not at all.

To add a step (demo accounts, the working-day calendar ...), write `demo/<what>.py` with a
`load_<what>(ctx)` that calls `ctx.summary.add(...)`, and append it to `DEMO_STEPS` below, after
the steps whose rows it needs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from yiwang.project.demo.accounts import load_accounts
from yiwang.project.demo.calendar import load_calendar
from yiwang.project.demo.catalog import load_catalog
from yiwang.project.demo.context import DemoContext, DemoSummary, Writer
from yiwang.project.demo.departments import load_departments
from yiwang.project.demo.halls import load_halls
from yiwang.project.demo.hotline import load_hotline
from yiwang.project.demo.licences import load_licences
from yiwang.project.demo.open311 import load_open311
from yiwang.project.demo.regions import load_regions
from yiwang.project.demo.registry import load_registry


@dataclass(frozen=True)
class DemoStep:
    name: str
    label: str  # what the command prints while it runs
    load: Callable[[DemoContext], None]


DEMO_STEPS: list[DemoStep] = [
    DemoStep("regions", "行政区划", load_regions),
    DemoStep("departments", "部门", load_departments),
    DemoStep("halls", "政务服务大厅和窗口", load_halls),
    DemoStep("registry", "沙箱人口和企业登记", load_registry),
    DemoStep("calendar", "工作日历", load_calendar),
    DemoStep("accounts", "演示账户", load_accounts),
    DemoStep("catalog", "事项清单", load_catalog),
    DemoStep("hotline", "12345 热线", load_hotline),
    DemoStep("licences", "电子证照库", load_licences),
    DemoStep("open311", "开放接口演示应用", load_open311),
]


def load_demo_city(*, seed: int, stdout: Writer) -> DemoSummary:
    summary = DemoSummary(seed=seed)
    ctx = DemoContext(seed=seed, stdout=stdout, summary=summary)
    with transaction.atomic():
        for step in DEMO_STEPS:
            started = time.monotonic()
            shown = len(summary.counts)
            step.load(ctx)
            for line in summary.lines()[shown:]:
                stdout.write(f"  {line}\n")
            stdout.write(f"{step.label}已载入（{time.monotonic() - started:.1f} 秒）\n")
    return summary
