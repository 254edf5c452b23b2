"""The in-process event bus: calls go down, events go up.

Services publish frozen dataclasses with `publish(event)`. Delivery happens after the surrounding
transaction commits (`transaction.on_commit`), so subscribers never see rolled-back facts. Each
subscriber runs isolated: its failure is logged and does not stop the others or the publisher.
Side effects that leave the process (SMS, webhooks) do not belong in subscribers directly: they
write an outbox row (`yiwang.platform.services.outbox_enqueue`) so that nothing is lost if the
process dies.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import transaction

log = logging.getLogger("yiwang.events")

E = TypeVar("E")
Handler = Callable[[Any], None]

_subscribers: dict[type[Any], list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Decorator: `@subscribe(CaseClosed)` registers a handler (in a context's `handlers.py`)."""

    def register(handler: Callable[[E], None]) -> Callable[[E], None]:
        if handler not in _subscribers[event_type]:
            _subscribers[event_type].append(handler)
        return handler

    return register


def unsubscribe(event_type: type[Any], handler: Handler) -> None:
    if handler in _subscribers[event_type]:
        _subscribers[event_type].remove(handler)


def subscribers_of(event_type: type[Any]) -> list[Handler]:
    return list(_subscribers[event_type])


def publish(event: object, *, using: str | None = None) -> None:
    """Deliver `event` to its subscribers once the current transaction commits (at once if none)."""
    transaction.on_commit(lambda: dispatch(event), using=using)


def dispatch(event: object) -> None:
    for handler in subscribers_of(type(event)):
        try:
            handler(event)
        except Exception:
            log.exception(
                "event subscriber failed",
                extra={"event": type(event).__name__, "task": getattr(handler, "__qualname__", "")},
            )


@dataclass(frozen=True)
class DayBegan:
    """A new local calendar day (Asia/Shanghai) began; announced once per day by one worker.
    Daily work (licence expiry, reminders, overdue checks) subscribes to this."""

    day: date
