"""Writes of the hotline. Import from here: `from yiwang.hotline.services import ...`."""

from yiwang.hotline.services.alerts import hotspot_alert_check
from yiwang.hotline.services.closing import (
    ticket_callback,
    ticket_leader_read,
    ticket_merge,
    ticket_reopen,
    ticket_review,
)
from yiwang.hotline.services.dispatch import (
    ticket_dispatch,
    ticket_dispatch_by_rules,
    ticket_escalate,
    ticket_release_contact,
    ticket_return,
)
from yiwang.hotline.services.handling import (
    ticket_co_report,
    ticket_extension_decide,
    ticket_extension_request,
    ticket_reply,
    ticket_sign,
    ticket_start,
)
from yiwang.hotline.services.intake import (
    TicketIntake,
    contact_record_unregistered,
    ticket_answer_directly,
    ticket_register,
)
from yiwang.hotline.services.open311 import (
    Open311Sender,
    Open311UpdateIn,
    PostedUpdate,
    open311_request_submit,
    open311_update_post,
)
from yiwang.hotline.services.open311_keys import (
    IssuedKey,
    open311_key_check,
    open311_key_issue,
    open311_key_register,
    open311_key_revoke,
)
from yiwang.hotline.services.reminders import tickets_remind_due
from yiwang.hotline.services.repeats import ticket_repeats_mark
from yiwang.hotline.services.reporter import ticket_attach_photo, ticket_rate_by_reporter

__all__ = [
    "IssuedKey",
    "Open311Sender",
    "Open311UpdateIn",
    "PostedUpdate",
    "TicketIntake",
    "contact_record_unregistered",
    "hotspot_alert_check",
    "open311_key_check",
    "open311_key_issue",
    "open311_key_register",
    "open311_key_revoke",
    "open311_request_submit",
    "open311_update_post",
    "ticket_answer_directly",
    "ticket_attach_photo",
    "ticket_callback",
    "ticket_co_report",
    "ticket_dispatch",
    "ticket_dispatch_by_rules",
    "ticket_escalate",
    "ticket_extension_decide",
    "ticket_extension_request",
    "ticket_leader_read",
    "ticket_merge",
    "ticket_rate_by_reporter",
    "ticket_register",
    "ticket_release_contact",
    "ticket_reopen",
    "ticket_repeats_mark",
    "ticket_reply",
    "ticket_return",
    "ticket_review",
    "ticket_sign",
    "ticket_start",
    "tickets_remind_due",
]
