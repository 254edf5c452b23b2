"""Bundles (一件事): lead department, a promise of at most 45 working days, publication."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from yiwang.catalog import services
from yiwang.catalog.events import BundlePublished, BundleWithdrawn
from yiwang.catalog.models import Bundle, BundleMember
from yiwang.catalog.tests.factories import (
    make_bundle,
    make_department,
    make_draft_version,
    make_published_version,
)
from yiwang.platform.errors import Conflict, InvalidInput, RuleViolated
from yiwang.platform.events import subscribe, unsubscribe
from yiwang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def received() -> Iterator[list[object]]:
    events: list[object] = []
    for event_type in (BundlePublished, BundleWithdrawn):
        subscribe(event_type)(events.append)
    yield events
    for event_type in (BundlePublished, BundleWithdrawn):
        unsubscribe(event_type, events.append)


def test_a_bundle_promising_more_than_45_working_days_is_refused():
    with pytest.raises(InvalidInput) as refused:
        make_bundle(promised_total_working_days=46)
    assert [e.field for e in refused.value.errors] == ["promised_total_working_days"]
    assert "45" in refused.value.errors[0].message
    assert not Bundle.objects.exists()


def test_a_bundle_needs_a_lead_department():
    with pytest.raises(InvalidInput) as refused:
        services.bundle_create(
            code="b-1",
            name="新生儿出生一件事",
            audience="person",
            lead_department=None,
            promised_total_working_days=10,
            by=None,
        )
    assert [e.field for e in refused.value.errors] == ["lead_department"]


def test_bundle_codes_are_unique():
    bundle = make_bundle()
    with pytest.raises(Conflict):
        make_bundle(code=bundle.code)


def test_publishing_a_bundle_lists_every_violation():
    lead = make_department()
    draft_only = make_draft_version(department=make_department())
    bundle = make_bundle(members=[make_published_version(department=lead)], lead_department=lead)
    services.bundle_set_members(
        bundle=bundle,
        by=None,
        rows=[{"item": m.item} for m in bundle.members.all()] + [{"item": draft_only.item}],
    )
    with pytest.raises(RuleViolated) as refused:
        services.bundle_publish(bundle=bundle, by=None)
    assert [e.field for e in refused.value.errors] == ["members", "supporting_departments"]
    bundle.refresh_from_db()
    assert not bundle.is_published


def test_a_complete_bundle_publishes_and_is_announced(received, django_capture_on_commit_callbacks):
    first, second = make_published_version(), make_published_version()
    bundle = make_bundle(members=[first, second])
    services.bundle_set_members(
        bundle=bundle,
        by=None,
        rows=[
            {"item": first.item, "parallel_group": 1},
            {"item": second.item, "parallel_group": 2, "depends_on": [first.item]},
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.bundle_publish(bundle=bundle, by=None)
    bundle.refresh_from_db()
    assert bundle.is_published
    assert received == [BundlePublished(bundle.pk)]
    second_member = BundleMember.objects.get(bundle=bundle, item=second.item)
    assert [m.item for m in second_member.depends_on.all()] == [first.item]
    assert AuditEntry.objects.filter(action="catalog.bundle.published").count() == 1


def test_a_published_bundle_cannot_be_edited_into_an_unpublishable_one():
    bundle = make_bundle()
    services.bundle_publish(bundle=bundle, by=None)
    with pytest.raises(RuleViolated):
        services.bundle_update(bundle=bundle, by=None, supporting_departments=[])
    with pytest.raises(InvalidInput):
        services.bundle_update(bundle=bundle, by=None, promised_total_working_days=50)
    bundle.refresh_from_db()
    assert bundle.promised_total_working_days == 15
    assert bundle.supporting_departments.count() == 1


def test_withdrawing_a_bundle(received, django_capture_on_commit_callbacks):
    bundle = make_bundle()
    services.bundle_publish(bundle=bundle, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.bundle_withdraw(bundle=bundle, by=None, reason="政策调整")
    bundle.refresh_from_db()
    assert not bundle.is_published
    assert BundleWithdrawn(bundle.pk) in received


def test_a_member_may_not_be_added_twice():
    version = make_published_version()
    with pytest.raises(InvalidInput):
        make_bundle(members=[version, version])
