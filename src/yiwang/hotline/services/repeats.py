"""Marking repeat complaints (`Ticket.repeat_of`) for tickets already stored, in bulk: for the
migration that introduced the field and for `yiwang hotline_mark_repeats` (after an import that
wrote tickets without the service, or a change of the window or radius settings).

The rule is `hotline/selectors/repeats.py`'s, in memory (`RepeatIndex`), over every ticket in the
order received: one read of the table, then updates of the rows whose answer changed. Stored
tickets keep only their current closure, so an earlier ticket that was reopened and closed
again is judged on its last closure here, where registration saw the closure in force then.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from yiwang.hotline.models import Ticket
from yiwang.hotline.selectors.repeats import RepeatCandidate, RepeatIndex
from yiwang.hotline.workflow import TicketStatus

BATCH_SIZE = 2000


def ticket_repeats_mark(*, model: type[models.Model] = Ticket) -> int:
    """(Re)decide `repeat_of` for every stored ticket; returns how many rows changed. `model`
    is the ticket model (a migration passes its historical one)."""
    index = RepeatIndex()
    changes: list[tuple[int, int | None]] = []
    manager: Any = model._default_manager
    rows = manager.order_by("received_at", "pk").values_list(
        "pk",
        "received_at",
        "category_id",
        "latitude",
        "longitude",
        "reporter_phone_index",
        "reporter_user_id",
        "status",
        "closed_at",
        "repeat_of_id",
    )
    for (
        pk,
        received_at,
        category_id,
        latitude,
        longitude,
        phone_index,
        user_id,
        status,
        closed_at,
        stored,
    ) in rows.iterator(chunk_size=BATCH_SIZE):
        closures = ((closed_at, None),) if closed_at and status != TicketStatus.MERGED else ()
        ticket = RepeatCandidate(
            pk, received_at, category_id, latitude, longitude, phone_index, user_id, closures
        )
        found = index.find(ticket)
        if found != stored:
            changes.append((pk, found))
        index.add(ticket)
    with transaction.atomic():
        for start in range(0, len(changes), BATCH_SIZE):
            batch = [
                model(pk=pk, repeat_of_id=found)
                for pk, found in changes[start : start + BATCH_SIZE]
            ]
            manager.bulk_update(batch, ["repeat_of"])
    return len(changes)
