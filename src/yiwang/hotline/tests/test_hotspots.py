from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from yiwang.hotline.selectors.hotspots import hotspot_report
from yiwang.hotline.services import ticket_dispatch
from yiwang.hotline.tests.factories import make_hotline, report
from yiwang.hotline.workflow import TicketType

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_month_report_ranks_categories_finds_rising_ones_and_repeated_complaints():
    setup = make_hotline()
    for month in (8, 9, 10):
        for day in (3, 10, 17):
            report(setup, received_at=datetime(2026, month, day, 9, tzinfo=SHANGHAI))
    for day in (2, 9, 16, 23):
        manhole = report(setup, received_at=datetime(2026, 11, day, 9, tzinfo=SHANGHAI))
    ticket_dispatch(ticket=manhole, lead=setup.roads, actor=setup.dispatcher)
    # Four noise complaints within a few metres of each other, two more a kilometre away.
    for day, (lat, lng) in enumerate(
        [
            (24.5050, 118.1050),
            (24.5051, 118.1051),
            (24.5049, 118.1052),
            (24.5050, 118.1049),
            (24.5140, 118.1050),
            (24.5141, 118.1050),
        ],
        start=1,
    ):
        report(
            setup,
            category_code=setup.noise.code,
            ticket_type=TicketType.COMPLAINT,
            content="夜间施工噪声扰民",
            address="清溪路88号工地" if lat < 24.51 else "园区路1号",
            latitude=lat,
            longitude=lng,
            received_at=datetime(2026, 11, day, 23, tzinfo=SHANGHAI),
        )
    report(setup, received_at=datetime(2026, 12, 1, 0, 1, tzinfo=SHANGHAI))  # next month

    result = hotspot_report(date(2026, 11, 15))
    assert (result.month, result.total) == (date(2026, 11, 1), 10)
    assert [(r.label, r.count, r.share) for r in result.categories] == [
        ("噪声扰民", 6, Decimal("60.0")),
        ("井盖缺失破损", 4, Decimal("40.0")),
    ]
    assert [(r.label, r.count) for r in result.areas] == [("清溪街道", 8)]  # two lie outside
    assert [(r.label, r.count) for r in result.units] == [("示范市城市管理局", 1)]
    # Noise is new (nothing in the three months before); the manholes stay at their average.
    assert [(r.label, r.count, r.previous_average, r.change) for r in result.rising] == [
        ("噪声扰民", 6, Decimal("0.0"), None)
    ]
    (repeat,) = result.repeats
    assert (repeat.category, repeat.place, repeat.count) == ("噪声扰民", "清溪路88号工地", 4)
    assert repeat.first_at < repeat.last_at
    assert len(repeat.numbers) == 4


def test_an_empty_month_is_an_empty_report():
    result = hotspot_report(date(2026, 2, 1))
    assert (result.total, result.categories, result.rising, result.repeats) == (0, [], [], [])
