"""The deadline arithmetic, on calendar snapshots built in memory (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.calendars.deadlines import (
    CalendarSnapshot,
    DayKind,
    Pause,
    add_calendar_days,
    add_working_days,
    count_working_days,
    day_info,
    due_with_pauses,
    end_of_day,
    excluded_working_days,
    local_date,
    merge_pauses,
)
from yiwang.calendars.tests.factories import package_snapshot

ONE_DAY = timedelta(days=1)
YEARS = range(2023, 2029)

# Every property runs on random calendars: random known years, random day kinds in and around
# them, start dates reaching outside the tabulated range on both sides.
snapshots = st.builds(
    CalendarSnapshot,
    kinds=st.dictionaries(
        st.dates(date(2023, 1, 1), date(2028, 12, 31)), st.sampled_from(DayKind), max_size=80
    ),
    known_years=st.frozensets(st.sampled_from(YEARS)),
)
starts = st.dates(date(2022, 6, 1), date(2029, 6, 30))
counts = st.integers(min_value=0, max_value=400)
pauses = st.lists(
    st.tuples(st.dates(date(2022, 6, 1), date(2029, 6, 30)), st.integers(0, 40)).map(
        lambda pair: Pause(pair[0], pair[0] + timedelta(days=pair[1]))
    ),
    max_size=4,
)
PROPERTY = settings(max_examples=100, deadline=None)


def walk_add(snapshot: CalendarSnapshot, start: date, days: int) -> date:
    """The rule read literally: walk forward from the day after `start`, counting working days."""
    on, left = start, days
    while left:
        on += ONE_DAY
        left -= snapshot.is_working_day(on)
    return on


def walk_count(snapshot: CalendarSnapshot, start: date, end: date) -> int:
    return sum(
        snapshot.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )


def years_between(first: date, last: date) -> set[int]:
    return set(range(first.year, last.year + 1)) if first <= last else set()


# --- Properties -----------------------------------------------------------------------------------


@PROPERTY
@given(snapshots, starts, counts)
def test_adding_working_days_gives_what_walking_the_calendar_gives(snapshot, start, days):
    assert add_working_days(snapshot, start, days).due_on == walk_add(snapshot, start, days)


@PROPERTY
@given(snapshots, starts, st.integers(min_value=1, max_value=400))
def test_a_deadline_of_working_days_falls_on_a_working_day_after_the_trigger(snapshot, start, days):
    due_on = add_working_days(snapshot, start, days).due_on
    assert due_on > start
    assert snapshot.is_working_day(due_on)


@PROPERTY
@given(snapshots, starts, counts)
def test_counting_up_to_a_deadline_gives_back_its_working_days(snapshot, start, days):
    due_on = add_working_days(snapshot, start, days).due_on
    assert count_working_days(snapshot, start, due_on).count == days


@PROPERTY
@given(snapshots, starts, counts, counts)
def test_a_longer_limit_never_ends_earlier(snapshot, start, shorter, longer):
    shorter, longer = sorted((shorter, longer))
    first = add_working_days(snapshot, start, shorter).due_on
    second = add_working_days(snapshot, start, longer).due_on
    assert first < second if shorter < longer else first == second


@PROPERTY
@given(snapshots, starts, starts)
def test_counting_working_days_matches_walking_and_is_signed(snapshot, start, end):
    if start <= end:
        assert count_working_days(snapshot, start, end).count == walk_count(snapshot, start, end)
    assert (
        count_working_days(snapshot, start, end).count
        == -count_working_days(snapshot, end, start).count
    )


@PROPERTY
@given(snapshots, starts, starts, starts)
def test_counts_over_consecutive_stretches_add_up(snapshot, first, second, third):
    total = count_working_days(snapshot, first, third).count
    parts = count_working_days(snapshot, first, second).count
    parts += count_working_days(snapshot, second, third).count
    assert total == parts


@PROPERTY
@given(snapshots, starts, counts, pauses, st.integers(0, 15))
def test_pauses_and_extensions_never_shorten_a_deadline(snapshot, start, limit, paused, extension):
    plain = add_working_days(snapshot, start, limit).due_on
    paused_due = due_with_pauses(
        snapshot, start, limit, pauses=paused, extension_working_days=extension
    ).due_on
    assert paused_due >= plain


@PROPERTY
@given(snapshots, pauses)
def test_overlapping_pauses_exclude_each_working_day_once(snapshot, paused):
    excluded_days = {
        pause.start + timedelta(days=i)
        for pause in paused
        for i in range(1, (pause.end - pause.start).days + 1)
    }
    expected = sum(snapshot.is_working_day(on) for on in excluded_days)
    assert excluded_working_days(snapshot, paused).count == expected
    merged = merge_pauses(paused)
    assert all(a.end < b.start for a, b in pairwise(merged))


@PROPERTY
@given(snapshots, starts, counts)
def test_a_deadline_is_provisional_exactly_when_it_depends_on_an_unknown_year(
    snapshot, start, days
):
    deadline = add_working_days(snapshot, start, days)
    touched = years_between(start + ONE_DAY, deadline.due_on) if days else set()
    unknown = touched - snapshot.known_years
    assert deadline.provisional == bool(unknown)
    assert deadline.unknown_years == tuple(sorted(unknown))


@PROPERTY
@given(snapshots, starts, starts)
def test_a_count_is_provisional_exactly_when_it_spans_an_unknown_year(snapshot, start, end):
    first, last = sorted((start, end))
    result = count_working_days(snapshot, start, end)
    unknown = years_between(first + ONE_DAY, last) - snapshot.known_years
    assert result.provisional == bool(unknown)


@PROPERTY
@given(snapshots, starts, st.integers(0, 400))
def test_a_calendar_day_period_ending_on_a_day_off_moves_to_the_next_working_day(
    snapshot, start, days
):
    end = start + timedelta(days=days)
    due_on = add_calendar_days(snapshot, start, days).due_on
    assert due_on >= end
    assert snapshot.is_working_day(due_on)
    assert not any(
        snapshot.is_working_day(end + timedelta(days=i)) for i in range((due_on - end).days)
    )


@PROPERTY
@given(st.frozensets(st.sampled_from(YEARS)), starts, counts)
def test_unknown_years_are_counted_on_weekends_alone(known, start, days):
    """Whatever is stored for a year nobody completed, the loader leaves it out: Mon–Fri work."""
    empty = CalendarSnapshot(known_years=known)
    due_on = add_working_days(empty, start, days).due_on
    weekdays = walk_count(CalendarSnapshot(), start, due_on)
    assert weekdays == days


# --- Examples -------------------------------------------------------------------------------------

NATIONAL_2025_2026 = package_snapshot(2025, 2026)


def test_the_worked_example_is_due_on_14_october():
    """DOMAIN.md §2: accepted Tue 30 Sep 2025, 5 WD → 9, 10, 11 (Sat, make-up), 13, 14 Oct."""
    deadline = add_working_days(NATIONAL_2025_2026, date(2025, 9, 30), 5)
    assert deadline.due_on == date(2025, 10, 14)
    assert not deadline.provisional


def test_the_worked_example_with_a_special_procedure_is_due_on_16_october():
    """A special procedure 13–15 Oct excludes 14 and 15 Oct (the day after its start onwards)."""
    special_procedure = Pause(date(2025, 10, 13), date(2025, 10, 15))
    assert excluded_working_days(NATIONAL_2025_2026, [special_procedure]).count == 2
    deadline = due_with_pauses(NATIONAL_2025_2026, date(2025, 9, 30), 5, pauses=[special_procedure])
    assert deadline.due_on == date(2025, 10, 16)


def test_extensions_add_working_days_to_the_limit():
    deadline = due_with_pauses(NATIONAL_2025_2026, date(2025, 9, 30), 5, extension_working_days=2)
    assert deadline.due_on == date(2025, 10, 16)


@pytest.mark.parametrize(
    ("start", "days", "due_on"),
    [
        # 2026 New Year: 1–3 Jan off, Sunday 4 Jan is worked.
        (date(2025, 12, 31), 1, date(2026, 1, 4)),
        # 2026 Spring Festival: Sat 14 Feb worked, 15–23 Feb off, Sat 28 Feb worked.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 13), 3, date(2026, 2, 25)),
        (date(2026, 2, 26), 2, date(2026, 2, 28)),
        # 2026 National Day: Sun 20 Sep worked, 1–7 Oct off, Sat 10 Oct worked.
        (date(2026, 9, 19), 1, date(2026, 9, 20)),
        (date(2026, 9, 30), 5, date(2026, 10, 13)),
        # 2025 Spring Festival: Sun 26 Jan worked, 28 Jan – 4 Feb off, Sat 8 Feb worked.
        (date(2025, 1, 24), 1, date(2025, 1, 26)),
        (date(2025, 1, 27), 1, date(2025, 2, 5)),
        (date(2025, 2, 7), 1, date(2025, 2, 8)),
        # 2025 National Day: Sun 28 Sep worked.
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        # A trigger on a holiday still starts the period the next day.
        (date(2025, 10, 3), 1, date(2025, 10, 9)),
        # Zero working days (即办件): due the same day.
        (date(2025, 10, 3), 0, date(2025, 10, 3)),
    ],
)
def test_real_holidays_and_make_up_days_are_respected(start, days, due_on):
    assert add_working_days(NATIONAL_2025_2026, start, days).due_on == due_on


def test_2025_and_2026_each_have_248_working_days():
    # 261 weekdays, minus 18 weekday holidays, plus 5 make-up weekend days (2025);
    # 2026 works out the same.
    snapshot = NATIONAL_2025_2026
    assert count_working_days(snapshot, date(2024, 12, 31), date(2025, 12, 31)).count == 248
    assert count_working_days(snapshot, date(2025, 12, 31), date(2026, 12, 31)).count == 248


def test_make_up_saturdays_and_sundays_are_working_days():
    assert day_info(NATIONAL_2025_2026, date(2025, 10, 11)).kind == DayKind.MAKEUP_WORKDAY
    assert day_info(NATIONAL_2025_2026, date(2025, 10, 11)).is_working_day
    assert day_info(NATIONAL_2025_2026, date(2026, 1, 4)).is_working_day  # a Sunday
    assert not day_info(NATIONAL_2025_2026, date(2026, 2, 16)).is_working_day  # 春节 Monday


def test_a_deadline_running_into_an_unknown_year_is_provisional():
    deadline = add_working_days(NATIONAL_2025_2026, date(2026, 12, 25), 10)
    # 28–31 Dec, then 2027 on weekends alone: Fri 1 Jan counts although it will be New Year.
    assert deadline.due_on == date(2027, 1, 8)
    assert deadline.provisional
    assert deadline.unknown_years == (2027,)


def test_a_deadline_inside_known_years_is_not_provisional_even_if_the_trigger_is_not():
    deadline = add_working_days(package_snapshot(2004), date(2003, 12, 31), 1)
    assert deadline.due_on == date(2004, 1, 2)
    assert not deadline.provisional


def test_a_calendar_day_period_ending_in_a_holiday_ends_after_it():
    """民法典 art. 203: 30 calendar days from 2 Sep 2025 end on 2 Oct (off) → 9 Oct."""
    deadline = add_calendar_days(NATIONAL_2025_2026, date(2025, 9, 2), 30)
    assert deadline.due_on == date(2025, 10, 9)
    plain = add_calendar_days(NATIONAL_2025_2026, date(2025, 9, 2), 30, roll_to_working_day=False)
    assert plain.due_on == date(2025, 10, 2)


def test_a_due_date_ends_at_the_last_millisecond_of_the_day_in_beijing():
    due_at = end_of_day(date(2025, 10, 14))
    assert due_at.isoformat() == "2025-10-14T23:59:59.999000+08:00"
    deadline = add_working_days(NATIONAL_2025_2026, date(2025, 9, 30), 5)
    assert not deadline.is_overdue(datetime(2025, 10, 14, 15, 59, 59, tzinfo=UTC))
    assert deadline.is_overdue(datetime(2025, 10, 14, 16, 0, 0, tzinfo=UTC))


def test_an_instant_counts_on_its_beijing_date():
    assert local_date(datetime(2025, 9, 30, 16, 30, tzinfo=UTC)) == date(2025, 10, 1)
    assert local_date(date(2025, 9, 30)) == date(2025, 9, 30)
    with pytest.raises(ValueError, match="naive"):
        local_date(datetime(2025, 9, 30, 12, 0))  # noqa: DTZ001


def test_negative_limits_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(NATIONAL_2025_2026, date(2025, 9, 30), -1)
    with pytest.raises(ValueError, match="before it starts"):
        Pause(date(2025, 10, 15), date(2025, 10, 13))
