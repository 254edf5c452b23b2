"""Repeat complaints (重复投诉, DOMAIN §7): which earlier ticket a new one repeats, decided once,
when it is registered, and stored in `Ticket.repeat_of`.

A ticket received at R repeats an earlier ticket (of any type, received before R, not a merged
duplicate) that was closed at R, its closure at most `HOTLINE_REPEAT_WINDOW_DAYS` before R, and
- that came from the same reporter: the same phone (the stored blind index, never decrypted) or
  the same signed-in account, whatever the place and category; or
- that is in the same leaf category within `HOTLINE_REPEAT_RADIUS_M` metres (`distance_m`, as
  the monthly hotspot report measures it).
The one stored is a same-reporter ticket when there is one, else a same-place one; among those,
the most recently closed (then the highest id). An earlier ticket still open at R does not count
(that is a duplicate, to be merged). The metric counts complaints (投诉) with a `repeat_of`.

The answer never changes after registration: a later reopen of the earlier ticket does not undo
it, and a closure after R does not make it. Two ways reach the same answer:
- `repeat_of_at_registration`: a few indexed queries at intake (`ticket_register`);
- `RepeatIndex`: the same rule in memory, over tickets fed in the order they were received, for
  bulk writers (the demo generator, `ticket_repeats_mark`). A grid of radius-sized cells per
  category and dicts by phone index and account: no query per ticket.
"""

from __future__ import annotations

import functools
import math
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from yiwang.hotline.geometry import EARTH_RADIUS_M, distance_m
from yiwang.hotline.models import Ticket
from yiwang.hotline.workflow import TicketStatus

# A closure: when the ticket closed, and when it was reopened after that (None: still closed).
Closure = tuple[datetime, datetime | None]


def repeat_window() -> timedelta:
    return timedelta(days=settings.HOTLINE_REPEAT_WINDOW_DAYS)


def repeat_radius_m() -> float:
    return float(settings.HOTLINE_REPEAT_RADIUS_M)


def repeat_of_at_registration(
    *,
    received_at: datetime,
    category_id: int,
    latitude: float | None,
    longitude: float | None,
    phone_index: str,
    user_id: int | None,
) -> int | None:
    """The id of the earlier ticket a ticket received now repeats, or None: at most two
    indexed queries (reporter: blind index / account; place: category and closure time)."""
    window = repeat_window()
    closed = Ticket.objects.filter(
        closed_at__isnull=False,
        closed_at__gte=received_at - window,
        closed_at__lte=received_at,
        received_at__lt=received_at,
    ).exclude(status=TicketStatus.MERGED)
    same_reporter: list[Q] = []
    if phone_index:
        same_reporter.append(Q(reporter_phone_index=phone_index))
    if user_id is not None:
        same_reporter.append(Q(reporter_user_id=user_id))
    if same_reporter:
        found = (
            closed.filter(functools.reduce(operator.or_, same_reporter))
            .order_by("-closed_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if found is not None:
            return found
    if latitude is None or longitude is None:
        return None
    radius = repeat_radius_m()
    # A box a little larger than the circle; the distance decides.
    d_latitude = math.degrees(radius / EARTH_RADIUS_M) * 1.1
    d_longitude = d_latitude / max(
        math.cos(math.radians(min(abs(latitude) + d_latitude, 89))), 0.01
    )
    # Not `closed`: with `received_at` in the query SQLite walks the category's whole history
    # by (category, received_at); by (category, closed_at) it reads a month (16 → 2.4 ms on a year).
    nearby = (
        Ticket.objects.filter(
            category_id=category_id,
            closed_at__gte=received_at - window,
            closed_at__lte=received_at,
            latitude__gte=latitude - d_latitude,
            latitude__lte=latitude + d_latitude,
            longitude__gte=longitude - d_longitude,
            longitude__lte=longitude + d_longitude,
        )
        .exclude(status=TicketStatus.MERGED)
        .values_list("pk", "received_at", "closed_at", "latitude", "longitude")
    )
    best: tuple[datetime, int] | None = None
    for pk, earlier_at, closed_at, other_latitude, other_longitude in nearby:
        if closed_at is None or other_latitude is None or other_longitude is None:
            continue  # filtered out above; for the type checker
        if earlier_at >= received_at:
            continue
        if distance_m(other_longitude, other_latitude, longitude, latitude) > radius:
            continue
        if best is None or (closed_at, pk) > best:
            best = (closed_at, pk)
    return best[1] if best else None


@dataclass(frozen=True)
class RepeatCandidate:
    """A ticket as the in-memory rule sees it. `closures` are empty for a ticket never closed
    (or merged: a merged duplicate never counts as the earlier ticket)."""

    pk: int
    received_at: datetime
    category_id: int
    latitude: float | None
    longitude: float | None
    phone_index: str
    user_id: int | None
    closures: tuple[Closure, ...] = ()

    @functools.cached_property
    def last_closed_at(self) -> datetime:
        return max(closed for closed, _ in self.closures)


def _closure_at(earlier: RepeatCandidate, at: datetime, window: timedelta) -> datetime | None:
    """The closure of `earlier` in force at `at` and at most `window` before it, if any."""
    if earlier.received_at >= at:
        return None
    found: datetime | None = None
    for closed, reopened in earlier.closures:
        if at - window <= closed <= at and (reopened is None or reopened > at):
            found = closed if found is None else max(found, closed)
    return found


class RepeatIndex:
    """`repeat_of_at_registration` in memory. Feed tickets in the order they were received:
    `find` first (which earlier ticket does this one repeat?), then `add` it (once its closures
    are known; a ticket is only ever found by later ones)."""

    def __init__(self, *, window: timedelta | None = None, radius_m: float | None = None) -> None:
        self.window = window if window is not None else repeat_window()
        self.radius = radius_m if radius_m is not None else repeat_radius_m()
        self.cell = math.degrees(self.radius / EARTH_RADIUS_M)  # at least the radius across
        self.cell_longitude = self.cell / math.cos(math.radians(60))  # …up to 60° of latitude
        self.by_phone: dict[str, list[RepeatCandidate]] = defaultdict(list)
        self.by_user: dict[int, list[RepeatCandidate]] = defaultdict(list)
        self.grid: dict[tuple[int, int, int], list[RepeatCandidate]] = defaultdict(list)

    def _cell(self, latitude: float, longitude: float) -> tuple[int, int]:
        return math.floor(latitude / self.cell), math.floor(longitude / self.cell_longitude)

    def add(self, ticket: RepeatCandidate) -> None:
        if not ticket.closures:
            return  # never closed: never the earlier ticket of a repeat
        if ticket.phone_index:
            self.by_phone[ticket.phone_index].append(ticket)
        if ticket.user_id is not None:
            self.by_user[ticket.user_id].append(ticket)
        if ticket.latitude is not None and ticket.longitude is not None:
            row, column = self._cell(ticket.latitude, ticket.longitude)
            self.grid[(ticket.category_id, row, column)].append(ticket)

    def _near(self, earlier: RepeatCandidate, ticket: RepeatCandidate) -> bool:
        if (
            earlier.latitude is None
            or earlier.longitude is None
            or ticket.latitude is None
            or ticket.longitude is None
        ):
            return False
        return (
            distance_m(earlier.longitude, earlier.latitude, ticket.longitude, ticket.latitude)
            <= self.radius
        )

    def _best(
        self, buckets: Iterable[list[RepeatCandidate]], ticket: RepeatCandidate, *, near: bool
    ) -> int | None:
        at = ticket.received_at
        horizon = at - self.window
        best: tuple[datetime, int] | None = None
        for bucket in buckets:
            stale = 0
            for earlier in bucket:
                if earlier.last_closed_at < horizon:
                    stale += 1
                    continue
                closed = _closure_at(earlier, at, self.window)
                if closed is None or (best is not None and (closed, earlier.pk) <= best):
                    continue
                if near and not self._near(earlier, ticket):
                    continue
                best = (closed, earlier.pk)
            if stale * 2 > len(bucket):
                # Closed too long ago for this ticket and every later one: forget them.
                bucket[:] = [e for e in bucket if e.last_closed_at >= horizon]
        return best[1] if best else None

    def find(self, ticket: RepeatCandidate) -> int | None:
        """The id of the earlier ticket `ticket` repeats, among those added so far, or None."""
        reporter: list[list[RepeatCandidate]] = []
        if ticket.phone_index and ticket.phone_index in self.by_phone:
            reporter.append(self.by_phone[ticket.phone_index])
        if ticket.user_id is not None and ticket.user_id in self.by_user:
            reporter.append(self.by_user[ticket.user_id])
        found = self._best(reporter, ticket, near=False)
        if found is not None or ticket.latitude is None or ticket.longitude is None:
            return found
        row, column = self._cell(ticket.latitude, ticket.longitude)
        cells = [
            self.grid[key]
            for d_row in (-1, 0, 1)
            for d_column in (-1, 0, 1)
            if (key := (ticket.category_id, row + d_row, column + d_column)) in self.grid
        ]
        return self._best(cells, ticket, near=True)
