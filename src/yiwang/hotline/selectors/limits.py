"""Time limits of tickets: which rule applies, and the due instants it gives.

Sign-for (签收) limits are working hours (DOMAIN §7: "⚙ e.g. 2 working hours"): they run only
inside `settings.HOTLINE_WORKING_HOURS` (08:30–12:00, 14:00–17:30 by default) on the working days
of the ticket's region (holidays out, make-up working days in). A normal ticket dispatched at
16:30 on a Friday is due at 09:30 on Monday. Urgent tickets are the exception: they are
dispatched at once with a phone call and handled the same day, so their sign-for limit runs in
clock hours, day and night.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from yiwang.calendars.selectors import WorkingPeriod, day_end, working_days_add, working_hours_add
from yiwang.hotline.models import Category, TimeLimitRule
from yiwang.hotline.selectors.routing import category_chain
from yiwang.hotline.workflow import LimitUnit, Urgency


@dataclass(frozen=True)
class Limits:
    dispatch_value: int
    dispatch_unit: str
    sign_hours: int
    handling_value: int
    handling_unit: str
    callback_days: int
    rule_name: str


# When no rule matches: DOMAIN §7 defaults (dispatch ≤ 1 WD; sign for in 2 hours; 5 CD).
DEFAULT = Limits(1, LimitUnit.WORKING_DAYS, 2, 5, LimitUnit.CALENDAR_DAYS, 1, "默认时限")
URGENT_DEFAULT = Limits(1, LimitUnit.HOURS, 1, 0, LimitUnit.CALENDAR_DAYS, 1, "紧急工单默认时限")


def limits_for(*, ticket_type: str, category: Category, urgency: str) -> Limits:
    """The most specific active rule: one naming the urgency beats one that doesn't, then the
    deepest category (the ticket's own, then its parents, then none), then one naming the type."""
    chain = category_chain(category)
    best: tuple[int, int, int] | None = None
    chosen: TimeLimitRule | None = None
    for rule in TimeLimitRule.objects.filter(is_active=True):
        if rule.urgency and rule.urgency != urgency:
            continue
        if rule.ticket_type and rule.ticket_type != ticket_type:
            continue
        if rule.category_id is not None and rule.category_id not in chain:
            continue
        depth = len(chain) - chain.index(rule.category_id) if rule.category_id else 0
        score = (1 if rule.urgency else 0, depth, 1 if rule.ticket_type else 0)
        if best is None or score > best:
            best, chosen = score, rule
    if chosen is None:
        return URGENT_DEFAULT if urgency == Urgency.URGENT else DEFAULT
    return Limits(
        chosen.dispatch_value,
        chosen.dispatch_unit,
        chosen.sign_hours,
        chosen.handling_value,
        chosen.handling_unit,
        chosen.callback_days,
        chosen.name,
    )


def due_after(start: datetime, value: int, unit: str, *, region_code: str = "") -> datetime:
    """The due instant `value` units after `start`. Working days skip weekends and holidays and
    start the next day (民法典 art. 201); calendar days run through holidays (the hotline's 2 / 5
    自然日 rule); both end at the end of the due day. 0 days = the end of the start day."""
    if unit == LimitUnit.HOURS:
        return start + timedelta(hours=value)
    if unit == LimitUnit.WORKING_DAYS:
        if value == 0:
            return day_end(start)
        return working_days_add(start=start, days=value, region_code=region_code).due_at
    return day_end(start) + timedelta(days=value)


def working_periods() -> tuple[WorkingPeriod, ...]:
    """`settings.HOTLINE_WORKING_HOURS` ("08:30-12:00,14:00-17:30") as (start, end) times."""
    raw = settings.HOTLINE_WORKING_HOURS
    periods: list[WorkingPeriod] = []
    try:
        for part in raw.split(","):
            begin, end = part.strip().split("-")
            periods.append((time.fromisoformat(begin.strip()), time.fromisoformat(end.strip())))
        if not periods or any(begin >= end for begin, end in periods):
            raise ValueError(raw)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"YIWANG_HOTLINE_WORKING_HOURS should read like 08:30-12:00,14:00-17:30, not {raw!r}"
        ) from error
    return tuple(sorted(periods))


def sign_due_after(start: datetime, hours: int, *, urgency: str, region_code: str = "") -> datetime:
    """When a unit must sign for a ticket dispatched at `start`: `hours` working hours later;
    an urgent ticket's `hours` are clock hours."""
    if urgency == Urgency.URGENT:
        return start + timedelta(hours=hours)
    return working_hours_add(
        start=start, hours=hours, periods=working_periods(), region_code=region_code
    )
