"""Working-day arithmetic over a calendar snapshot: pure functions, no database, no Django.

Every time limit in Yiwang is computed here (DOMAIN.md §2). The rules, stated once:

- **Day kinds.** Each date is a `workday`, `weekend`, `holiday` or `makeup_workday` (调休上班日).
  Working days are `workday` and `makeup_workday`.
- **Periods start the day after their trigger** (民法典 art. 201). `add_working_days(s, start, n)`
  is the n-th working day strictly after `start`; n = 0 gives `start` itself (即办件, due the same
  day). `count_working_days(s, start, end)` counts the working days in (start, end], so that
  `count(d, add(d, n)) == n`. It is signed: negative when `end` is before `start` (overdue days).
- **Calendar-day periods** end `n` days after the trigger; when that day is not a working day the
  period ends on the next working day (民法典 art. 203).
- **Due by end of day.** A due date means 23:59:59.999 Asia/Shanghai of that date, whatever the
  server's time zone: `end_of_day(due_on)` is the only place that turns a due date into an instant,
  and "overdue" means `now > end_of_day(due_on)`. An instant counts on its Asia/Shanghai calendar
  date (`local_date`); naive datetimes are refused, because their date is a guess.
- **Pauses** (挂起, suspensions that stop the clock) each exclude the working days from the day
  after their start through their end day, i.e. (start, end]. Overlapping pauses count once.
  `due = add_working_days(start, limit + Σ extensions + Σ excluded working days)`.
- **Working hours.** Limits counted in hours of work (the hotline's sign-for: "2 working hours")
  run only inside the day's working periods (e.g. 08:30–12:00 and 14:00–17:30, given by the
  caller) on working days: `add_working_time(s, start, minutes, periods)`. Time before, between
  and after the periods, and days off, do not count; the result is an Asia/Shanghai instant.
- **Unknown years.** A year the snapshot does not know is computed on weekends alone (Monday to
  Friday working) and every result that depends on such a day is `provisional`, listing the years
  in `unknown_years`. Which days a result depends on: (start, due] for working-day additions and
  counts, [start + n, due] for calendar-day periods (the end day's kind decides the roll-forward).

Speed: a snapshot turns its known range into a running total of working days once (lazily), so a
count is O(1) and an addition O(log n) however long the limit; outside the known range the total
has a closed form. Load a snapshot once (`selectors.calendar_snapshot`) and call these functions in
loops; the result is the same as walking the calendar day by day (the property tests check it).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)
# The dates Yiwang computes with; far enough for any limit, and no date arithmetic overflows.
SUPPORTED_YEARS = range(1900, 2200)
# The longest limit accepted, in working or calendar days: ten years and more.
MAX_DAYS = 3650


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"

    @property
    def label(self) -> str:
        return DAY_KIND_LABELS[self]

    @property
    def is_working(self) -> bool:
        return self in WORKING_KINDS


DAY_KIND_LABELS: Mapping[DayKind, str] = {
    DayKind.WORKDAY: "工作日",
    DayKind.WEEKEND: "休息日",
    DayKind.HOLIDAY: "节假日",
    DayKind.MAKEUP_WORKDAY: "调休上班日",
}
WORKING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY})
DAY_KIND_CHOICES = [(kind.value, kind.label) for kind in DayKind]


def weekend_rule_kind(on: date) -> DayKind:
    """The kind of a day when nothing else is known: Saturday and Sunday rest."""
    return DayKind.WEEKEND if on.weekday() >= 5 else DayKind.WORKDAY


def end_of_day(on: date) -> datetime:
    """The instant a due date ends: 23:59:59.999 Asia/Shanghai of that date."""
    return datetime(on.year, on.month, on.day, 23, 59, 59, 999_000, tzinfo=SHANGHAI)


def local_date(value: date | datetime) -> date:
    """The Asia/Shanghai calendar date of an instant (a date is returned as it is)."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a naive datetime has no calendar date: pass an aware datetime")
        return value.astimezone(SHANGHAI).date()
    return value


# --- Results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A due date; `provisional` when it depends on a year the calendar does not know."""

    due_on: date
    provisional: bool
    unknown_years: tuple[int, ...] = ()

    @property
    def due_at(self) -> datetime:
        return end_of_day(self.due_on)

    def is_overdue(self, now: datetime) -> bool:
        return now > self.due_at


@dataclass(frozen=True)
class WorkingDayCount:
    count: int
    provisional: bool
    unknown_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class DayInfo:
    on: date
    kind: DayKind
    provisional: bool

    @property
    def is_working_day(self) -> bool:
        return self.kind.is_working


@dataclass(frozen=True)
class Pause:
    """A suspension interval (挂起); it excludes the working days in (start, end]."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a pause cannot end before it starts")


# --- The snapshot ---------------------------------------------------------------------------------


def _weekdays_through(ordinal: int) -> int:
    """Mon–Fri days in [ordinal 1, ordinal]; ordinal 1 (0001-01-01) is a Monday."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _first_ordinal_with_weekdays(total: int) -> int:
    """The smallest ordinal whose `_weekdays_through` reaches `total` (≥ 1); always a weekday."""
    weeks, rest = divmod(total - 1, 5)
    return weeks * 7 + rest + 1


@dataclass(frozen=True)
class _RunningTotal:
    """Working days counted from the epoch, tabulated over [first, last] (ordinals)."""

    first: int
    last: int
    before: int  # weekday total through first - 1
    totals: list[int]  # totals[i]: working days in [first, first + i]

    @property
    def through_last(self) -> int:
        return self.before + self.totals[-1]


@dataclass(frozen=True, eq=False)
class CalendarSnapshot:
    """An immutable view of one region's calendar.

    `kinds` holds the stored kind of days (dates missing from it follow the weekend rule);
    `known_years` are the years whose calendar is complete for this region. Build it with
    `selectors.calendar_snapshot`; tests build it by hand.
    """

    kinds: Mapping[date, DayKind] = field(default_factory=dict)
    known_years: frozenset[int] = frozenset()

    def kind_of(self, on: date) -> DayKind:
        return self.kinds.get(on) or weekend_rule_kind(on)

    def is_working_day(self, on: date) -> bool:
        return self.kind_of(on).is_working

    def unknown_years_in(self, first: date, last: date) -> tuple[int, ...]:
        """Years of the days in [first, last] that the calendar does not know."""
        if last < first:
            return ()
        return tuple(y for y in range(first.year, last.year + 1) if y not in self.known_years)

    @cached_property
    def _table(self) -> _RunningTotal | None:
        if not self.kinds:
            return None
        first = date(min(self.kinds).year, 1, 1).toordinal()
        last = date(max(self.kinds).year, 12, 31).toordinal()
        totals: list[int] = []
        running = 0
        for ordinal in range(first, last + 1):
            running += self.kind_of(date.fromordinal(ordinal)).is_working
            totals.append(running)
        return _RunningTotal(first, last, _weekdays_through(first - 1), totals)

    def working_days_through(self, on: date) -> int:
        """Working days from the epoch through `on`: it rises by one on each working day."""
        ordinal = on.toordinal()
        table = self._table
        if table is None or ordinal < table.first:
            return _weekdays_through(ordinal)
        if ordinal <= table.last:
            return table.before + table.totals[ordinal - table.first]
        return table.through_last + _weekdays_through(ordinal) - _weekdays_through(table.last)

    def first_day_with_total(self, total: int) -> date:
        """The earliest date whose `working_days_through` reaches `total`: a working day."""
        table = self._table
        if table is None or total <= table.before:
            ordinal = _first_ordinal_with_weekdays(total)
        elif total <= table.through_last:
            ordinal = table.first + bisect.bisect_left(table.totals, total - table.before)
        else:
            ordinal = _first_ordinal_with_weekdays(
                total - table.through_last + _weekdays_through(table.last)
            )
        return date.fromordinal(ordinal)


# --- Arithmetic -----------------------------------------------------------------------------------


def day_info(snapshot: CalendarSnapshot, on: date) -> DayInfo:
    return DayInfo(
        on=on, kind=snapshot.kind_of(on), provisional=on.year not in snapshot.known_years
    )


def _deadline(due_on: date, unknown_years: Iterable[int]) -> Deadline:
    years = tuple(sorted(set(unknown_years)))
    return Deadline(due_on=due_on, provisional=bool(years), unknown_years=years)


def add_working_days(snapshot: CalendarSnapshot, start: date, days: int) -> Deadline:
    """The `days`-th working day after `start` (the period starts the next day)."""
    if days < 0:
        raise ValueError("days must not be negative")
    if days == 0:
        return _deadline(start, ())
    due_on = snapshot.first_day_with_total(snapshot.working_days_through(start) + days)
    return _deadline(due_on, snapshot.unknown_years_in(start + ONE_DAY, due_on))


def count_working_days(snapshot: CalendarSnapshot, start: date, end: date) -> WorkingDayCount:
    """Working days in (start, end]; negative when `end` is before `start`."""
    count = snapshot.working_days_through(end) - snapshot.working_days_through(start)
    first, last = (start, end) if start <= end else (end, start)
    years = snapshot.unknown_years_in(first + ONE_DAY, last) if first < last else ()
    return WorkingDayCount(count=count, provisional=bool(years), unknown_years=years)


def add_calendar_days(
    snapshot: CalendarSnapshot, start: date, days: int, *, roll_to_working_day: bool = True
) -> Deadline:
    """`start` + `days`; a period ending on a day off ends on the next working day (art. 203)."""
    if days < 0:
        raise ValueError("days must not be negative")
    end = start + timedelta(days=days)
    if not roll_to_working_day:
        return _deadline(end, ())
    due_on = end
    if not snapshot.is_working_day(end):
        due_on = snapshot.first_day_with_total(snapshot.working_days_through(end) + 1)
    return _deadline(due_on, snapshot.unknown_years_in(end, due_on))


def merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    """Overlapping or touching pauses as one, so that no working day is excluded twice."""
    merged: list[Pause] = []
    for pause in sorted(pauses, key=lambda p: (p.start, p.end)):
        if merged and pause.start <= merged[-1].end:
            if pause.end > merged[-1].end:
                merged[-1] = Pause(merged[-1].start, pause.end)
        else:
            merged.append(pause)
    return merged


def excluded_working_days(snapshot: CalendarSnapshot, pauses: Iterable[Pause]) -> WorkingDayCount:
    """Working days the pauses take out of the clock: those in each (start, end], once."""
    total = 0
    years: set[int] = set()
    for pause in merge_pauses(pauses):
        excluded = count_working_days(snapshot, pause.start, pause.end)
        total += excluded.count
        years.update(excluded.unknown_years)
    unknown = tuple(sorted(years))
    return WorkingDayCount(count=total, provisional=bool(unknown), unknown_years=unknown)


def due_with_pauses(
    snapshot: CalendarSnapshot,
    start: date,
    limit_working_days: int,
    *,
    pauses: Iterable[Pause] = (),
    extension_working_days: int = 0,
) -> Deadline:
    """`add_working_days(start, limit + extensions + excluded working days)` (DOMAIN.md §2)."""
    if limit_working_days < 0 or extension_working_days < 0:
        raise ValueError("limits and extensions must not be negative")
    excluded = excluded_working_days(snapshot, pauses)
    deadline = add_working_days(
        snapshot, start, limit_working_days + extension_working_days + excluded.count
    )
    return _deadline(deadline.due_on, (*deadline.unknown_years, *excluded.unknown_years))


# --- Working hours --------------------------------------------------------------------------------

# (start, end) of one working period of a day, Asia/Shanghai wall-clock times, start < end.
WorkingPeriod = tuple[time, time]


def check_working_periods(periods: Sequence[WorkingPeriod]) -> tuple[WorkingPeriod, ...]:
    """The periods in time order; refused when one is empty or they overlap."""
    ordered = tuple(sorted(periods))
    if not ordered:
        raise ValueError("at least one working period is needed")
    for index, (begin, end) in enumerate(ordered):
        if begin >= end:
            raise ValueError(f"a working period must end after it starts: {begin}–{end}")
        if index and begin < ordered[index - 1][1]:
            raise ValueError("working periods must not overlap")
    return ordered


def add_working_time(
    snapshot: CalendarSnapshot, start: datetime, minutes: int, periods: Sequence[WorkingPeriod]
) -> datetime:
    """The instant `minutes` of working time after `start`: only the `periods` of working days
    count. A start outside them waits for the next period; a limit that ends exactly at the
    end of a period is due then (12:00), not at the start of the next one. 0 minutes is `start`.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("a naive datetime has no calendar date: pass an aware datetime")
    ordered = check_working_periods(periods)
    current = start.astimezone(SHANGHAI)
    if minutes == 0:
        return current
    remaining = timedelta(minutes=minutes)
    day = current.date()
    # Any limit fits in a year of working days; the bound only guards against a bad calendar.
    for _ in range(MAX_DAYS * 2):
        if snapshot.is_working_day(day):
            for begin, end in ordered:
                period_end = datetime.combine(day, end, tzinfo=SHANGHAI)
                if current >= period_end:
                    continue
                begin_at = max(current, datetime.combine(day, begin, tzinfo=SHANGHAI))
                if remaining <= period_end - begin_at:
                    return begin_at + remaining
                remaining -= period_end - begin_at
                current = period_end
        day += ONE_DAY
        current = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    raise ValueError("the calendar has no working day for this limit")
