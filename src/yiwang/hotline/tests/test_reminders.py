from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.hotline.models import TicketAssignment, TicketStep
from yiwang.hotline.services import ticket_dispatch, tickets_remind_due
from yiwang.hotline.tests.factories import make_hotline, report
from yiwang.hotline.workflow import StepAction
from yiwang.platform.clock import announce

pytestmark = pytest.mark.django_db


def _reminders() -> list[tuple[str, str]]:
    return list(
        TicketStep.objects.filter(action=StepAction.REMIND, data__kind__isnull=False)
        .order_by("id")
        .values_list("data__kind", "note")
    )


def test_units_are_reminded_once_before_the_due_time_and_once_when_overdue():
    setup = make_hotline()
    soon = report(setup)
    later = report(setup)
    ticket_dispatch(ticket=soon, lead=setup.roads, actor=setup.dispatcher)
    ticket_dispatch(ticket=later, lead=setup.lights, actor=setup.dispatcher)
    now = timezone.now()
    TicketAssignment.objects.filter(ticket=soon).update(handling_due_at=now + timedelta(hours=5))
    TicketAssignment.objects.filter(ticket=later).update(handling_due_at=now + timedelta(days=4))
    assert tickets_remind_due(now=now) == (1, 0)
    assert tickets_remind_due(now=now + timedelta(hours=1)) == (0, 0)
    assert tickets_remind_due(now=now + timedelta(hours=6)) == (0, 1)
    assert _reminders() == [
        ("due_soon", "示范市城市管理局：距办理期限不足一天，请按时办理"),
        ("overdue", "示范市城市管理局：已超过办理期限，请尽快办理并答复"),
    ]


def test_the_daily_clock_runs_the_reminders():
    setup = make_hotline()
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    TicketAssignment.objects.filter(ticket=ticket).update(
        handling_due_at=timezone.now() - timedelta(minutes=1)
    )
    announce(timezone.localdate())
    assert [kind for kind, _ in _reminders()] == ["overdue"]
