"""Which unit should lead a ticket: the routing rules first, then the learned dispatch model
(`yiwang.hotline.classifier`), then the category's default unit."""

from __future__ import annotations

from yiwang.hotline.classifier import current_model, ticket_text
from yiwang.hotline.models import Ticket
from yiwang.hotline.selectors.routing import RouteSuggestion, route_by_rules
from yiwang.org.models import Department


def suggest_department(
    ticket_or_text: Ticket | str, *, limit: int = 3
) -> list[tuple[Department, float]]:
    """The likeliest lead units with a confidence in [0, 1], best first. For a ticket, a matching
    routing rule overrides the model: its unit alone, with confidence 1. Without a trained model,
    a ticket gets its category's default unit and a bare text gets nothing."""
    rule: RouteSuggestion | None = None
    if isinstance(ticket_or_text, Ticket):
        ticket = ticket_or_text
        rule = route_by_rules(
            category=ticket.category, area_id=ticket.area_id, ticket_type=ticket.ticket_type
        )
        if rule is not None and rule.source == "rule":
            return [(rule.lead, 1.0)]
        text = ticket_text(ticket.title, ticket.content, ticket.address)
    else:
        text = ticket_or_text.strip()
    found = current_model() if text else None
    if found is None:
        return [(rule.lead, 1.0)] if rule is not None else []
    _run, model = found
    predicted = model.predict([text], k=limit)[0]
    departments = Department.objects.in_bulk([department for department, _ in predicted])
    return [
        (departments[department], confidence)
        for department, confidence in predicted
        if department in departments
    ]


def dispatch_suggestion(ticket: Ticket) -> RouteSuggestion | None:
    """What to offer the dispatcher: the rule's unit and co-handlers; else the model's best
    guess (source "model", with its confidence); else the category's default unit."""
    rule = route_by_rules(
        category=ticket.category, area_id=ticket.area_id, ticket_type=ticket.ticket_type
    )
    if rule is not None and rule.source == "rule":
        return rule
    suggestions = suggest_department(ticket.title + " " + ticket.content + " " + ticket.address)
    if suggestions:
        department, confidence = suggestions[0]
        return RouteSuggestion(
            lead=department,
            co_handlers=[],
            source="model",
            explanation=f"智能派单建议（置信度 {confidence:.0%}）",
            confidence=confidence,
        )
    return rule
