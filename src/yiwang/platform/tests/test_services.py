from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from yiwang.platform import crypto
from yiwang.platform.errors import InvalidInput
from yiwang.platform.logging import request_id_var
from yiwang.platform.models import (
    AuditEntry,
    SandboxEnterpriseRecord,
    SandboxPersonRecord,
    WorkerHeartbeat,
)
from yiwang.platform.selectors import audit_entries_about, worker_heartbeat_age_seconds
from yiwang.platform.services import (
    SandboxEnterpriseData,
    SandboxPersonData,
    audit_record,
    sandbox_registry_add_enterprises,
    sandbox_registry_add_people,
    worker_heartbeat_beat,
)
from yiwang.platform.tests.factories import citizen_id, make_user, uscc

pytestmark = pytest.mark.django_db


# --- Audit trail ------------------------------------------------------------------------------


def test_audit_entry_records_actor_target_and_request():
    clerk = make_user()
    subject = make_user()
    token = request_id_var.set("req-42")
    try:
        entry = audit_record(
            actor=clerk,
            action="identity.person.citizen_id_viewed",
            target=subject,
            summary="查看完整身份证号码",
            details={"reason": "窗口核验"},
        )
    finally:
        request_id_var.reset(token)
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_id == clerk.pk
    assert entry.actor_label == clerk.username
    assert entry.target_type == "identity.user"
    assert entry.target_id == str(subject.pk)
    assert entry.request_id == "req-42"
    assert entry.details == {"reason": "窗口核验"}
    assert list(audit_entries_about(subject)) == [entry]


def test_system_and_anonymous_actions_have_no_actor():
    assert audit_record(actor=None, action="platform.keys.rotated").actor_id is None
    anonymous = audit_record(actor=AnonymousUser(), action="portal.search")
    assert (anonymous.actor_id, anonymous.actor_label, anonymous.request_id) == (None, "", "")


def test_audit_details_and_summary_never_keep_an_id_number_or_phone_in_clear():
    entry = audit_record(
        actor=None,
        action="test",
        summary="核验 11010519491231002X 13812345678",
        details={"nested": ["11010519491231002X", {"phone": "13812345678"}], "count": 3},
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert "11010519491231002X" not in entry.summary
    assert "13812345678" not in str(entry.details)
    assert entry.details["count"] == 3


def test_audit_summary_is_cut_to_two_hundred_characters():
    assert len(audit_record(actor=None, action="x", summary="长" * 300).summary) == 200


def test_audit_entries_cannot_be_changed_or_deleted():
    entry = audit_record(actor=None, action="x")
    entry.summary = "改写"
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="改写")
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


# --- Worker heartbeat -------------------------------------------------------------------------


def test_heartbeat_keeps_one_row_per_worker_and_makes_it_fresh():
    worker_heartbeat_beat(worker="host-1")
    worker_heartbeat_beat(worker="host-1")
    worker_heartbeat_beat(worker="host-2")
    assert WorkerHeartbeat.objects.count() == 2
    age = worker_heartbeat_age_seconds()
    assert age is not None
    assert age < 5


# --- Sandbox registries -----------------------------------------------------------------------


def test_people_are_added_once_with_facts_read_from_the_id_number():
    women = citizen_id(2, born=date(1985, 2, 28))
    people = [SandboxPersonData(name="王芳", citizen_id=women)]
    assert sandbox_registry_add_people(people) == 1
    assert sandbox_registry_add_people(people) == 0
    assert sandbox_registry_add_people(people * 2) == 0
    record = SandboxPersonRecord.objects.get()
    assert (record.gender, record.birth_date, record.region_code) == (
        "female",
        date(1985, 2, 28),
        "350402",
    )
    assert record.citizen_id == women
    assert record.citizen_id_index == crypto.blind_index(women, purpose="citizen_id")


def test_person_with_a_malformed_id_number_is_refused():
    with pytest.raises(InvalidInput):
        sandbox_registry_add_people([SandboxPersonData(name="x", citizen_id="123")])


def test_enterprises_are_added_once_per_uscc():
    data = SandboxEnterpriseData(
        name="示例公司",
        uscc=uscc().lower(),
        legal_representative_name="张三",
        legal_representative_citizen_id=citizen_id(11),
        registered_on=date(2020, 1, 1),
        address="三明市梅列区",
    )
    assert sandbox_registry_add_enterprises([data, data]) == 1
    assert sandbox_registry_add_enterprises([data]) == 0
    record = SandboxEnterpriseRecord.objects.get()
    assert record.uscc == uscc()
    assert record.region_code == "350400"
    assert record.legal_representative_citizen_id_index == crypto.blind_index(
        citizen_id(11), purpose="citizen_id"
    )


def test_bulk_registry_load_works_across_batches():
    people = [SandboxPersonData(name=f"居民{n}", citizen_id=citizen_id(n)) for n in range(1000)]
    assert sandbox_registry_add_people(people) == 1000
    assert sandbox_registry_add_people(people) == 0
