"""The DOMAIN §7 metrics on hand-built tickets whose answers are known.

Nine tickets received in November 2026 (numbered T1–T9 below), one silent and one hung-up call,
one ticket from October; "now" is 12 November. Default limits: sign for within 2 hours, handle
within 5 calendar days (the test database holds no calendar, so nothing moves for holidays).
"""

import math
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.hotline.geometry import EARTH_RADIUS_M
from yiwang.hotline.models import Ticket, TicketAssignment, UnregisteredContact
from yiwang.hotline.selectors.metrics import MetricFilters, Rate, hotline_metrics
from yiwang.hotline.selectors.repeats import repeat_of_at_registration
from yiwang.hotline.services import (
    ticket_answer_directly,
    ticket_callback,
    ticket_dispatch,
    ticket_merge,
    ticket_reopen,
    ticket_repeats_mark,
    ticket_reply,
    ticket_review,
    ticket_sign,
)
from yiwang.hotline.tests.factories import HotlineSetup, make_hotline, make_user, report
from yiwang.hotline.workflow import AssignmentRole, Channel, TicketType

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 12, 12, 0, tzinfo=SHANGHAI)
NOVEMBER = MetricFilters(
    start=datetime(2026, 11, 1, tzinfo=SHANGHAI), end=datetime(2026, 12, 1, tzinfo=SHANGHAI)
)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=SHANGHAI)


def _lead(ticket: Ticket) -> TicketAssignment:
    return TicketAssignment.objects.get(ticket=ticket, role=AssignmentRole.LEAD, is_active=True)


def _dispatched(setup: HotlineSetup, day: int, **overrides: object) -> Ticket:
    with time_machine.travel(at(day), tick=False):
        ticket = report(setup, **overrides)
        ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    return ticket


def _sign(setup: HotlineSetup, ticket: Ticket, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        ticket_sign(assignment=_lead(ticket), actor=setup.road_handler)


def _reply(setup: HotlineSetup, ticket: Ticket, when: datetime, *, review: bool = True) -> None:
    with time_machine.travel(when, tick=False):
        ticket_reply(assignment=_lead(ticket), reply="已处理。", actor=setup.road_handler)
        if review:
            ticket_review(ticket=ticket, approve=True, note="", actor=setup.dispatcher)


def _callback(setup, ticket, when, satisfaction, resolution, *, rework=False):
    with time_machine.travel(when, tick=False):
        ticket_callback(
            ticket=ticket,
            contacted=True,
            satisfaction=satisfaction,
            resolution=resolution,
            note="",
            rework=rework,
            actor=setup.operator,
        )


@pytest.fixture
def november() -> HotlineSetup:
    setup = make_hotline()
    with time_machine.travel(at(2), tick=False):  # T1: answered directly on the phone
        t1 = report(
            setup, channel=Channel.PHONE, ticket_type=TicketType.CONSULTATION, actor=setup.operator
        )
        ticket_answer_directly(ticket=t1, answer="可在网上办理。", actor=setup.operator)
    t2 = _dispatched(setup, 2)  # T2: on time all along; satisfied, resolved
    _sign(setup, t2, at(2, 10))
    with time_machine.travel(at(2, 11), tick=False):  # T6: a duplicate of T2, a contact only
        t6 = report(setup)
        ticket_merge(duplicate=t6, master=t2, actor=setup.operator)
    _reply(setup, t2, at(4))
    _callback(setup, t2, at(5), "satisfied", "resolved")
    t3 = _dispatched(setup, 2)  # T3: signed late, replied late, reworked once
    _sign(setup, t3, at(2, 15))
    _reply(setup, t3, at(9))
    _callback(setup, t3, at(9, 15), "unsatisfied", "unresolved", rework=True)
    _reply(setup, t3, at(10))
    _callback(setup, t3, at(10, 15), "basically_satisfied", "partly")
    _dispatched(setup, 10)  # T4: not due yet (due 15 November), not signed
    _dispatched(setup, 3)  # T5: due 8 November, never signed or replied
    t7 = _dispatched(setup, 3, reporter_phone="")  # T7: nobody to call back
    _sign(setup, t7, at(3, 10))
    _reply(setup, t7, at(5))
    t8 = _dispatched(setup, 4)  # T8: called back, unsatisfied, closed without rework
    _sign(setup, t8, at(4, 10))
    _reply(setup, t8, at(6))
    _callback(setup, t8, at(7), "unsatisfied", "unresolved")
    t9 = _dispatched(setup, 4)  # T9: replied and reviewed, callback still to do
    _sign(setup, t9, at(4, 10))
    _reply(setup, t9, at(6))
    with time_machine.travel(datetime(2026, 10, 30, 9, tzinfo=SHANGHAI), tick=False):
        report(setup)  # October: outside the period
    for kind, day in (("silent", 3), ("hung_up", 4)):
        UnregisteredContact.objects.create(kind=kind, at=at(day))
    return setup


def test_every_metric_has_its_known_answer(november):
    metrics = hotline_metrics(NOVEMBER, now=NOW)
    assert (metrics.registered, metrics.valid_contacts) == (9, 10)
    assert metrics.acceptance.value == Decimal("90.00")  # 9 ÷ (9 + the hung-up call)
    assert metrics.direct_answer.value == Decimal("11.11")  # T1 ÷ 9
    assert metrics.reply.value == Decimal("83.33")  # T2 T3 T7 T8 T9 ÷ those + T5
    assert metrics.on_time_completion.value == Decimal("66.67")  # all but T3 and T5
    # T2 T7 T8 T9 signed within 2 hours; T3 late; T4 and T5 never: 4 of 7 assignments
    assert metrics.timely_viewing.value == Decimal("57.14")
    assert metrics.callback.value == Decimal("75.00")  # T2 T3 T8 ÷ T2 T3 T8 T9
    assert metrics.satisfaction.value == Decimal("66.67")  # T2 T3 ÷ T2 T3 T8
    assert metrics.resolution.value == Decimal("50.00")  # (1 + ½) ÷ 3
    assert metrics.rework.value == Decimal("20.00")  # T3 ÷ five replied
    assert str(metrics.repeat_complaint) == "—"  # no complaint (投诉) among them


def test_filters_narrow_the_tickets_and_unit_views_leave_unregistered_calls_out(november):
    by_unit = hotline_metrics(
        MetricFilters(NOVEMBER.start, NOVEMBER.end, department_id=november.roads.pk), now=NOW
    )
    assert (by_unit.registered, by_unit.valid_contacts) == (7, 7)  # dispatched to the roads unit
    by_phone = hotline_metrics(
        MetricFilters(NOVEMBER.start, NOVEMBER.end, channel=Channel.PHONE), now=NOW
    )
    assert (by_phone.registered, by_phone.valid_contacts) == (1, 2)
    by_category = hotline_metrics(
        MetricFilters(NOVEMBER.start, NOVEMBER.end, category_id=november.city.pk), now=NOW
    )
    assert by_category.registered == 9  # the manhole category sits under 城市管理
    by_other_region = hotline_metrics(
        MetricFilters(NOVEMBER.start, NOVEMBER.end, region_code="359903"), now=NOW
    )
    assert by_other_region.registered == 0
    by_region = hotline_metrics(
        MetricFilters(NOVEMBER.start, NOVEMBER.end, region_code="359902"), now=NOW
    )
    assert (by_region.registered, by_region.valid_contacts) == (
        9,
        9,
    )  # the hung-up call has no place


def test_a_rate_without_a_denominator_is_empty_not_zero():
    assert Rate(Decimal(0), 0).value is None
    assert str(Rate(Decimal(0), 0)) == "—"
    assert str(Rate(Decimal(1), 3)) == "33.33%"


def test_metrics_take_a_fixed_number_of_queries(november, django_assert_num_queries):
    # the tickets' aggregate, the assignments', the unregistered calls (whole centre only)
    with django_assert_num_queries(3):
        hotline_metrics(NOVEMBER, now=NOW + timedelta(days=1))


# --- Repeat complaints (重复投诉) -------------------------------------------------------------
#
# An earlier ticket is a help request (求助) about a broken manhole at the base point, closed by a
# direct answer; the complaint comes later. Every ticket has its own phone unless a test says
# otherwise, so that only the place can make a repeat.

BASE = (24.505, 118.105)
_phones = iter(range(13900000000, 13999999999))


def north_of_base(metres: float) -> tuple[float, float]:
    """A point `metres` due north of the base point (the test area is 1 km across)."""
    return BASE[0] + math.degrees(metres / EARTH_RADIUS_M), BASE[1]


def _earlier(
    setup: HotlineSetup, received: datetime, closed: datetime | None, **overrides: object
) -> Ticket:
    values: dict[str, object] = {"reporter_phone": str(next(_phones))}
    values.update(overrides)
    with time_machine.travel(received, tick=False):
        ticket = report(setup, **values)
    if closed is not None:
        with time_machine.travel(closed, tick=False):
            ticket_answer_directly(ticket=ticket, answer="已安排维修。", actor=setup.operator)
    return ticket


def _complaint(setup: HotlineSetup, received: datetime, **overrides: object) -> Ticket:
    values: dict[str, object] = {
        "ticket_type": TicketType.COMPLAINT,
        "reporter_phone": str(next(_phones)),
        "content": "井盖修了又坏，还是没有解决。",
    }
    values.update(overrides)
    with time_machine.travel(received, tick=False):
        return report(setup, **values)


def _repeats(**filters: object) -> tuple[int, int]:
    metrics = hotline_metrics(replace(NOVEMBER, **filters), now=NOW)  # type: ignore[arg-type]
    rate = metrics.repeat_complaint
    return int(rate.numerator), rate.denominator


@pytest.fixture
def setup() -> HotlineSetup:
    return make_hotline()


def test_a_complaint_at_the_same_place_after_a_closure_is_a_repeat(setup):
    _earlier(setup, datetime(2026, 10, 20, 9, tzinfo=SHANGHAI), at(1))
    _complaint(setup, at(10))
    assert _repeats() == (1, 1)


@pytest.mark.parametrize(("metres", "repeats"), [(190, 1), (210, 0)])
def test_the_same_place_is_within_200_metres(setup, metres, repeats):
    _earlier(setup, at(1), at(1, 10))
    latitude, longitude = north_of_base(metres)
    _complaint(setup, at(5), latitude=latitude, longitude=longitude)
    assert _repeats() == (repeats, 1)


def test_the_radius_is_a_setting(setup, settings):
    settings.HOTLINE_REPEAT_RADIUS_M = 300
    _earlier(setup, at(1), at(1, 10))
    latitude, longitude = north_of_base(290)
    _complaint(setup, at(5), latitude=latitude, longitude=longitude)
    assert _repeats() == (1, 1)


@pytest.mark.parametrize(
    ("after_closure", "repeats"),
    [(timedelta(days=30) - timedelta(minutes=1), 1), (timedelta(days=30, minutes=1), 0)],
)
def test_the_complaint_must_come_within_30_days_of_the_closure(setup, after_closure, repeats):
    closed = datetime(2026, 10, 5, 9, tzinfo=SHANGHAI)
    _earlier(setup, closed - timedelta(days=2), closed)
    _complaint(setup, closed + after_closure)
    assert _repeats() == (repeats, 1)


def test_the_window_is_a_setting(setup, settings):
    settings.HOTLINE_REPEAT_WINDOW_DAYS = 7
    _earlier(setup, at(1), at(1, 10))
    _complaint(setup, at(9))  # 8 days after the closure
    assert _repeats() == (0, 1)


def test_an_earlier_ticket_not_yet_closed_does_not_make_a_repeat(setup):
    _earlier(setup, at(1), None)  # still open: a duplicate, to be merged, not a repeat
    _earlier(setup, at(2), at(6))  # closed only after the complaint came in
    _complaint(setup, at(5))
    assert _repeats() == (0, 1)


def test_another_category_at_the_same_place_is_not_the_same_matter(setup):
    _earlier(setup, at(1), at(1, 10), category_code=setup.noise.code)
    _complaint(setup, at(5))
    assert _repeats() == (0, 1)


def test_the_same_reporter_elsewhere_and_on_another_matter_is_a_repeat(setup):
    _earlier(setup, at(1), at(1, 10), reporter_phone="13812345678")
    # Some 9 km away, another category; the phone is written another way (normalised first).
    _complaint(
        setup,
        at(5),
        reporter_phone="+86 138 1234 5678",
        category_code=setup.noise.code,
        latitude=24.56,
        longitude=118.20,
    )
    assert _repeats() == (1, 1)


def test_the_same_signed_in_account_is_the_same_reporter(setup):
    citizen = make_user()
    _earlier(setup, at(1), at(1, 10), reporter_user=citizen, latitude=None, longitude=None)
    _complaint(setup, at(5), reporter_user=citizen, latitude=None, longitude=None)
    _complaint(setup, at(6), latitude=None, longitude=None)  # another reporter, no place
    assert _repeats() == (1, 2)


def test_the_rate_counts_complaints_only_and_leaves_merged_ones_out(setup):
    """Denominator: complaints (投诉) registered in the period, merged duplicates left out; a
    help request at the same place is no complaint at all."""
    _earlier(setup, datetime(2026, 10, 25, 9, tzinfo=SHANGHAI), at(1))
    repeat = _complaint(setup, at(3))
    merged = _complaint(setup, at(3, 10))
    with time_machine.travel(at(3, 11), tick=False):
        ticket_merge(duplicate=merged, master=repeat, actor=setup.operator)
    _earlier(setup, at(4), None)  # a help request at the same place, after the closure
    latitude, longitude = north_of_base(600)
    _complaint(setup, at(5), latitude=latitude, longitude=longitude)  # elsewhere: first time
    metrics = hotline_metrics(NOVEMBER, now=NOW)
    assert str(metrics.repeat_complaint) == "50.00%"
    assert _repeats() == (1, 2)


def test_repeats_follow_the_filters_of_the_complaint(setup):
    _earlier(setup, at(1), at(1, 10))
    _complaint(setup, at(5))
    assert _repeats(category_id=setup.city.pk) == (1, 1)
    assert _repeats(category_id=setup.noise.pk) == (0, 0)
    assert _repeats(channel=Channel.PHONE) == (0, 0)
    assert _repeats(region_code="359902") == (1, 1)
    assert _repeats(end=at(5)) == (0, 0)  # the complaint came in after the period


def test_repeat_complaints_cost_no_query_of_their_own(setup, django_assert_num_queries):
    for day in range(1, 6):
        _earlier(setup, at(day), at(day, 10))
        _complaint(setup, at(day, 15))
    with django_assert_num_queries(3):  # counted in the tickets' aggregate, decided at intake
        metrics = hotline_metrics(NOVEMBER, now=NOW)
    assert str(metrics.repeat_complaint) == "100.00%"


# --- Decided once, at registration ------------------------------------------------------------


def test_registration_stores_the_earlier_ticket_it_repeats(setup):
    earlier = _earlier(setup, at(1), at(1, 10))
    complaint = _complaint(setup, at(5))
    help_request = _complaint(setup, at(6), ticket_type=TicketType.HELP)  # decided for any type
    elsewhere = _complaint(setup, at(7), latitude=24.56, longitude=118.20)
    assert complaint.repeat_of_id == earlier.pk
    assert help_request.repeat_of_id == earlier.pk
    assert elsewhere.repeat_of_id is None


def test_the_same_reporter_comes_first_then_the_last_closed(setup):
    by_place = _earlier(setup, at(1), at(3))
    by_phone = _earlier(setup, at(1), at(2), reporter_phone="13812345678", latitude=24.56)
    complaint = _complaint(setup, at(5), reporter_phone="13812345678")
    assert complaint.repeat_of_id == by_phone.pk
    later = _earlier(setup, at(2), at(4))
    assert _complaint(setup, at(5, 10)).repeat_of_id == later.pk
    assert by_place.pk != later.pk


def test_a_later_reopen_of_the_earlier_ticket_does_not_undo_a_repeat(setup):
    """The one edge of deciding at registration: the closure the complaint followed was real
    then, and the metric does not change when the earlier ticket is reopened afterwards."""
    earlier = _dispatched(setup, 1)
    _sign(setup, earlier, at(1, 10))
    _reply(setup, earlier, at(2))
    _callback(setup, earlier, at(3), "satisfied", "resolved")
    earlier.refresh_from_db()
    assert earlier.closed_at is not None
    complaint = _complaint(setup, at(5))
    with time_machine.travel(at(6), tick=False):
        ticket_reopen(ticket=earlier, note="问题仍未解决。", actor=setup.dispatcher)
    earlier.refresh_from_db()
    assert earlier.closed_at is None
    complaint.refresh_from_db()
    assert complaint.repeat_of_id == earlier.pk
    assert _repeats() == (1, 1)


def test_registration_looks_up_repeats_in_two_indexed_queries(setup, django_assert_max_num_queries):
    _earlier(setup, at(1), at(1, 10))
    with time_machine.travel(at(5), tick=False), django_assert_max_num_queries(2):
        found = repeat_of_at_registration(
            received_at=at(5),
            category_id=setup.manhole.pk,
            latitude=BASE[0],
            longitude=BASE[1],
            phone_index="",
            user_id=None,
        )
    assert found is not None


def test_the_bulk_marker_gives_the_answers_of_registration(setup):
    citizen = make_user()
    _earlier(setup, datetime(2026, 10, 20, 9, tzinfo=SHANGHAI), at(1))
    _earlier(setup, at(1), at(1, 10), reporter_phone="13812345678")
    _earlier(setup, at(1), at(1, 11), reporter_user=citizen, latitude=None, longitude=None)
    _earlier(setup, at(2), at(6))  # closed after some complaints came in
    _earlier(setup, at(2), None, category_code=setup.noise.code)
    for day, overrides in enumerate(
        [
            {},
            {"reporter_phone": "+86 138 1234 5678", "category_code": setup.noise.code},
            {"reporter_user": citizen, "latitude": None, "longitude": None},
            {"latitude": north_of_base(210)[0]},
            {"category_code": setup.noise.code},
            {},
        ],
        start=3,
    ):
        _complaint(setup, at(day), **overrides)
    registered = dict(Ticket.objects.values_list("pk", "repeat_of_id"))
    assert sum(v is not None for v in registered.values()) >= 4
    Ticket.objects.update(repeat_of=None)
    assert ticket_repeats_mark() == sum(v is not None for v in registered.values())
    assert dict(Ticket.objects.values_list("pk", "repeat_of_id")) == registered
    assert ticket_repeats_mark() == 0
