"""Hotline objects as GeoReport v2 values (DOMAIN §8 mapping). Free text that reaches the public
(description, reply, address) goes through the personal-data scrubber as a safety net: anything
shaped like a mobile or citizen ID number is masked."""

from __future__ import annotations

from collections.abc import Callable

from yiwang.hotline.models import Category, Ticket, TicketStep
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


def service_request(ticket: Ticket, absolute: AbsoluteUrl) -> dict[str, Value]:
    is_open = request_is_open(ticket)
    photo = first_public_photo(ticket)
    return {
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
        "media_url": absolute(photo.public_file.url) if photo else None,
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
    return str(StepAction(step.action).label) if step.action in StepAction.values else ""


def request_update(step: TicketStep) -> dict[str, Value]:
    status = UPDATE_STATUSES.get(step.action)
    if status is None:
        status = "closed" if step.to_status == TicketStatus.CLOSED else "in_progress"
    return {
        "update_id": str(step.pk),
        "service_request_id": step.ticket.number,
        "status": status,
        "updated_datetime": iso(step.at),
        "description": _update_description(step),
        "media_url": None,
    }
