"""Reads of the hotline. Import from here: `from yiwang.hotline.selectors import ...`."""

from yiwang.hotline.selectors.access import (
    assignment_for_unit,
    contact_visible_to,
    reporter_hidden,
    ticket_for_reporter,
    ticket_for_staff,
    tickets_of_reporter,
    tickets_visible_to,
    unit_departments,
    user_is_dispatcher,
    user_is_operator,
    user_sees_all_tickets,
)
from yiwang.hotline.selectors.limits import Limits, due_after, limits_for
from yiwang.hotline.selectors.routing import RouteSuggestion, area_at, route_by_rules

__all__ = [
    "Limits",
    "RouteSuggestion",
    "area_at",
    "assignment_for_unit",
    "contact_visible_to",
    "due_after",
    "limits_for",
    "reporter_hidden",
    "route_by_rules",
    "ticket_for_reporter",
    "ticket_for_staff",
    "tickets_of_reporter",
    "tickets_visible_to",
    "unit_departments",
    "user_is_dispatcher",
    "user_is_operator",
    "user_sees_all_tickets",
]
