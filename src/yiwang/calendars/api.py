"""Read-only working-day API: is a day a working day, add working days, count them."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yiwang.calendars import selectors
from yiwang.calendars.selectors import DayKind

router = Router(tags=["工作日历"])

_REGION = Field(
    "",
    max_length=12,
    description="行政区划代码（GB/T 2260，如 350400），留空表示全国日历。",
)


class WorkingDayGetIn(Schema):
    date: dt.date = Field(description="要查询的日期，例如 2025-10-11。")
    region: str = _REGION


class WorkingDayGetOut(Schema):
    date: dt.date
    is_working_day: bool
    kind: DayKind = Field(
        description="workday 工作日，weekend 休息日，holiday 节假日，makeup_workday 调休上班日。"
    )
    provisional: bool = Field(description="该年度日历尚未录入完成，按周一至周五为工作日暂定。")


class WorkingDaysAddIn(Schema):
    start: dt.date = Field(description="起算日（如受理日），期间自次日开始计算。")
    days: int = Field(description="工作日天数，0 至 3650。")
    region: str = _REGION


class WorkingDaysAddOut(Schema):
    start: dt.date
    days: int
    due_on: dt.date = Field(description="截止日期，当日 24 时（北京时间）前有效。")
    provisional: bool


class WorkingDaysCountIn(Schema):
    start: dt.date = Field(description="开始日期（不计入）。")
    end: dt.date = Field(description="结束日期（计入），不得早于开始日期。")
    region: str = _REGION


class WorkingDaysCountOut(Schema):
    count: int
    provisional: bool


@router.get(
    "/working-day",
    response=WorkingDayGetOut,
    summary="查询某日是否为工作日",
    url_name="calendar_working_day",
)
def working_day_get(request: HttpRequest, query: Query[WorkingDayGetIn]) -> WorkingDayGetOut:
    info = selectors.working_day_get(on=query.date, region_code=query.region)
    return WorkingDayGetOut(
        date=info.on,
        is_working_day=info.is_working_day,
        kind=info.kind,
        provisional=info.provisional,
    )


@router.get(
    "/add-working-days",
    response=WorkingDaysAddOut,
    summary="计算若干个工作日后的截止日期",
    description="期间自起算日的次日开始计算（民法典第二百零一条）；0 个工作日即起算日当天。",
    url_name="calendar_add_working_days",
)
def working_days_add(request: HttpRequest, query: Query[WorkingDaysAddIn]) -> WorkingDaysAddOut:
    deadline = selectors.working_days_add(
        start=query.start, days=query.days, region_code=query.region
    )
    return WorkingDaysAddOut(
        start=query.start,
        days=query.days,
        due_on=deadline.due_on,
        provisional=deadline.provisional,
    )


@router.get(
    "/count-working-days",
    response=WorkingDaysCountOut,
    summary="统计两个日期之间的工作日天数",
    description="统计开始日期之后（不含）至结束日期（含）之间的工作日。",
    url_name="calendar_count_working_days",
)
def working_days_count(
    request: HttpRequest, query: Query[WorkingDaysCountIn]
) -> WorkingDaysCountOut:
    result = selectors.working_days_count(
        start=query.start, end=query.end, region_code=query.region
    )
    return WorkingDaysCountOut(count=result.count, provisional=result.provisional)
