"""Hotline objects as GeoReport v2 values (DOMAIN §8 mapping). Free text that reaches the public
(description, reply, address) goes through the personal-data scrubber as a safety net: anything
shaped like a mobile or citizen ID number is masked."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from yiwang.hotline.models import Category, Ticket, TicketAttachment, TicketStep
from yiwang.hotline.open311.formats import Many, Value, iso
from yiwang.hotline.selectors import (
    category_attributes,
    category_group,
    first_public_photo,
    request_is_open,
)
from yiwang.hotline.workflow import StepAction, TicketStatus
from yiwang.platform.logging import scrub

# Builds an absolute URL from a path (the view's request.build_absolute_uri).
AbsoluteUrl = Callable[[str], str]


def photo_url(attachment_id: int, absolute: AbsoluteUrl) -> str:
    """Where anyone may fetch a public ticket's photo (its public copy) without signing in."""
    return absolute(reverse("open311:media", kwargs={"attachment_id": attachment_id}))


def service(category: Category) -> dict[str, Value]:
    group = category_group(category)
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.service_notice or category.name,
        "metadata": bool(category_attributes(category)),
        "type": "realtime",
        "keywords": ",".join(
            word.strip() for word in category.keywords.replace("，", ",").split(",") if word.strip()
        ),
        "group": group.name,
    }


def service_definition(category: Category) -> dict[str, Value]:
    attributes: list[Value] = []
    for attribute in category_attributes(category):
        attributes.append(
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description or None,
                "order": attribute.order,
                "description": attribute.description,
                "values": Many(
                    "value", [{"key": key, "name": name} for key, name in attribute.values]
                ),
            }
        )
    return {"service_code": category.code, "attributes": Many("attribute", attributes)}


def service_request(
    ticket: Ticket, absolute: AbsoluteUrl, steps: list[TicketStep] | None = None
) -> dict[str, Value]:
    """A request; with its public `steps` (asked by `extensions=true`), also its attribute
    answers and its notes."""
    is_open = request_is_open(ticket)
    photo: TicketAttachment | None = first_public_photo(ticket)
    row: dict[str, Value] = {
        "service_request_id": ticket.number,
        "status": "open" if is_open else "closed",
        "status_notes": scrub(ticket.reply) or None,
        "service_name": ticket.category.name,
        "service_code": ticket.category.code,
        "description": scrub(ticket.content),
        "agency_responsible": ticket.lead_department.name if ticket.lead_department else None,
        "service_notice": ticket.category.service_notice or None,
        "requested_datetime": iso(ticket.received_at),
        "updated_datetime": iso(
            ticket.updated_at if is_open else ticket.closed_at or ticket.updated_at
        ),
        "expected_datetime": iso(ticket.handling_due_at),
        "address": scrub(ticket.address) or None,
        "address_id": None,
        "zipcode": None,
        "lat": ticket.latitude,
        "long": ticket.longitude,
        "media_url": photo_url(photo.pk, absolute) if photo else None,
    }
    if steps is not None:
        row["attributes"] = Many("attribute", _attribute_answers(ticket, steps))
        row["notes"] = Many("note", [_note(step, absolute) for step in steps])
    return row


def _attribute_answers(ticket: Ticket, steps: list[TicketStep]) -> list[Value]:
    """The answers given at registration to the service's attributes, in the attributes'
    order: one item per value (a multivaluelist answer gives several with the same code).
    Anything else kept with the registration is never shown."""
    registration = next((s for s in steps if s.action == StepAction.REGISTER), None)
    given = (registration.data.get("answers") or {}) if registration else {}
    if not isinstance(given, dict):
        return []
    items: list[Value] = []
    for attribute in category_attributes(ticket.category):
        answer = given.get(attribute.code)
        if not isinstance(answer, str) or not answer:
            continue
        many = attribute.datatype == "multivaluelist"
        names = dict(attribute.values)
        for value in answer.split(",") if many else [answer]:
            shown = names.get(value, value)
            items.append(
                {
                    "code": attribute.code,
                    "label": attribute.description,
                    "value": scrub(value),
                    "name": scrub(shown),
                }
            )
    return items


def _note(step: TicketStep, absolute: AbsoluteUrl) -> dict[str, Value]:
    return {
        "datetime": iso(step.at),
        "type": step.action,
        "status": _update_status(step),
        "description": _update_description(step),
        "media_url": _update_photo(step, absolute),
    }


# FixMyStreet's extended statuses, per public step.
UPDATE_STATUSES: dict[str, str] = {
    StepAction.REGISTER: "open",
    StepAction.DISPATCH: "in_progress",
    StepAction.SIGN: "in_progress",
    StepAction.START: "in_progress",
    StepAction.EXTENSION_DECISION: "action_scheduled",
    StepAction.REPLY: "in_progress",
    StepAction.SEND_BACK: "investigating",
    StepAction.REOPEN: "investigating",
    StepAction.CALLBACK: "in_progress",
    StepAction.ANSWER_DIRECTLY: "closed",
    StepAction.CLOSE: "closed",
    StepAction.MERGE: "duplicate",
}


def _update_description(step: TicketStep) -> str:
    """What the public may read about a step. Only the answers (reply, direct answer) are given
    in full; other steps are described by what happened, never by staff's free-text notes."""
    if step.action in (StepAction.REPLY, StepAction.ANSWER_DIRECTLY):
        return scrub(step.note)
    if step.action == StepAction.DISPATCH and step.department is not None:
        return f"已转交{step.department.name}办理"
    if step.action == StepAction.SIGN and step.department is not None:
        return f"{step.department.name}已签收"
    if step.action == StepAction.MERGE:
        return "与其他工单反映同一问题，已合并办理"
    if step.action == StepAction.SUPPLEMENT:
        return scrub(step.note)
    return str(StepAction(step.action).label) if step.action in StepAction.values else ""


def _update_status(step: TicketStep) -> str:
    status = UPDATE_STATUSES.get(step.action)
    if status is not None:
        return status
    if step.to_status == TicketStatus.CLOSED:
        return "closed"
    # A supplement leaves the status as it was: open until dispatched.
    return "open" if step.to_status == TicketStatus.RECEIVED else "in_progress"


def _update_photo(step: TicketStep, absolute: AbsoluteUrl) -> str | None:
    """A supplement's photo (its public copy); other steps carry none."""
    attachment = step.data.get("attachment") if step.action == StepAction.SUPPLEMENT else None
    return photo_url(attachment, absolute) if isinstance(attachment, int) else None


def request_update(step: TicketStep, absolute: AbsoluteUrl) -> dict[str, Value]:
    return {
        "update_id": str(step.pk),
        "service_request_id": step.ticket.number,
        "status": _update_status(step),
        "updated_datetime": iso(step.at),
        "description": _update_description(step),
        "media_url": _update_photo(step, absolute),
    }
