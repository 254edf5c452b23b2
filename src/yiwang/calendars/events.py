"""What happened to the calendar. Later contexts subscribe to recompute the due dates they store.

`region_code == ""` is the national calendar; a due date computed for a region depends on the
national calendar and on every enclosing region's overrides (`regions.region_chain`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CalendarYearCompleted:
    """Administrators (or the seed) finished a year: provisional due dates touching it are stale."""

    year: int
    region_code: str


@dataclass(frozen=True)
class CalendarYearReopened:
    """A year is being revised: due dates touching it become provisional again."""

    year: int
    region_code: str


@dataclass(frozen=True)
class CalendarDayChanged:
    """A day of a known year changed kind; `kind` is "" when a regional override was removed."""

    on: date
    region_code: str
    kind: str
