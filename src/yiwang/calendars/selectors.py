"""Reads of the working-day calendar, and deadline arithmetic against it.

Other contexts compute every time limit here. For one deadline call `working_days_add`,
`deadline_compute` and friends; for many (a supervision sweep over thousands of cases) load
`calendar_snapshot(region_code=...)` once and call the pure functions re-exported below in the
loop. The rules (day after the trigger, end of day in Asia/Shanghai, pauses, provisional results
for unknown years) are stated once, in `yiwang.calendars.deadlines`.

Which years are known, for a region: a year is known when the national calendar marked it complete
and no enclosing region is revising it (a regional year record that is not complete). Days of a
year that is not complete nationally are ignored: they follow the weekend rule until the year is
completed, so due dates change only when `CalendarYearCompleted` says so.

Snapshots are cached per process under the calendar's revision token and rebuilt when the token
changes, so every call sees the calendar as committed (one small query per call).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from yiwang.calendars.deadlines import (
    MAX_DAYS,
    SUPPORTED_YEARS,
    CalendarSnapshot,
    DayInfo,
    DayKind,
    Deadline,
    Pause,
    WorkingDayCount,
    WorkingPeriod,
    add_calendar_days,
    add_working_days,
    add_working_time,
    count_working_days,
    day_info,
    due_with_pauses,
    end_of_day,
    excluded_working_days,
    local_date,
)
from yiwang.calendars.models import CalendarDay, CalendarRevision, CalendarYear
from yiwang.calendars.regions import NATIONAL, normalise_region_code, region_chain
from yiwang.platform.errors import FieldError, InvalidInput

__all__ = [
    "MAX_DAYS",
    "CalendarSnapshot",
    "CalendarYearOverview",
    "DayInfo",
    "DayKind",
    "Deadline",
    "HolidayPeriod",
    "Pause",
    "SpecialDay",
    "WorkingDayCount",
    "WorkingPeriod",
    "add_calendar_days",
    "add_working_days",
    "add_working_time",
    "calendar_days_add",
    "calendar_snapshot",
    "calendar_unknown_years",
    "calendar_year_is_known",
    "calendar_year_overview",
    "count_working_days",
    "deadline_compute",
    "due_with_pauses",
    "end_of_day",
    "excluded_working_days",
    "local_date",
    "missing_next_year_warning",
    "working_day_get",
    "working_days_add",
    "working_days_count",
    "working_hours_add",
]


# --- Input checks (messages for people: the API and pages show them) -----------------------------


def _invalid(field: str, code: str, message: str) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[FieldError(field=field, message=message)])


def _checked_date(value: date | datetime, field: str) -> date:
    on = local_date(value)
    if on.year not in SUPPORTED_YEARS:
        first, last = SUPPORTED_YEARS[0], SUPPORTED_YEARS[-1]
        raise _invalid(field, "date_out_of_range", f"日期应在{first}年至{last}年之间，请检查。")
    return on


def _checked_days(value: int, field: str = "days") -> int:
    if not 0 <= value <= MAX_DAYS:
        raise _invalid(
            field, "days_out_of_range", f"天数应为0至{MAX_DAYS}之间的整数，请检查后重新填写。"
        )
    return value


def _checked_year(value: int, field: str = "year") -> int:
    if value not in SUPPORTED_YEARS:
        first, last = SUPPORTED_YEARS[0], SUPPORTED_YEARS[-1]
        raise _invalid(field, "year_out_of_range", f"年度应在{first}年至{last}年之间，请检查。")
    return value


# --- The snapshot cache ---------------------------------------------------------------------------

_MAX_CACHED_REGIONS = 128


class _SnapshotCache:
    """Snapshots of one calendar revision, by region chain (least recently used evicted)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.token: str | None = None
        self.snapshots: OrderedDict[tuple[str, ...], CalendarSnapshot] = OrderedDict()

    def get(self, token: str | None, chain: tuple[str, ...]) -> CalendarSnapshot | None:
        with self.lock:
            if token != self.token:
                self.token = token
                self.snapshots.clear()
                return None
            snapshot = self.snapshots.get(chain)
            if snapshot is not None:
                self.snapshots.move_to_end(chain)
            return snapshot

    def put(self, token: str | None, chain: tuple[str, ...], snapshot: CalendarSnapshot) -> None:
        with self.lock:
            if token != self.token:
                return  # the calendar changed while this one was loading: do not keep it
            self.snapshots[chain] = snapshot
            while len(self.snapshots) > _MAX_CACHED_REGIONS:
                self.snapshots.popitem(last=False)


_cache = _SnapshotCache()


def _revision_token() -> str | None:
    return CalendarRevision.objects.filter(pk=1).values_list("token", flat=True).first()


def calendar_snapshot(*, region_code: str = "") -> CalendarSnapshot:
    """The calendar of a region (national when empty), as committed now."""
    chain = region_chain(normalise_region_code(region_code))
    token = _revision_token()
    snapshot = _cache.get(token, chain)
    if snapshot is None:
        national = _cache.get(token, (NATIONAL,))
        if national is None:
            national = _load_national()
            _cache.put(token, (NATIONAL,), national)
        snapshot = national if chain == (NATIONAL,) else _load_regional(chain, national)
        _cache.put(token, chain, snapshot)
    return snapshot


def _load_national() -> CalendarSnapshot:
    known = frozenset(
        CalendarYear.objects.filter(region_code=NATIONAL, is_complete=True).values_list(
            "year", flat=True
        )
    )
    rows = CalendarDay.objects.filter(region_code=NATIONAL).values_list("date", "kind")
    kinds = {on: DayKind(kind) for on, kind in rows.iterator() if on.year in known}
    return CalendarSnapshot(kinds=kinds, known_years=known)


def _load_regional(chain: tuple[str, ...], national: CalendarSnapshot) -> CalendarSnapshot:
    regional = chain[1:]
    revising = set(
        CalendarYear.objects.filter(region_code__in=regional, is_complete=False).values_list(
            "year", "region_code"
        )
    )
    overrides = list(
        CalendarDay.objects.filter(region_code__in=regional).values_list(
            "date", "region_code", "kind"
        )
    )
    if not overrides and not revising:
        return national  # most regions declare nothing of their own: share the national tables
    specificity = {code: index for index, code in enumerate(chain)}
    kinds = dict(national.kinds)
    for on, code, kind in sorted(overrides, key=lambda row: (specificity[row[1]], row[0])):
        if on.year in national.known_years and (on.year, code) not in revising:
            kinds[on] = DayKind(kind)
    known = national.known_years - {year for year, _ in revising}
    return CalendarSnapshot(kinds=kinds, known_years=known)


# --- Deadline arithmetic against the stored calendar ----------------------------------------------


def working_day_get(*, on: date | datetime, region_code: str = "") -> DayInfo:
    """The kind of a day, and whether it is a working day."""
    day = _checked_date(on, "date")
    return day_info(calendar_snapshot(region_code=region_code), day)


def day_end(on: date | datetime) -> datetime:
    """The instant a due date ends (23:59:59.999 Asia/Shanghai): "due by end of day"."""
    return end_of_day(local_date(on))


def working_days_add(*, start: date | datetime, days: int, region_code: str = "") -> Deadline:
    """The `days`-th working day after `start` (民法典 art. 201: the period starts the next day)."""
    first = _checked_date(start, "start")
    count = _checked_days(days)
    return add_working_days(calendar_snapshot(region_code=region_code), first, count)


def working_hours_add(
    *,
    start: datetime,
    hours: int,
    periods: Sequence[WorkingPeriod],
    region_code: str = "",
) -> datetime:
    """The instant `hours` of working time after `start`, counting only the `periods` (e.g.
    08:30–12:00 and 14:00–17:30) of the region's working days (holidays out, make-up working
    days in). A year the calendar does not know follows the weekend rule, as for days."""
    _checked_date(start, "start")
    if not 0 <= hours <= MAX_DAYS:
        message = f"小时数应为0至{MAX_DAYS}之间的整数，请检查。"
        raise _invalid("hours", "hours_out_of_range", message)
    snapshot = calendar_snapshot(region_code=region_code)
    return add_working_time(snapshot, start, hours * 60, periods)


def working_days_count(
    *, start: date | datetime, end: date | datetime, region_code: str = ""
) -> WorkingDayCount:
    """Working days after `start` up to and including `end`; `end` must not precede `start`.

    For signed counts (working days overdue), call `count_working_days` on a snapshot.
    """
    first = _checked_date(start, "start")
    last = _checked_date(end, "end")
    if last < first:
        raise _invalid("end", "end_before_start", "结束日期不能早于开始日期，请检查。")
    return count_working_days(calendar_snapshot(region_code=region_code), first, last)


def calendar_days_add(*, start: date | datetime, days: int, region_code: str = "") -> Deadline:
    """`start` + `days` calendar days, moved to the next working day if it falls on a day off."""
    first = _checked_date(start, "start")
    count = _checked_days(days)
    return add_calendar_days(calendar_snapshot(region_code=region_code), first, count)


def deadline_compute(
    *,
    start: date | datetime,
    limit_working_days: int,
    extension_working_days: int = 0,
    pauses: Iterable[Pause] = (),
    region_code: str = "",
) -> Deadline:
    """DOMAIN.md §2: `add_working_days(start, limit + Σ extensions + Σ excluded working days)`.

    `pauses` are the recorded suspensions that stop the clock (those with `counts_in_limit`
    false); pass today as the end of one still open.
    """
    first = _checked_date(start, "start")
    limit = _checked_days(limit_working_days, "limit_working_days")
    extension = _checked_days(extension_working_days, "extension_working_days")
    intervals = [
        Pause(_checked_date(p.start, "pauses"), _checked_date(p.end, "pauses")) for p in pauses
    ]
    snapshot = calendar_snapshot(region_code=region_code)
    return due_with_pauses(
        snapshot, first, limit, pauses=intervals, extension_working_days=extension
    )


def calendar_unknown_years(
    *, start: date | datetime, end: date | datetime, region_code: str = ""
) -> tuple[int, ...]:
    """Years of [start, end] the region's calendar does not know; empty when all are known."""
    first = _checked_date(start, "start")
    last = _checked_date(end, "end")
    return calendar_snapshot(region_code=region_code).unknown_years_in(first, last)


def calendar_year_is_known(*, year: int, region_code: str = "") -> bool:
    return _checked_year(year) in calendar_snapshot(region_code=region_code).known_years


# --- Warnings for administrators ------------------------------------------------------------------

# From October the State Council's notice for next year is due (it usually appears in
# October–November): from then on, administrators are reminded until they enter it.
WARNING_FROM_MONTH = 10


def missing_next_year_warning(today: date | None = None) -> str | None:
    """A reminder while the national calendar lacks this year, or next year from October 1.

    Shown in the admin pages of the calendar and reusable by the staff workbench; it never blocks
    anything, because due dates in a missing year are still computed (provisionally).
    """
    today = today or local_date(timezone.now())
    complete = set(
        CalendarYear.objects.filter(
            region_code=NATIONAL, is_complete=True, year__in=[today.year, today.year + 1]
        ).values_list("year", flat=True)
    )
    if today.year not in complete:
        return (
            f"{today.year}年（本年度）的全国工作日历尚未录入完成。"
            f"目前涉及{today.year}年的办理时限暂按周一至周五为工作日计算，并标注为“暂定”。"
            "请尽快录入放假和调休上班日期，并将该年度标记为“已录入完成”。"
        )
    next_year = today.year + 1
    if today.month >= WARNING_FROM_MONTH and next_year not in complete:
        return (
            f"{next_year}年的全国工作日历尚未录入。"
            f"请在国务院办公厅发布{next_year}年部分节假日安排后，录入放假和调休上班日期，"
            "并将该年度标记为“已录入完成”。"
            f"在此之前，涉及{next_year}年的办理时限暂按周一至周五为工作日计算，并标注为“暂定”。"
        )
    return None


# --- A year at a glance (the public calendar page) ------------------------------------------------


@dataclass(frozen=True)
class SpecialDay:
    on: date
    kind: DayKind
    name: str
    region_code: str


@dataclass(frozen=True)
class HolidayPeriod:
    first: date
    last: date
    name: str
    days: int


@dataclass(frozen=True)
class CalendarYearOverview:
    year: int
    region_code: str
    known: bool
    warning: str | None
    holiday_periods: tuple[HolidayPeriod, ...]
    makeup_workdays: tuple[SpecialDay, ...]
    regional_days: tuple[SpecialDay, ...]


def _holiday_periods(holidays: list[SpecialDay]) -> tuple[HolidayPeriod, ...]:
    """Consecutive days off as one period, named after the festivals they hold."""
    groups: list[list[SpecialDay]] = []
    for day in holidays:
        if groups and (day.on - groups[-1][-1].on).days == 1:
            groups[-1].append(day)
        else:
            groups.append([day])
    periods = []
    for group in groups:
        names = dict.fromkeys(day.name for day in group if day.name)
        periods.append(
            HolidayPeriod(
                first=group[0].on,
                last=group[-1].on,
                name="、".join(names) or DayKind.HOLIDAY.label,
                days=len(group),
            )
        )
    return tuple(periods)


def calendar_year_overview(
    *, year: int | None = None, region_code: str = ""
) -> CalendarYearOverview:
    """The holidays and make-up working days of a year as entered, for the public page."""
    shown_year = _checked_year(year if year is not None else local_date(timezone.now()).year)
    code = normalise_region_code(region_code)
    chain = region_chain(code)
    records = list(
        CalendarYear.objects.filter(region_code__in=chain, year=shown_year).values_list(
            "region_code", "is_complete"
        )
    )
    known = (NATIONAL, True) in records and not any(
        scope != NATIONAL and not done for scope, done in records
    )
    specificity = {scope: index for index, scope in enumerate(chain)}
    rows = CalendarDay.objects.filter(region_code__in=chain, date__year=shown_year).exclude(
        region_code=NATIONAL, kind__in=[DayKind.WORKDAY, DayKind.WEEKEND]
    )
    effective: dict[date, SpecialDay] = {}
    for on, scope, kind, name in sorted(
        rows.values_list("date", "region_code", "kind", "name"),
        key=lambda row: (specificity[row[1]], row[0]),
    ):
        effective[on] = SpecialDay(on=on, kind=DayKind(kind), name=name, region_code=scope)
    days = sorted(effective.values(), key=lambda day: day.on)
    warning = None
    if not known:
        warning = (
            f"{shown_year}年的工作日历尚未录入完成，以下内容可能不完整。"
            f"涉及{shown_year}年的办理时限暂按周一至周五为工作日计算，并标注为“暂定”。"
        )
    return CalendarYearOverview(
        year=shown_year,
        region_code=code,
        known=known,
        warning=warning,
        holiday_periods=_holiday_periods([d for d in days if d.kind == DayKind.HOLIDAY]),
        makeup_workdays=tuple(d for d in days if d.kind == DayKind.MAKEUP_WORKDAY),
        regional_days=tuple(d for d in days if d.region_code != NATIONAL),
    )


def calendar_national_day_count() -> int:
    """How many dates the national calendar holds (seeded or entered)."""
    return CalendarDay.objects.filter(region_code=NATIONAL).count()
