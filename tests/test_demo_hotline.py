"""The demo 12345 hotline: set-up, a few generated days of tickets (never a full year here),
their consistency, idempotency, and the learned dispatch model on them."""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from yiwang.hotline.classifier import train_dispatch_model
from yiwang.hotline.geometry import contains
from yiwang.hotline.models import (
    Area,
    Category,
    KnowledgeArticle,
    RoutingRule,
    Ticket,
    TicketAssignment,
    TicketCounter,
    TicketStep,
    TimeLimitRule,
)
from yiwang.hotline.selectors import (
    RepeatCandidate,
    RepeatIndex,
    area_at,
    limits_for,
    sign_due_after,
)
from yiwang.hotline.services import ticket_repeats_mark
from yiwang.hotline.services.closing import REOPEN_WITHIN_DAYS
from yiwang.hotline.workflow import (
    SATISFIED_LEVELS,
    AssignmentRole,
    StepAction,
    TicketStatus,
    TicketType,
    Urgency,
)
from yiwang.org.models import Region, RegionLevel
from yiwang.project.demo.context import DemoContext, DemoSummary
from yiwang.project.demo.hotline import build_areas, load_hotline, load_hotline_setup
from yiwang.project.demo.hotline_data import generator as generator_module
from yiwang.project.demo.hotline_data.generator import END_DAY, TicketGenerator
from yiwang.project.demo.loader import DEMO_STEPS

pytestmark = pytest.mark.django_db
SEED = 20261122
DAYS = 3


def context() -> DemoContext:
    return DemoContext(seed=SEED, stdout=io.StringIO(), summary=DemoSummary(seed=SEED))


def load_city(*, accounts: bool = False) -> None:
    wanted = {"regions", "departments", "calendar"} | (
        {"registry", "accounts"} if accounts else set()
    )
    ctx = context()
    with transaction.atomic():
        for step in DEMO_STEPS:
            if step.name in wanted:
                step.load(ctx)


def test_every_town_has_one_area_and_no_two_overlap():
    specs = build_areas(context().rng("hotline-areas"))
    load_city()
    towns = set(Region.objects.filter(level=RegionLevel.TOWN).values_list("code", flat=True))
    assert {s.region_code for s in specs} == towns
    for spec in specs:
        lngs = [p[0] for p in spec.polygon]
        lats = [p[1] for p in spec.polygon]
        centre = ((min(lngs) + max(lngs)) / 2, (min(lats) + max(lats)) / 2)
        inside = [s.region_code for s in specs if contains(s.polygon, *centre)]
        assert inside == [spec.region_code]
        assert 118.0 <= min(lngs) < max(lngs) <= 118.6
        assert 24.4 <= min(lats) < max(lats) <= 24.9


def test_the_setup_is_complete_and_loads_once():
    load_city()
    ctx = context()
    load_hotline_setup(ctx)
    leaves = Category.objects.filter(children__isnull=True)
    assert Category.objects.filter(level=1).count() >= 12
    assert 60 <= leaves.count() <= 80
    assert not leaves.filter(default_department__isnull=True).exists()
    assert Category.objects.get(name="停水").urgent_by_default
    assert next(q["key"] for q in Category.objects.get(name="拖欠工资").questions) == "employer"
    assert Area.objects.count() == Region.objects.filter(level=RegionLevel.TOWN).count()
    assert 25 <= RoutingRule.objects.count() <= 40
    assert RoutingRule.objects.filter(co_departments__isnull=False).distinct().count() >= 5
    assert KnowledgeArticle.objects.count() >= 80
    noise = Category.objects.get(name="社会生活噪声")
    assert (
        limits_for(
            ticket_type=TicketType.COMPLAINT, category=noise, urgency=Urgency.URGENT
        ).handling_value
        == 0
    )
    again = context()
    load_hotline_setup(again)
    assert set(again.summary.created().values()) == {0}


def test_a_few_days_of_tickets_are_consistent_and_generated_once(tmp_path, settings, monkeypatch):
    settings.DATA_DIR = tmp_path
    # Reopened tickets are rare (0.6 %); more of them here, so that a few days show some.
    monkeypatch.setattr(generator_module, "REOPEN_SHARE", 0.3)
    load_city(accounts=True)
    ctx = context()
    with transaction.atomic():
        load_hotline(ctx, days=DAYS, train=False)
    tickets = list(Ticket.objects.all())
    # Volume and mix (Huai'an: 739 a day, 77.88 % answered directly).
    assert 0.75 * 739 * DAYS <= len(tickets) <= 1.25 * 739 * DAYS
    direct = sum(t.direct_answer for t in tickets) / len(tickets)
    assert 0.70 <= direct <= 0.85
    rated = [t for t in tickets if t.satisfaction]
    assert rated
    assert sum(t.satisfaction in SATISFIED_LEVELS for t in rated) / len(rated) >= 0.85
    channels = Counter(t.channel for t in tickets)
    assert 0.5 <= channels["phone"] / len(tickets) <= 0.7
    assert {"app", "web", "wechat"} <= set(channels)
    # Numbers: <region 6><yyyymmdd><6 digits>, per local day in order, counters at the last.
    per_day: dict[date, list[int]] = defaultdict(list)
    for t in tickets:
        assert re.fullmatch(r"359900\d{14}", t.number)
        day = timezone.localtime(t.received_at).date()
        assert t.number[6:14] == f"{day:%Y%m%d}"
        per_day[day].append(int(t.number[14:]))
    assert len(per_day) == DAYS
    assert max(per_day) == END_DAY
    for day, numbers in per_day.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert TicketCounter.objects.get(region_code="359900", day=day).last == len(numbers)
    # Statuses agree with the history.
    steps: dict[int, list[TicketStep]] = defaultdict(list)
    for step in TicketStep.objects.order_by("at", "id"):
        steps[step.ticket_id].append(step)
    assignments: dict[int, list[TicketAssignment]] = defaultdict(list)
    for a in TicketAssignment.objects.all():
        assignments[a.ticket_id].append(a)
    statuses = Counter(t.status for t in tickets)
    assert statuses[TicketStatus.CLOSED] > statuses[TicketStatus.HANDLING] > 0
    assert statuses[TicketStatus.MERGED] > 0
    for t in tickets:
        history = steps[t.pk]
        assert history[0].action == StepAction.REGISTER
        assert history[0].at == t.received_at
        moves = [s for s in history if s.to_status and t.pk == s.ticket_id]
        assert moves[-1].to_status == t.status
        assert all(a.at <= b.at for a, b in itertools.pairwise(history))
        if t.status == TicketStatus.CLOSED:
            assert t.closed_at is not None
            assert t.closed_at == moves[-1].at
        else:
            assert t.closed_at is None
        if t.direct_answer:
            assert not assignments[t.pk]
            assert t.status == TicketStatus.CLOSED
        if t.status == TicketStatus.MERGED:
            assert t.master_id is not None
            assert not assignments[t.pk]
        if t.status in (TicketStatus.SIGNED, TicketStatus.HANDLING, TicketStatus.REPLIED):
            [lead] = [a for a in assignments[t.pk] if a.is_active and a.role == AssignmentRole.LEAD]
            assert lead.department_id == t.lead_department_id
            assert lead.signed_at is not None
        if t.replied_at is not None and t.replied_on_time is not None:
            assert t.handling_due_at is not None
            assert t.replied_on_time == (t.replied_at <= t.handling_due_at) or t.rework_count
        if t.latitude is not None:
            assert area_at(t.longitude, t.latitude) == t.area
    # Reopened: only a closed ticket, within the reopening window, back to its lead unit.
    reopened = 0
    for t in tickets:
        for before, step in itertools.pairwise(steps[t.pk]):
            if step.action != StepAction.REOPEN:
                continue
            reopened += 1
            assert before.action == StepAction.CLOSE
            assert step.at - before.at <= timedelta(days=REOPEN_WITHIN_DAYS)
            assert step.to_status == TicketStatus.HANDLING
            assert step.department_id == t.lead_department_id
    assert reopened > 0
    # Repeat complaints are decided as at registration: the closures in force then, read back
    # from the history (a reopen ends one), fed in the order received.
    index = RepeatIndex()
    repeats = 0
    for t in sorted(tickets, key=lambda t: (t.received_at, t.pk)):
        closures: list[tuple[datetime, datetime | None]] = []
        for step in steps[t.pk]:
            if step.to_status == TicketStatus.CLOSED:
                closures.append((step.at, None))
            elif step.action == StepAction.REOPEN:
                closures[-1] = (closures[-1][0], step.at)
        candidate = RepeatCandidate(
            t.pk,
            t.received_at,
            t.category_id,
            t.latitude,
            t.longitude,
            t.reporter_phone_index,
            t.reporter_user_id,
            tuple(closures) if t.status != TicketStatus.MERGED else (),
        )
        assert t.repeat_of_id == index.find(candidate), t.number
        repeats += t.repeat_of_id is not None
        index.add(candidate)
    assert repeats > 0
    # The bulk marker reads only the stored (last) closure: it agrees but where the earlier
    # ticket it found or the one registration found was reopened.
    reopened_ids = {
        s.ticket_id for history in steps.values() for s in history if s.action == StepAction.REOPEN
    }
    stored = dict(Ticket.objects.values_list("pk", "repeat_of_id"))
    ticket_repeats_mark()
    for pk, marked in Ticket.objects.values_list("pk", "repeat_of_id"):
        if marked != stored[pk]:
            assert {marked, stored[pk]} & reopened_ids, pk
    # Sign-for limits: working hours as `sign_due_after`, clock hours for urgent tickets.
    by_id = {t.pk: t for t in tickets}
    for ticket_id, rows in assignments.items():
        t = by_id[ticket_id]
        limits = limits_for(ticket_type=t.ticket_type, category=t.category, urgency=t.urgency)
        for a in rows:
            assert a.sign_due_at == sign_due_after(
                a.dispatched_at, limits.sign_hours, urgency=t.urgency, region_code=t.region_code
            )
    # The demo citizen and the demo enterprise have tickets of their own.
    assert Ticket.objects.filter(reporter_user__username="citizen").exists()
    assert Ticket.objects.filter(channel="enterprise", flag_for_leader=True).exists()
    # Once per period.
    total, steps_total = Ticket.objects.count(), TicketStep.objects.count()
    again = context()
    load_hotline(again, days=DAYS, train=False)
    assert again.summary.created()["12345 工单"] == 0
    assert (Ticket.objects.count(), TicketStep.objects.count()) == (total, steps_total)
    # The generator's time limits are `limits_for`'s.
    generator = TicketGenerator(rng=ctx.rng("x"), units={}, as_of=timezone.now(), region="359900")
    for info in generator.leaves[::7]:
        for ticket_type in (TicketType.CONSULTATION, TicketType.COMPLAINT, TicketType.REPORT):
            for urgency in (Urgency.NORMAL, Urgency.URGENT):
                assert generator.limits(ticket_type, info, urgency) == limits_for(
                    ticket_type=ticket_type, category=info.category, urgency=urgency
                )
    assert TimeLimitRule.objects.count() >= 5
    # The dispatch model learns from these days and beats the majority baseline.
    run = train_dispatch_model(directory=tmp_path)
    assert run is not None
    assert run.n_test > 50
    assert run.top1_accuracy > run.baseline_accuracy + 0.3
    assert run.top3_accuracy >= run.top1_accuracy
