"""Duplicate suggestions: same category, near in space and time, saying much the same."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from yiwang.hotline.models import Category
from yiwang.hotline.selectors import duplicate_candidates
from yiwang.hotline.selectors.duplicates import bigrams, jaccard
from yiwang.hotline.tests.factories import make_hotline, report
from yiwang.hotline.workflow import TicketStatus

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 12, 10, 0, tzinfo=SHANGHAI)
TEXT = "清溪路与园区路交叉口井盖破损，夜间有行人踩空危险。"
# ~0.00045° of latitude is 50 m; 0.0045° is 500 m.
NEAR, FAR = 0.00045, 0.0045


def test_bigrams_ignore_punctuation_and_the_operators_framing():
    assert bigrams("来电人反映：井盖坏了！") == bigrams("井盖坏了")
    assert jaccard(bigrams("井盖坏了"), bigrams("井盖坏了")) == 1.0
    assert jaccard(bigrams("井盖坏了"), bigrams("路灯不亮")) == 0.0
    assert jaccard(frozenset(), bigrams("井盖")) == 0.0


def test_near_recent_and_alike_is_found_the_rest_is_not():
    setup = make_hotline()
    new = report(setup, received_at=NOW)
    alike = report(setup, received_at=NOW - timedelta(days=1), latitude=24.505 + NEAR,
                   content="清溪路园区路路口的井盖破损了，晚上有人踩空。")  # fmt: skip
    same_words_far = report(setup, received_at=NOW - timedelta(days=1), latitude=24.505 + FAR)
    same_words_old = report(setup, received_at=NOW - timedelta(days=10))
    other_text = report(setup, received_at=NOW - timedelta(hours=2),
                        content="人民医院门口的树被风吹倒压住了电线。")  # fmt: skip
    other_category = report(setup, received_at=NOW - timedelta(hours=1),
                            category_code=setup.road.code)  # fmt: skip
    found = duplicate_candidates(new)
    assert [c.ticket for c in found] == [alike]
    [candidate] = found
    assert 40 < candidate.distance_m < 60
    assert candidate.hours_apart == 24
    assert 0.15 <= candidate.similarity < 1
    assert 0 < candidate.score <= 1
    assert same_words_far not in [c.ticket for c in duplicate_candidates(new, radius_m=1000)][1:2]
    wider = [c.ticket for c in duplicate_candidates(new, radius_m=1000, days=15)]
    assert set(wider) == {alike, same_words_far, same_words_old}
    assert other_text not in wider
    assert other_category not in wider


def test_the_closer_and_more_alike_rank_first():
    setup = make_hotline()
    new = report(setup, received_at=NOW)
    exact = report(setup, received_at=NOW - timedelta(hours=3), latitude=24.505 + NEAR / 5)
    looser = report(setup, received_at=NOW - timedelta(days=5), latitude=24.505 + NEAR * 3,
                    content="园区路口井盖有点破损。")  # fmt: skip
    assert [c.ticket for c in duplicate_candidates(new)] == [exact, looser]
    assert [c.ticket for c in duplicate_candidates(new, limit=1)] == [exact]


def test_closed_merged_and_unplaced_tickets_have_no_duplicates():
    setup = make_hotline()
    new = report(setup, received_at=NOW)
    closed = report(setup, received_at=NOW - timedelta(hours=3))
    closed.status = TicketStatus.CLOSED
    closed.save()
    merged = report(setup, received_at=NOW - timedelta(hours=2))
    merged.master = new
    merged.save()
    assert duplicate_candidates(new) == []
    unplaced = report(setup, received_at=NOW, latitude=None, longitude=None)
    assert duplicate_candidates(unplaced) == []
    assert Category.objects.filter(pk=new.category_id).exists()
