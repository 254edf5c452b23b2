"""Items and their guide versions: create, edit drafts, revise, publish, retire."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.catalog import services
from yiwang.catalog.events import ServiceItemPublished, ServiceItemVersionRetired
from yiwang.catalog.models import (
    FeeItem,
    HandlingItem,
    MaterialRequirement,
    ServiceItem,
    ServiceItemVersion,
    SpecialStep,
)
from yiwang.catalog.tests.factories import (
    make_basic_item,
    make_department,
    make_draft_version,
    make_published_version,
    make_theme,
    make_user,
    new_implementation_code,
)
from yiwang.platform.errors import Conflict, InvalidInput, InvalidTransition, RuleViolated
from yiwang.platform.events import subscribe, unsubscribe
from yiwang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def received() -> Iterator[list[object]]:
    events: list[object] = []
    for event_type in (ServiceItemPublished, ServiceItemVersionRetired):
        subscribe(event_type)(events.append)
    yield events
    for event_type in (ServiceItemPublished, ServiceItemVersionRetired):
        unsubscribe(event_type, events.append)


def fresh(version: ServiceItemVersion) -> ServiceItemVersion:
    return ServiceItemVersion.objects.get(pk=version.pk)


# --- Creating -------------------------------------------------------------------------------------


def test_creating_an_item_makes_its_first_version_a_draft():
    manager = make_user()
    version = make_draft_version(by=manager, name="食品经营许可（新办）")

    assert version.number == 1
    assert version.status == "draft"
    assert version.created_by == manager
    assert version.item.live_version is None
    assert version.materials.count() == 3
    assert [s.name for s in version.procedure_steps.all()] == [
        "受理",
        "审核",
        "审批",
        "办结",
        "送达",
    ]
    entry = AuditEntry.objects.get(action="catalog.item.created")
    assert entry.actor_id == manager.pk
    assert entry.target_id == str(version.item.pk)


def test_the_case_type_follows_the_promised_limit_when_not_given():
    department = make_department()
    basic = make_basic_item(item_type="20", name="社保卡补领")
    version = services.service_item_create(
        basic_item=basic,
        implementation_code=new_implementation_code(basic, department, department.region),
        department=department,
        region=department.region,
        exercise_level="3",
        by=None,
        promised_limit_value=0,
    )
    assert version.name == "社保卡补领"
    assert version.item_type == "20"
    assert version.case_type == "1"


def test_a_taken_implementation_code_is_a_conflict_and_nothing_is_written():
    version = make_draft_version()
    item = version.item
    with pytest.raises(Conflict) as refused:
        services.service_item_create(
            basic_item=item.basic_item,
            implementation_code=item.implementation_code,
            department=item.department,
            region=item.region,
            exercise_level="3",
            by=None,
        )
    assert refused.value.errors[0].field == "implementation_code"
    assert ServiceItem.objects.count() == 1


def test_every_bad_field_of_a_new_item_is_reported_and_nothing_is_written():
    department = make_department()
    basic = make_basic_item()
    with pytest.raises(InvalidInput) as refused:
        services.service_item_create(
            basic_item=basic,
            implementation_code=new_implementation_code(basic, department, department.region),
            department=department,
            region=department.region,
            exercise_level="3",
            by=None,
            case_type="7",
            service_objects=["1", "8"],
            name="名" * 201,
            colour="blue",
        )
    assert {e.field for e in refused.value.errors} == {"colour"}
    with pytest.raises(InvalidInput) as refused:
        services.service_item_create(
            basic_item=basic,
            implementation_code=new_implementation_code(basic, department, department.region),
            department=department,
            region=department.region,
            exercise_level="3",
            by=None,
            case_type="7",
            service_objects=["1", "8"],
            name="名" * 201,
            materials=[{"name": "身份证", "necessity": "maybe"}],
        )
    assert {e.field for e in refused.value.errors} == {"case_type", "service_objects", "name"}
    assert not ServiceItem.objects.exists()
    assert not ServiceItemVersion.objects.exists()


def test_a_bad_material_row_is_named_by_its_position_and_column():
    version = make_draft_version()
    with pytest.raises(InvalidInput) as refused:
        services.version_set_materials(
            version=version, by=None, rows=[{"name": "身份证"}, {"name": "", "necessity": "maybe"}]
        )
    assert {e.field for e in refused.value.errors} == {"materials.1.name", "materials.1.necessity"}
    assert version.materials.count() == 3


# --- Editing drafts -------------------------------------------------------------------------------


def test_a_draft_can_be_edited_and_the_edit_is_audited():
    version = make_draft_version()
    editor = make_user()
    theme = make_theme(audience="person")

    services.version_update(
        version=version, by=editor, promised_limit_value=5, address="新地址", themes=[theme]
    )

    version = fresh(version)
    assert version.promised_limit_value == 5
    assert list(version.themes.all()) == [theme]
    entry = AuditEntry.objects.get(action="catalog.version.updated")
    assert entry.actor_id == editor.pk
    assert entry.details["fields"] == ["promised_limit_value", "address", "themes"]


def test_unknown_or_bookkeeping_fields_cannot_be_set():
    version = make_draft_version()
    with pytest.raises(InvalidInput) as refused:
        services.version_update(version=version, by=None, status="published", number=9)
    assert {e.field for e in refused.value.errors} == {"status", "number"}
    assert fresh(version).status == "draft"


def test_a_published_version_is_immutable():
    version = make_published_version()
    before = fresh(version)

    with pytest.raises(RuleViolated) as refused:
        services.version_update(version=version, by=None, name="改名")
    assert refused.value.code == "version_immutable"
    assert "新建修订版本" in refused.value.message
    with pytest.raises(RuleViolated):
        services.version_set_materials(version=version, by=None, rows=[])
    with pytest.raises(RuleViolated):
        services.version_set_faqs(version=version, by=None, rows=[])

    after = fresh(version)
    assert after.name == before.name
    assert after.materials.count() == 3
    assert after.faqs.count() == 1


def test_children_of_a_draft_are_replaced():
    version = make_draft_version(
        charged=True, fee_basis="价费字〔2003〕", online_payment_supported=True
    )
    services.version_set_fees(
        version=version,
        by=None,
        rows=[
            {"name": "工本费", "standard": "每证10元", "amount_yuan": "10.00", "basis": "价费字"}
        ],
    )
    services.version_set_special_steps(
        version=version,
        by=None,
        rows=[{"name": "现场核查", "limit_value": 5, "limit_unit": "WD"}],
    )
    services.version_set_handling_items(
        version=version,
        by=None,
        rows=[{"code": "X-1", "name": "食品经营许可（新办）", "kind": "new"}],
    )
    services.version_set_procedure(
        version=version,
        by=None,
        rows=[{"name": n} for n in ["受理", "审核", "审批", "办结", "送达"]],
    )
    assert [f.name for f in version.fees.all()] == ["工本费"]
    assert version.special_steps.get().counts_in_limit is False
    assert [s.order for s in version.procedure_steps.all()] == [1, 2, 3, 4, 5]
    assert AuditEntry.objects.filter(action="catalog.version.children_replaced").count() == 4


# --- Publishing -----------------------------------------------------------------------------------


def test_publishing_is_refused_with_every_violation_and_nothing_changes(
    received, django_capture_on_commit_callbacks
):
    version = make_draft_version(
        online_depth=4, visit_count=2, charged=True, complaint_phone="0599-12345678"
    )
    services.version_set_faqs(version=version, by=None, rows=[])
    audit_before = AuditEntry.objects.count()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuleViolated) as refused,
    ):
        services.version_publish(version=version, by=None)

    assert refused.value.code == "publication_refused"
    assert [e.field for e in refused.value.errors] == [
        "visit_count",
        "fee_basis",
        "fees",
        "online_payment_supported",
        "faqs",
        "complaint_phone",
    ]
    assert "6 处不符合发布规则" in refused.value.message
    version = fresh(version)
    assert version.status == "draft"
    assert version.published_at is None
    assert version.item.live_version is None
    assert AuditEntry.objects.count() == audit_before
    assert received == []


def test_a_fixed_draft_publishes_and_goes_live(received, django_capture_on_commit_callbacks):
    publisher = make_user()
    version = make_draft_version(online_depth=4, visit_count=2)
    with pytest.raises(RuleViolated):
        services.version_publish(version=version, by=publisher)

    services.version_update(version=version, by=publisher, visit_count=0, courier_supported=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.version_publish(version=version, by=publisher)
        assert received == []  # nothing is told before the commit

    version = fresh(version)
    assert version.status == "published"
    assert version.published_by == publisher
    assert version.valid_from == version.published_at
    assert version.item.live_version == version
    assert len(callbacks) >= 1
    assert received == [ServiceItemPublished(version.item.pk, version.pk, None)]
    entry = AuditEntry.objects.get(action="catalog.version.published")
    assert entry.actor_id == publisher.pk
    assert entry.summary.startswith("发布第1版")


def test_only_drafts_are_published():
    version = make_published_version()
    with pytest.raises(InvalidTransition):
        services.version_publish(version=version, by=None)


def test_a_second_publication_retires_the_first_and_moves_the_live_version(
    received, django_capture_on_commit_callbacks
):
    first = make_published_version()
    item = first.item
    draft = services.version_draft_from(item=item, by=None)
    services.version_update(
        version=draft, by=None, promised_limit_value=5, change_note="承诺时限压缩至5个工作日"
    )
    services.version_set_materials(
        version=draft, by=None, rows=[{"name": "食品经营许可申请书"}, {"name": "场所平面图"}]
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.version_publish(version=draft, by=None)

    first, second = fresh(first), fresh(draft)
    item.refresh_from_db()
    assert first.status == "retired"
    assert second.status == "published"
    assert first.valid_to == second.valid_from  # windows touch, never overlap
    assert item.live_version == second
    assert received == [ServiceItemPublished(item.pk, second.pk, first.pk)]
    entry = AuditEntry.objects.filter(action="catalog.version.published").latest("pk")
    assert "承诺办结时限" in entry.summary
    assert "申请材料" in entry.summary
    changed = {c["field"] for c in entry.details["changes"]}
    assert {"promised_limit_value", "materials"} <= changed
    assert entry.details["previous_version_id"] == first.pk


# --- Revising -------------------------------------------------------------------------------------


def test_a_new_draft_copies_the_live_version_and_every_child():
    theme = make_theme(audience="enterprise")
    version = make_draft_version(
        themes=[theme],
        charged=True,
        fee_basis="价费字〔2003〕",
        online_payment_supported=True,
    )
    services.version_set_fees(
        version=version,
        by=None,
        rows=[{"name": "工本费", "standard": "每证10元", "basis": "价费字", "waivable": True}],
    )
    services.version_set_special_steps(
        version=version, by=None, rows=[{"name": "专家评审", "limit_value": 15, "limit_unit": "WD"}]
    )
    services.version_set_handling_items(
        version=version, by=None, rows=[{"code": "X-1", "name": "新办", "kind": "new"}]
    )
    live = services.version_publish(version=version, by=None)
    author = make_user()

    draft = services.version_draft_from(item=live.item, by=author)

    assert draft.pk != live.pk
    assert draft.number == 2
    assert draft.status == "draft"
    assert draft.based_on == live
    assert draft.created_by == author
    for name in ["name", "legal_basis", "promised_limit_value", "service_objects", "fee_basis"]:
        assert getattr(draft, name) == getattr(live, name)
    assert draft.result_sample.name == live.result_sample.name
    assert list(draft.themes.all()) == [theme]
    for relation, key in [
        ("materials", "name"),
        ("fees", "name"),
        ("special_steps", "name"),
        ("faqs", "question"),
        ("procedure_steps", "name"),
        ("handling_items", "code"),
    ]:
        copied = [getattr(row, key) for row in getattr(draft, relation).all()]
        original = [getattr(row, key) for row in getattr(live, relation).all()]
        assert copied == original, relation
        assert copied
    copied_material = MaterialRequirement.objects.get(version=draft, name="营业执照")
    assert copied_material.accepted_licence_types == ["business_licence"]
    assert FeeItem.objects.get(version=draft).waivable is True
    assert SpecialStep.objects.filter(version=live).count() == 1  # the original kept its rows
    assert HandlingItem.objects.filter(version=live).count() == 1
    assert fresh(live).status == "published"  # a draft never unpublishes the live version
    assert AuditEntry.objects.filter(action="catalog.version.drafted").count() == 1


def test_there_is_only_one_draft_per_item():
    live = make_published_version()
    first = services.version_draft_from(item=live.item, by=None)
    again = services.version_draft_from(item=live.item, by=None)
    assert again.pk == first.pk
    assert ServiceItemVersion.objects.filter(item=live.item).count() == 2


# --- Retiring -------------------------------------------------------------------------------------


def test_retiring_the_live_version_withdraws_the_item(received, django_capture_on_commit_callbacks):
    live = make_published_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.version_retire(version=live, by=None, reason="事项已取消（省政府令第1号）")
    live = fresh(live)
    assert live.status == "retired"
    assert live.retire_reason == "事项已取消（省政府令第1号）"
    assert live.valid_to is not None
    assert live.item.live_version is None
    assert received == [ServiceItemVersionRetired(live.item.pk, live.pk, True)]


def test_a_draft_can_be_given_up_and_a_reason_is_required():
    live = make_published_version()
    draft = services.version_draft_from(item=live.item, by=None)
    with pytest.raises(InvalidInput):
        services.version_retire(version=draft, by=None, reason=" ")
    services.version_retire(version=draft, by=None, reason="改错了")
    assert fresh(draft).status == "retired"
    assert fresh(live).item.live_version == live
    with pytest.raises(InvalidTransition):
        services.version_retire(version=draft, by=None, reason="再来一次")


def test_uploaded_files_are_stored_and_shared_by_the_next_revision():
    version = make_draft_version()
    services.version_update(
        version=version,
        by=None,
        result_sample=SimpleUploadedFile("sample.pdf", b"%PDF-sample"),
    )
    services.version_set_materials(
        version=version,
        by=None,
        rows=[{"name": "申请书", "blank_form": SimpleUploadedFile("form.xlsx", b"PK-form")}],
    )
    live = services.version_publish(version=version, by=None)
    draft = services.version_draft_from(item=live.item, by=None)

    assert fresh(live).result_sample.read() == b"%PDF-sample"
    assert draft.result_sample.name == fresh(live).result_sample.name
    material = draft.materials.get()
    assert material.blank_form.read() == b"PK-form"
