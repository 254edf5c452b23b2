"""Raising the live hotspot alert after a registration (the rule: `selectors.alerts`).

Called by the `TicketRegistered` handler once the registration has committed, so intake pays
one light read of the ticket and one aggregate count (the alert adds nothing to the
registration's own transaction). When the count reaches the threshold, one SMS goes to the duty
phone (`settings.HOTLINE_DUTY_PHONE`) through the outbox, with a dedupe key per area × top-level
category × clock-aligned window: every further report of the storm finds the key taken. A storm
that outlasts its window sends again at most once per window (the duty officer hears that it
goes on), but a burst that merely straddles two windows does not: a message of the previous
window younger than one window counts as already sent. The outbox rows are the record; there
is no alert model.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.hotline.events import HotspotAlertRaised
from yiwang.hotline.models import Ticket
from yiwang.hotline.selectors.alerts import (
    alert_threshold,
    alert_window,
    hotspot_count,
    top_category,
)
from yiwang.platform.events import publish
from yiwang.platform.models import OutboxMessage
from yiwang.platform.services import audit_record, outbox_enqueue

log = logging.getLogger("yiwang.hotline")


def hotspot_dedupe_key(*, area_id: int, category_id: int, at: datetime) -> str:
    """`hotline:hotspot:<area>:<top category>:<window number>`, windows counted from the epoch."""
    window = int(alert_window().total_seconds())
    return f"hotline:hotspot:{area_id}:{category_id}:{int(at.timestamp()) // window}"


def _already_sent(*, area_id: int, category_id: int, at: datetime) -> bool:
    key = hotspot_dedupe_key(area_id=area_id, category_id=category_id, at=at)
    previous = hotspot_dedupe_key(area_id=area_id, category_id=category_id, at=at - alert_window())
    sent = dict(
        OutboxMessage.objects.filter(dedupe_key__in=[key, previous]).values_list(
            "dedupe_key", "created_at"
        )
    )
    if key in sent:
        return True
    return previous in sent and sent[previous] > at - alert_window()


def hotspot_alert_check(*, ticket_id: int, now: datetime | None = None) -> bool:
    """Does the newly registered ticket make its area × top-level category a hotspot? If so,
    tell the duty phone (once per storm), write the audit trail and publish
    `HotspotAlertRaised`; without a duty phone the banner alone tells the centre. Returns
    whether the area is a hotspot now. A ticket registered over a window ago (an import) is
    no news."""
    now = now or timezone.now()
    ticket = (
        Ticket.objects.select_related("area", "category__parent__parent")
        .only(
            "received_at",
            "area__name",
            "category__name",
            "category__parent__name",
            "category__parent__parent__name",
        )
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None or ticket.area is None or ticket.received_at <= now - alert_window():
        return False
    category = top_category(ticket.category)
    found = hotspot_count(area_id=ticket.area.pk, category_id=category.pk, until=ticket.received_at)
    if found.count < alert_threshold() or found.first_at is None:
        return False
    area_id, category_id, at = ticket.area.pk, category.pk, ticket.received_at
    if not settings.HOTLINE_DUTY_PHONE:
        return True  # no duty phone configured: the banner is the whole alert
    if _already_sent(area_id=area_id, category_id=category_id, at=at):
        return True
    minutes = settings.HOTLINE_HOTSPOT_ALERT_MINUTES
    body = _(
        "【12345】热点预警：%(area)s“%(category)s”类诉求%(minutes)d分钟内已有%(count)d件"
        "（%(first)s起），请值班人员关注并协调处置。"
    ) % {
        "area": ticket.area.name,
        "category": category.name,
        "minutes": minutes,
        "count": found.count,
        "first": timezone.localtime(found.first_at).strftime("%H:%M"),
    }
    with transaction.atomic():
        outbox_enqueue(
            channel="sms",
            recipient=settings.HOTLINE_DUTY_PHONE,
            body=body,
            template="hotline_hotspot",
            dedupe_key=hotspot_dedupe_key(area_id=area_id, category_id=category_id, at=at),
        )
        audit_record(
            actor=None,
            action="hotline.hotspot.alerted",
            target=ticket.area,
            summary=_("%(area)s“%(category)s”%(minutes)d分钟内%(count)d件")
            % {
                "area": ticket.area.name,
                "category": category.name,
                "minutes": minutes,
                "count": found.count,
            },
            details={"category": category_id, "ticket": ticket_id, "count": found.count},
        )
        publish(HotspotAlertRaised(area_id, category_id, found.count, found.first_at, at))
    log.info(
        "hotspot alert",
        extra={"area": area_id, "category": category_id, "count": found.count},
    )
    return True
