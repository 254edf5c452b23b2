"""The live hotspot alert (DOMAIN §7: "⚙ N reports in one area within 30 min ⇒ live alert").

N = 5 reports within 30 minutes in one area (清溪街道, the test area) under one top-level
category (城市管理: the manhole and the noise categories sit under it). Registrations run their
after-commit handlers, as in production; the duty phone is set unless a test says otherwise.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.hotline.models import Area, Category, Ticket
from yiwang.hotline.selectors import hotspot_alerts, hotspot_alerts_for
from yiwang.hotline.services import hotspot_alert_check, ticket_answer_directly
from yiwang.hotline.tests.factories import HotlineSetup, make_hotline, report, square
from yiwang.identity import services as identity_services
from yiwang.platform.models import AuditEntry, OutboxMessage

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)  # a Monday
DUTY_PHONE = "13900001234"


@pytest.fixture(autouse=True)
def _alert_settings(settings):
    settings.HOTLINE_HOTSPOT_ALERT_COUNT = 5
    settings.HOTLINE_HOTSPOT_ALERT_MINUTES = 30
    settings.HOTLINE_DUTY_PHONE = DUTY_PHONE


@pytest.fixture
def setup() -> HotlineSetup:
    return make_hotline()


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """Register a report at a moment, running what happens after its commit."""

    def register_at(setup: HotlineSetup, moment: datetime, **overrides: object) -> Ticket:
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return report(setup, **overrides)

    return register_at


def alerts_sent() -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(dedupe_key__startswith="hotline:hotspot:").order_by("id")
    )


def burst(register, setup, count, *, start=MORNING, every=timedelta(minutes=4), **overrides):
    return [register(setup, start + every * i, **overrides) for i in range(count)]


def test_a_burst_of_five_reports_raises_exactly_one_alert(setup, register):
    burst(register, setup, 5)
    [message] = alerts_sent()
    assert message.recipient == DUTY_PHONE
    assert message.channel == "sms"
    body = message.payload["body"]
    assert "清溪街道“城市管理”类诉求30分钟内已有5件（09:00起）" in body
    assert "13800000001" not in body  # no reporter's phone in the message
    assert AuditEntry.objects.filter(action="hotline.hotspot.alerted").count() == 1
    burst(register, setup, 3, start=MORNING + timedelta(minutes=17))  # the storm goes on
    assert len(alerts_sent()) == 1
    assert AuditEntry.objects.filter(action="hotline.hotspot.alerted").count() == 1


def test_four_reports_raise_nothing(setup, register):
    burst(register, setup, 4)
    assert alerts_sent() == []
    assert hotspot_alerts(now=MORNING + timedelta(minutes=13)) == []
    assert not AuditEntry.objects.filter(action="hotline.hotspot.alerted").exists()


def test_subcategories_of_one_top_level_category_count_together(setup, register):
    burst(register, setup, 3)
    burst(register, setup, 2, start=MORNING + timedelta(minutes=12), category_code="0302")
    [message] = alerts_sent()
    assert "“城市管理”" in message.payload["body"]


def test_another_area_or_another_top_level_category_does_not_count(setup, register):
    Area.objects.create(
        name="园区街道",
        region_code="359903",
        polygon=square(118.20, 24.56),
        min_longitude=118.20,
        max_longitude=118.21,
        min_latitude=24.56,
        max_latitude=24.57,
    )
    Category.objects.create(code="05", name="供水供电", level=1)
    burst(register, setup, 4)
    register(setup, MORNING + timedelta(minutes=16), latitude=24.565, longitude=118.205)
    register(setup, MORNING + timedelta(minutes=17), category_code="05")
    register(setup, MORNING + timedelta(minutes=18), latitude=None, longitude=None)  # no place
    assert alerts_sent() == []
    assert hotspot_alerts(now=MORNING + timedelta(minutes=18)) == []


def test_a_report_older_than_the_window_does_not_count(setup, register):
    register(setup, MORNING - timedelta(minutes=31))
    burst(register, setup, 4, start=MORNING - timedelta(minutes=1))  # 08:59 to 09:11
    assert alerts_sent() == []
    register(setup, MORNING + timedelta(minutes=28))  # 08:59 … 09:28: five within 30 minutes
    assert len(alerts_sent()) == 1


def test_imported_reports_of_the_past_raise_nothing(setup, register):
    with time_machine.travel(MORNING, tick=False):
        earlier = MORNING - timedelta(hours=2)
        burst(register, setup, 5, start=MORNING, received_at=earlier)
    assert alerts_sent() == []


def test_a_burst_across_two_windows_still_sends_one_message(setup, register):
    # 09:26 … 09:34: the window number changes at 09:30.
    burst(register, setup, 8, start=MORNING + timedelta(minutes=26), every=timedelta(minutes=1))
    assert len(alerts_sent()) == 1


def test_a_long_storm_is_told_again_at_most_once_per_window(setup, register):
    """A report every 5 minutes from 09:00 to 10:10: the first message at 09:20 (the fifth),
    the next at 09:50, once the first is a window old; none more by 10:10."""
    burst(register, setup, 15, every=timedelta(minutes=5))
    sent = alerts_sent()
    assert [m.created_at.astimezone(SHANGHAI).strftime("%H:%M") for m in sent] == [
        "09:20",
        "09:50",
    ]


def test_without_a_duty_phone_the_banner_alone_tells_the_centre(setup, register, settings):
    settings.HOTLINE_DUTY_PHONE = ""
    burst(register, setup, 5)
    assert alerts_sent() == []
    [alert] = hotspot_alerts(now=MORNING + timedelta(minutes=16))
    assert (alert.area_name, alert.category_name, alert.count) == ("清溪街道", "城市管理", 5)


def test_a_direct_answer_is_not_a_new_report(setup, register, django_capture_on_commit_callbacks):
    tickets = burst(register, setup, 4, channel="phone", actor=setup.operator)
    with (
        time_machine.travel(MORNING + timedelta(minutes=20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket_answer_directly(ticket=tickets[0], answer="已告知。", actor=setup.operator)
    assert alerts_sent() == []


def test_the_check_costs_two_queries_when_nothing_happens(setup, django_assert_num_queries):
    with time_machine.travel(MORNING, tick=False):
        ticket = report(setup)
        with django_assert_num_queries(2):  # the ticket with its area and categories; the count
            assert hotspot_alert_check(ticket_id=ticket.pk) is False


# --- The banner -----------------------------------------------------------------------------


def test_the_banner_lists_area_category_count_times_and_the_tickets(setup, register):
    tickets = burst(register, setup, 6)  # 09:00 … 09:20
    [alert] = hotspot_alerts(now=MORNING + timedelta(minutes=25))
    assert (alert.area_name, alert.category_name, alert.count) == ("清溪街道", "城市管理", 6)
    assert (alert.first_at, alert.last_at) == (MORNING, MORNING + timedelta(minutes=20))
    assert [t.number for t in alert.tickets] == [t.number for t in tickets]


def test_the_banner_stays_one_window_after_the_last_qualifying_report(setup, register):
    burst(register, setup, 5)  # the fifth at 09:16
    assert len(hotspot_alerts(now=MORNING + timedelta(minutes=45))) == 1
    assert hotspot_alerts(now=MORNING + timedelta(minutes=46)) == []


def _page(client, user, url):
    with time_machine.travel(MORNING + timedelta(minutes=25), tick=False):
        # Staff pages need a second factor set up.
        identity_services.staff_second_factor_activate(user=user, secret="JBSWY3DPEHPK3PXP")
        client.force_login(user)
        return client.get(url)


def test_the_dispatcher_and_the_operator_see_the_banner(setup, register, client):
    tickets = burst(register, setup, 5)
    pages = ((setup.dispatcher, "/hotline/dispatch/"), (setup.operator, "/hotline/console/"))
    for user, url in pages:
        response = _page(client, user, url)
        page = response.content.decode()
        assert response.status_code == 200
        assert 'aria-labelledby="hotspot-alerts-heading"' in page
        assert "以下片区同一类诉求在30分钟内达到5件" in page
        assert "<strong>清溪街道 · 城市管理</strong>：5 件，09:00–09:16" in page
        assert f'href="/hotline/tickets/{tickets[0].pk}/"' in page


def test_a_units_handler_sees_no_banner(setup, register, client):
    burst(register, setup, 5)
    assert hotspot_alerts_for(setup.road_handler, now=MORNING + timedelta(minutes=25)) == []
    assert _page(client, setup.road_handler, "/hotline/dispatch/").status_code == 404
    page = _page(client, setup.road_handler, "/hotline/unit/").content.decode()
    assert "热点预警" not in page


def test_no_banner_when_all_is_quiet(setup, register, client):
    burst(register, setup, 4)
    page = _page(client, setup.dispatcher, "/hotline/dispatch/").content.decode()
    assert "热点预警" not in page
