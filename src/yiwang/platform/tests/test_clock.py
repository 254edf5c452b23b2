from datetime import date

import pytest
import time_machine

from yiwang.platform import clock
from yiwang.platform.events import DayBegan, subscribe, unsubscribe
from yiwang.platform.management.commands.worker import Housekeeper
from yiwang.platform.models import DayAnnouncement

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    days: list[date] = []

    def listener(event: DayBegan) -> None:
        days.append(event.day)

    subscribe(DayBegan)(listener)
    yield days
    unsubscribe(DayBegan, listener)


def test_a_day_is_announced_once_however_many_workers_try(heard):
    assert clock.announce(date(2026, 11, 23)) is True
    assert clock.announce(date(2026, 11, 23)) is False
    assert heard == [date(2026, 11, 23)]
    assert list(DayAnnouncement.objects.values_list("day", flat=True)) == [date(2026, 11, 23)]


def test_the_local_day_is_shanghai_time_not_utc():
    # 2026-11-22 17:30 UTC is already 01:30 on the 23rd in Shanghai.
    with time_machine.travel("2026-11-22T17:30:00+00:00", tick=False):
        assert clock.local_today() == date(2026, 11, 23)


def test_housekeeping_announces_each_new_day_from_its_first_round(heard):
    housekeeper = Housekeeper(worker="host-1", heartbeat_seconds=15)
    with time_machine.travel("2026-11-22T15:00:00+00:00", tick=False):  # 23:00 local
        housekeeper.run_once(now=0.0)
        housekeeper.run_once(now=15.0)
    with time_machine.travel("2026-11-22T16:00:05+00:00", tick=False):  # 00:00:05 next day
        housekeeper.run_once(now=30.0)
    assert heard == [date(2026, 11, 22), date(2026, 11, 23)]
    # A second worker coming up the same day announces nothing more.
    with time_machine.travel("2026-11-22T16:30:00+00:00", tick=False):
        Housekeeper(worker="host-2").run_once(now=0.0)
    assert heard == [date(2026, 11, 22), date(2026, 11, 23)]
