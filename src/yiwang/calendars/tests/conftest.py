from __future__ import annotations

from collections.abc import Iterator

import pytest

from yiwang.calendars.events import CalendarDayChanged, CalendarYearCompleted, CalendarYearReopened
from yiwang.platform.events import subscribe, unsubscribe

EVENT_TYPES = (CalendarYearCompleted, CalendarYearReopened, CalendarDayChanged)


@pytest.fixture
def published() -> Iterator[list[object]]:
    """Events delivered to subscribers (after commit), in order."""
    received: list[object] = []
    for event_type in EVENT_TYPES:
        subscribe(event_type)(received.append)
    yield received
    for event_type in EVENT_TYPES:
        unsubscribe(event_type, received.append)
