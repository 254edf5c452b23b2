"""Sign-for limits in working hours (DOMAIN §7: "Sign-for: ⚙ e.g. 2 working hours").

Working periods 08:30–12:00 and 14:00–17:30 (the default setting) on the calendar's working
days. The national calendar of 2025 is the one of DOMAIN §2's example: 1–8 October are holidays,
Saturday 11 October is a make-up working day.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from yiwang.calendars import services as calendar_services
from yiwang.calendars.selectors import (
    CalendarSnapshot,
    DayKind,
    add_working_time,
    working_hours_add,
)
from yiwang.hotline.models import TicketAssignment, TimeLimitRule
from yiwang.hotline.selectors import sign_due_after, working_periods
from yiwang.hotline.selectors.metrics import MetricFilters, hotline_metrics
from yiwang.hotline.services import ticket_dispatch, ticket_sign
from yiwang.hotline.tests.factories import make_hotline, report
from yiwang.hotline.workflow import AssignmentRole, Urgency
from yiwang.platform.errors import InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIODS = ((time(8, 30), time(12, 0)), (time(14, 0), time(17, 30)))
# The days around National Day 2025 as the national calendar has them.
NATIONAL_DAY_2025 = CalendarSnapshot(
    kinds={
        **{date(2025, 10, day): DayKind.HOLIDAY for day in range(1, 9)},
        date(2025, 9, 28): DayKind.MAKEUP_WORKDAY,
        date(2025, 10, 11): DayKind.MAKEUP_WORKDAY,
    },
    known_years=frozenset({2025}),
)


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def two_hours_after(start: datetime) -> datetime:
    return add_working_time(NATIONAL_DAY_2025, start, 120, PERIODS)


# --- The arithmetic (no database) -------------------------------------------------------------


def test_within_one_period_the_limit_is_plain_hours():
    assert two_hours_after(at(9, 16, 9)) == at(9, 16, 11)  # a Tuesday


def test_a_limit_that_ends_at_noon_is_due_at_noon():
    assert two_hours_after(at(9, 16, 10)) == at(9, 16, 12)


def test_the_lunch_break_does_not_count():
    # 11:00–12:00 is one hour; the second starts at 14:00.
    assert two_hours_after(at(9, 16, 11)) == at(9, 16, 15)
    assert two_hours_after(at(9, 16, 12, 30)) == at(9, 16, 16)  # dispatched during lunch


def test_the_evening_and_the_night_do_not_count():
    # 16:30–17:30 is one hour; the second is 08:30–09:30 the next morning.
    assert two_hours_after(at(9, 16, 16, 30)) == at(9, 17, 9, 30)
    assert two_hours_after(at(9, 16, 20)) == at(9, 17, 10, 30)  # dispatched at night
    assert two_hours_after(at(9, 17, 6)) == at(9, 17, 10, 30)  # before opening


def test_the_weekend_does_not_count():
    # Friday 19 September 16:30 → Monday 22 September 09:30.
    assert two_hours_after(at(9, 19, 16, 30)) == at(9, 22, 9, 30)
    assert two_hours_after(at(9, 20, 10)) == at(9, 22, 10, 30)  # dispatched on Saturday


def test_a_make_up_working_day_counts_even_on_a_weekend():
    # Sunday 28 September 2025 is a make-up working day.
    assert two_hours_after(at(9, 28, 9)) == at(9, 28, 11)
    # Friday 10 October 16:30 → Saturday 11 October (make-up working day) 09:30.
    assert two_hours_after(at(10, 10, 16, 30)) == at(10, 11, 9, 30)


def test_the_national_day_holidays_do_not_count():
    # Tuesday 30 September 16:30: one hour that day, the next after the holidays, 9 October.
    assert two_hours_after(at(9, 30, 16, 30)) == at(10, 9, 9, 30)
    assert two_hours_after(at(10, 3, 10)) == at(10, 9, 10, 30)  # dispatched on a holiday


def test_zero_hours_is_the_start_itself_and_bad_input_is_refused():
    assert add_working_time(NATIONAL_DAY_2025, at(9, 20, 10), 0, PERIODS) == at(9, 20, 10)
    with pytest.raises(ValueError, match="negative"):
        add_working_time(NATIONAL_DAY_2025, at(9, 16, 9), -1, PERIODS)
    naive = at(9, 16, 9).replace(tzinfo=None)
    with pytest.raises(ValueError, match="naive"):
        add_working_time(NATIONAL_DAY_2025, naive, 60, PERIODS)
    with pytest.raises(ValueError, match="end after it starts"):
        add_working_time(NATIONAL_DAY_2025, at(9, 16, 9), 60, [(time(12), time(9))])
    with pytest.raises(ValueError, match="overlap"):
        add_working_time(
            NATIONAL_DAY_2025, at(9, 16, 9), 60, [(time(8), time(12)), (time(11), time(13))]
        )


def test_the_result_is_a_shanghai_instant_whatever_the_start_zone():
    start = at(9, 16, 16, 30).astimezone(ZoneInfo("UTC"))
    due = two_hours_after(start)
    assert due == at(9, 17, 9, 30)
    assert due.utcoffset() == timedelta(hours=8)


# --- The setting ----------------------------------------------------------------------------


def test_the_working_periods_come_from_the_setting(settings):
    assert working_periods() == PERIODS
    settings.HOTLINE_WORKING_HOURS = "14:00-18:00, 09:00-12:00"
    assert working_periods() == ((time(9), time(12)), (time(14), time(18)))


@pytest.mark.parametrize("value", ["", "9-12", "08:30-12:00;14:00-17:30", "12:00-08:30"])
def test_a_malformed_setting_says_how_it_should_read(settings, value):
    settings.HOTLINE_WORKING_HOURS = value
    with pytest.raises(ImproperlyConfigured, match="08:30-12:00,14:00-17:30"):
        working_periods()


# --- Against the stored calendar, and in the dispatch service ------------------------------------


@pytest.fixture
def calendar_2025(db):
    calendar_services.calendar_seed_from_package(years=[2025])


def test_the_selector_reads_the_stored_calendar(calendar_2025):
    due = working_hours_add(start=at(9, 30, 16, 30), hours=2, periods=PERIODS)
    assert due == at(10, 9, 9, 30)
    with pytest.raises(InvalidInput) as error:
        working_hours_add(start=at(9, 30, 16, 30), hours=-1, periods=PERIODS)
    assert error.value.errors[0].field == "hours"


def _lead(ticket):
    return TicketAssignment.objects.get(ticket=ticket, role=AssignmentRole.LEAD)


def test_a_dispatch_before_the_holidays_is_due_to_be_signed_after_them(calendar_2025):
    setup = make_hotline()
    with time_machine.travel(at(9, 30, 16), tick=False):
        ticket = report(setup)
        ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    # 16:00–17:30 is an hour and a half; the last half hour is on 9 October from 08:30.
    assert _lead(ticket).sign_due_at == at(10, 9, 9)


def test_a_dispatch_on_friday_evening_is_due_on_the_make_up_saturday(calendar_2025):
    setup = make_hotline()
    with time_machine.travel(at(10, 10, 18), tick=False):
        ticket = report(setup)
        ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    assert _lead(ticket).sign_due_at == at(10, 11, 10, 30)


def test_an_urgent_ticket_is_due_in_clock_hours_day_and_night(calendar_2025):
    setup = make_hotline()
    TimeLimitRule.objects.create(name="紧急", urgency=Urgency.URGENT, sign_hours=1)
    with time_machine.travel(at(10, 2, 22), tick=False):  # a holiday night
        ticket = report(setup, urgency=Urgency.URGENT)
        ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    assert _lead(ticket).sign_due_at == at(10, 2, 23)
    assert sign_due_after(at(10, 2, 22), 1, urgency=Urgency.NORMAL) == at(10, 9, 9, 30)


def test_timely_viewing_reads_the_stored_working_hours_due_time(calendar_2025):
    """Signed on 9 October at 08:50, the first working morning after the holidays: on time,
    though 16 clock days after the dispatch; a second ticket signed at 09:10 is late."""
    setup = make_hotline()
    tickets = []
    for _ in range(2):
        with time_machine.travel(at(9, 30, 16), tick=False):
            ticket = report(setup)
            ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
        tickets.append(ticket)
    for ticket, signed in zip(tickets, (at(10, 9, 8, 50), at(10, 9, 9, 10)), strict=True):
        with time_machine.travel(signed, tick=False):
            ticket_sign(assignment=_lead(ticket), actor=setup.road_handler)
    metrics = hotline_metrics(MetricFilters(start=at(9, 1, 0), end=at(11, 1, 0)), now=at(11, 1, 0))
    assert str(metrics.timely_viewing) == "50.00%"  # one of two
