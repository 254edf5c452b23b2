"""Calendars for tests: seeded through the services (so caches and events behave), or built in
memory from chinese-calendar's data for the pure arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

from chinese_calendar import constants as package_calendar

from yiwang.calendars import services
from yiwang.calendars.selectors import CalendarSnapshot, DayKind


def seed(*years: int) -> int:
    return services.calendar_seed_from_package(years=years)


def package_snapshot(*years: int) -> CalendarSnapshot:
    """The national calendar of `years` as the seed would store it, without a database."""
    kinds: dict[date, DayKind] = {}
    for year in years:
        on = date(year, 1, 1)
        while on.year == year:
            if on in package_calendar.holidays:
                kinds[on] = DayKind.HOLIDAY
            elif on in package_calendar.workdays:
                kinds[on] = DayKind.MAKEUP_WORKDAY
            else:
                kinds[on] = DayKind.WEEKEND if on.weekday() >= 5 else DayKind.WORKDAY
            on += timedelta(days=1)
    return CalendarSnapshot(kinds=kinds, known_years=frozenset(years))
