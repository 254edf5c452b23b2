"""`yiwang hotline_mark_repeats`: decide again, for every stored ticket, which earlier ticket it
repeats (`Ticket.repeat_of`, the repeat-complaint metric).

Tickets registered through the service are marked at registration, and the demo generator marks
its own; run this after importing tickets some other way, or after changing
`HOTLINE_REPEAT_WINDOW_DAYS` or `HOTLINE_REPEAT_RADIUS_M` (which otherwise apply only to tickets
registered from then on). About 20 s for a year of a city's tickets (269,000) on SQLite.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.hotline.services.repeats import ticket_repeats_mark
from yiwang.platform.services import audit_record


class Command(BaseCommand):
    help = "重新判定每张工单是否为重复投诉（重复诉求的前一工单）。"

    def handle(self, *args: Any, **options: Any) -> None:
        changed = ticket_repeats_mark()
        audit_record(actor=None, action="hotline.repeats.marked", summary=f"{changed}")
        self.stdout.write(f"已重新判定重复投诉，{changed} 张工单有变化。")
