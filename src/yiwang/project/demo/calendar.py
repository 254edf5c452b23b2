"""The national working-day calendar of every year chinese-calendar knows."""

from __future__ import annotations

from yiwang.calendars.selectors import calendar_national_day_count
from yiwang.calendars.services import calendar_seed_from_package
from yiwang.project.demo.context import DemoContext


def load_calendar(ctx: DemoContext) -> None:
    written = calendar_seed_from_package(years=None)
    ctx.summary.add("工作日历（全国日期）", total=calendar_national_day_count(), created=written)
