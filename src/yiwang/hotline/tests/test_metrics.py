"""The DOMAIN §7 metrics on hand-built tickets whose answers are known.

Nine tickets received in November 2026 (numbered T1–T9 below), one silent and one hung-up call,
one ticket from October; "now" is 12 November. Default limits: sign for within 2 hours, handle
within 5 calendar days (the test database holds no calendar, so nothing moves for holidays).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.hotline.models import Ticket, TicketAssignment, UnregisteredContact
from yiwang.hotline.selectors.metrics import MetricFilters, Rate, hotline_metrics
from yiwang.hotline.services import (
    ticket_answer_directly,
    ticket_callback,
    ticket_dispatch,
    ticket_merge,
    ticket_reply,
    ticket_review,
    ticket_sign,
)
from yiwang.hotline.tests.factories import HotlineSetup, make_hotline, report
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
    with django_assert_num_queries(4):
        hotline_metrics(NOVEMBER, now=NOW + timedelta(days=1))
