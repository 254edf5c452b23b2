"""The publication rules of DOMAIN §3.8, each both ways, on plain snapshots (no database)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.catalog import workflow
from yiwang.catalog.workflow import (
    BundleMemberRef,
    BundleSnapshot,
    ThemeRef,
    TimeLimit,
    VersionSnapshot,
    bundle_publication_violations,
    promised_exceeds_statutory,
    publication_violations,
)

VALID = VersionSnapshot(
    name="食品经营许可",
    item_type="01",
    case_type="2",
    promised_limit_value=10,
    promised_limit_unit="WD",
    statutory_limit_value=20,
    statutory_limit_unit="WD",
    legal_basis="《食品安全法》第三十五条",
    conditions="有经营场所",
    handling_forms=("1", "2"),
    visit_count=1,
    onsite_reason="核验原件",
    online_depth=3,
    service_objects=("1", "2"),
    result_type="certificate",
    result_name="食品经营许可证",
    has_result_sample=True,
    address="人民路1号",
    office_hours="工作日",
    consultation_phone="0599-12345678",
    complaint_phone="12345",
    faq_count=1,
    material_count=2,
    procedure_step_names=("受理", "审核", "审批", "办结", "送达"),
)


def fields_of(snapshot: VersionSnapshot) -> list[str]:
    return [error.field for error in publication_violations(snapshot)]


def changed(**changes: Any) -> list[str]:
    return fields_of(replace(VALID, **changes))


def test_the_reference_snapshot_is_publishable():
    assert publication_violations(VALID) == []


# --- Rule 1: promised ≤ statutory -----------------------------------------------------------------


def test_promised_longer_than_statutory_is_refused_on_the_promised_limit():
    errors = publication_violations(replace(VALID, promised_limit_value=21))
    assert [e.field for e in errors] == ["promised_limit_value"]
    assert "不得超过法定办结时限（20工作日）" in errors[0].message


def test_promised_equal_to_statutory_is_allowed():
    assert changed(promised_limit_value=20) == []


@pytest.mark.parametrize(
    ("promised", "statutory", "exceeds"),
    [
        (TimeLimit(10, "WD"), TimeLimit(10, "CD"), False),  # 1 WD counted as 1 CD
        (TimeLimit(11, "WD"), TimeLimit(10, "CD"), True),
        (TimeLimit(15, "CD"), TimeLimit(20, "WD"), False),
        (TimeLimit(21, "CD"), TimeLimit(20, "WD"), True),
        (TimeLimit(1, "M"), TimeLimit(30, "CD"), True),  # a month may be 31 days
        (TimeLimit(1, "M"), TimeLimit(31, "CD"), False),
        (TimeLimit(28, "CD"), TimeLimit(1, "M"), False),
        (TimeLimit(29, "CD"), TimeLimit(1, "M"), True),  # February
        (TimeLimit(24, "H"), TimeLimit(1, "WD"), False),
        (TimeLimit(25, "H"), TimeLimit(1, "WD"), True),
        (TimeLimit(2, "M"), TimeLimit(2, "M"), False),
    ],
)
def test_limits_in_different_units_compare_conservatively(promised, statutory, exceeds):
    assert promised_exceeds_statutory(promised, statutory) is exceeds


@settings(max_examples=100)
@given(
    promised=st.integers(min_value=1, max_value=400),
    statutory=st.integers(min_value=1, max_value=400),
    unit=st.sampled_from(["WD", "CD", "H", "M"]),
)
def test_in_the_same_unit_the_numbers_decide(promised, statutory, unit):
    snapshot = replace(
        VALID,
        promised_limit_value=promised,
        promised_limit_unit=unit,
        statutory_limit_value=statutory,
        statutory_limit_unit=unit,
    )
    assert ("promised_limit_value" in fields_of(snapshot)) is (promised > statutory)


def test_power_items_need_a_statutory_limit_other_items_may_leave_it_empty():
    assert changed(statutory_limit_value=None, statutory_limit_unit="") == ["statutory_limit_value"]
    public_service = replace(
        VALID,
        item_type="20",
        statutory_limit_value=None,
        statutory_limit_unit="",
        result_type="other",
        result_name="",
    )
    assert fields_of(public_service) == []


def test_the_promised_limit_is_never_empty():
    assert "promised_limit_value" in changed(promised_limit_value=None)
    assert "promised_limit_value" in changed(promised_limit_unit="")


def test_a_statutory_value_needs_its_unit_and_a_unit_its_value():
    assert changed(statutory_limit_unit="") == ["statutory_limit_unit"]
    assert "statutory_limit_value" in changed(item_type="20", statutory_limit_value=None)


# --- Rule 2: 即办 ⇔ 即办件 ------------------------------------------------------------------------


def test_promised_zero_must_be_an_immediate_case():
    assert changed(promised_limit_value=0) == ["case_type"]
    assert changed(promised_limit_value=0, case_type="1") == []


def test_an_immediate_case_must_promise_zero():
    errors = publication_violations(replace(VALID, case_type="1"))
    assert [e.field for e in errors] == ["case_type"]
    assert "承诺件" in errors[0].message


def test_case_type_other_is_refused_for_promised_items():
    assert changed(case_type="9") == ["case_type"]


# --- Rule 3: visits ⇒ reason ----------------------------------------------------------------------


def test_visits_need_the_onsite_reason():
    assert changed(onsite_reason="  ") == ["onsite_reason"]
    assert changed(visit_count=0, onsite_reason="", courier_supported=True) == []


# --- Rule 4: depth and visits ---------------------------------------------------------------------


def test_fully_online_means_no_visit():
    assert changed(online_depth=4) == ["visit_count"]
    assert changed(online_depth=4, visit_count=0, onsite_reason="") == []


@pytest.mark.parametrize(("depth", "most"), [(1, 99), (2, 2), (3, 1), (4, 0)])
def test_visits_are_limited_by_depth(depth, most):
    within = min(most, 5)
    base = {"online_depth": depth, "courier_supported": True, "onsite_reason": "核验原件"}
    assert "visit_count" not in changed(visit_count=within, **base)
    if most < 99:
        assert "visit_count" in changed(visit_count=most + 1, **base)


@settings(max_examples=100)
@given(visits=st.integers(min_value=0, max_value=6), depth=st.integers(min_value=1, max_value=4))
def test_at_most_one_visit_tag_never_goes_with_more_than_one_visit(visits, depth):
    snapshot = replace(
        VALID, visit_count=visits, online_depth=depth, courier_supported=True, onsite_reason="x"
    )
    tags = workflow.visit_tags(visits)
    if workflow.TAG_AT_MOST_ONE_VISIT in tags:
        assert visits <= 1
    refused = "visit_count" in fields_of(snapshot)
    assert refused is (visits > workflow.MAX_VISITS_BY_DEPTH.get(depth, 99))


# --- Rule 5: no visit, not fully online ⇒ courier -------------------------------------------------


def test_no_visit_below_depth_iv_needs_courier():
    assert changed(visit_count=0, onsite_reason="") == ["courier_supported"]
    assert changed(visit_count=0, onsite_reason="", courier_supported=True) == []


# --- Rule 6: fees ---------------------------------------------------------------------------------


def test_a_charged_item_needs_basis_fee_items_and_online_payment():
    assert changed(charged=True) == ["fee_basis", "fees", "online_payment_supported"]
    assert (
        changed(
            charged=True, fee_basis="价费字〔2003〕", fee_count=1, online_payment_supported=True
        )
        == []
    )


def test_a_free_item_has_no_online_payment_and_no_fee_items():
    assert changed(online_payment_supported=True) == ["online_payment_supported"]
    assert changed(fee_count=2) == ["fees"]


# --- Rule 7: licensing ⇒ FAQ and five steps -------------------------------------------------------


def test_licensing_needs_a_faq():
    assert changed(faq_count=0) == ["faqs"]


def test_licensing_needs_the_five_steps_and_names_the_missing_ones():
    errors = publication_violations(replace(VALID, procedure_step_names=("受理", "审批", "办结")))
    assert [e.field for e in errors] == ["procedure_steps"]
    assert "缺少：审核、送达" in errors[0].message


def test_licensing_steps_may_carry_longer_names_but_keep_their_order():
    named = ("窗口受理", "材料审核", "审批决定", "办结", "证照送达")
    assert changed(procedure_step_names=named) == []
    assert changed(procedure_step_names=("审核", "受理", "审批", "办结", "送达")) == [
        "procedure_steps"
    ]


def test_other_item_types_need_neither_faq_nor_the_five_steps():
    assert changed(item_type="07", faq_count=0, procedure_step_names=()) == []


# --- Rule 8: results ------------------------------------------------------------------------------


def test_a_result_name_needs_a_sample():
    assert changed(has_result_sample=False) == ["result_sample"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("食品经营许可证", "certificate"),
        ("准予许可决定文", "document"),
        ("关于项目的批复", "approval"),
    ],
)
def test_the_result_type_follows_the_result_name(name, expected):
    assert changed(result_name=name, result_type=expected) == []
    wrong = "other" if expected != "other" else "certificate"
    errors = publication_violations(replace(VALID, result_name=name, result_type=wrong))
    assert [e.field for e in errors] == ["result_type"]


def test_a_result_name_with_another_ending_may_have_any_type():
    assert changed(result_name="营业执照", result_type="other") == []


def test_a_result_type_other_than_other_needs_a_name():
    assert changed(result_name="", has_result_sample=False) == ["result_name"]
    assert changed(result_name="", has_result_sample=False, result_type="other") == []


# --- Rule 9: phones, audiences, required fields ---------------------------------------------------


def test_the_complaint_phone_differs_from_the_consultation_phone():
    assert changed(complaint_phone="0599 1234 5678") == ["complaint_phone"]
    assert changed(consultation_phone="", complaint_phone="") == [
        "consultation_phone",
        "complaint_phone",
    ]


def test_only_power_items_need_a_complaint_phone():
    assert changed(complaint_phone="") == ["complaint_phone"]
    assert changed(item_type="20", complaint_phone="") == []


def test_person_themes_need_natural_persons_and_legal_person_themes_legal_persons():
    person, company = ThemeRef("生育收养", "person"), ThemeRef("准营准办", "enterprise")
    assert changed(themes=(person, company)) == []
    assert changed(themes=(person,), service_objects=("2",)) == ["themes"]
    assert changed(themes=(company,), service_objects=("1",)) == ["themes"]
    assert changed(themes=(company,), service_objects=("1", "4")) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"service_objects": ()}, "service_objects"),
        ({"handling_forms": ()}, "handling_forms"),
        ({"consultation_phone": ""}, "consultation_phone"),
        ({"address": ""}, "address"),
        ({"office_hours": ""}, "office_hours"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"conditions": ""}, "conditions"),
        ({"material_count": 0}, "materials"),
    ],
)
def test_required_fields_of_a_licensing_item(changes, field):
    assert field in changed(**changes)


def test_government_initiated_powers_need_no_conditions_or_materials():
    penalty = replace(
        VALID, item_type="02", conditions="", material_count=0, faq_count=0, procedure_step_names=()
    )
    assert fields_of(penalty) == []


def test_online_only_items_need_no_address():
    online = replace(
        VALID, handling_forms=("2",), visit_count=0, onsite_reason="", online_depth=4, address=""
    )
    assert fields_of(replace(online, office_hours="")) == []


# --- Rule 10: extension ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("joint", "days", "ok"),
    [
        (False, 0, False),
        (False, 1, True),
        (False, 10, True),
        (False, 11, False),
        (True, 15, True),
        (True, 16, False),
    ],
)
def test_an_allowed_extension_is_1_to_10_working_days_15_when_joint(joint, days, ok):
    fields = changed(extension_allowed=True, joint_handling=joint, extension_max_working_days=days)
    assert (fields == []) is ok
    if not ok:
        assert fields == ["extension_max_working_days"]


def test_no_extension_means_zero_days():
    assert changed(extension_max_working_days=5) == ["extension_max_working_days"]


# --- Every violation at once ----------------------------------------------------------------------


def test_every_violation_is_listed_each_with_its_field():
    broken = replace(
        VALID,
        promised_limit_value=30,
        online_depth=4,
        visit_count=2,
        onsite_reason="",
        charged=True,
        faq_count=0,
        has_result_sample=False,
        complaint_phone="0599-12345678",
        extension_allowed=True,
        extension_max_working_days=20,
    )
    fields = fields_of(broken)
    assert fields == [
        "promised_limit_value",
        "onsite_reason",
        "visit_count",
        "fee_basis",
        "fees",
        "online_payment_supported",
        "faqs",
        "result_sample",
        "complaint_phone",
        "extension_max_working_days",
    ]
    assert all(error.message for error in publication_violations(broken))


# --- Lifecycle and tags ---------------------------------------------------------------------------


def test_versions_move_draft_to_published_to_retired_only():
    assert workflow.can_transition("draft", "published")
    assert workflow.can_transition("draft", "retired")
    assert workflow.can_transition("published", "retired")
    assert not workflow.can_transition("published", "draft")
    assert not workflow.can_transition("retired", "published")
    assert workflow.is_editable("draft")
    assert not workflow.is_editable("published")


def test_visit_tags():
    assert workflow.visit_tags(0) == ["不见面", "最多跑一次"]
    assert workflow.visit_tags(1) == ["最多跑一次"]
    assert workflow.visit_tags(2) == []


# --- Bundles --------------------------------------------------------------------------------------

BUNDLE = BundleSnapshot(
    name="开办餐饮店",
    lead_department_id=1,
    supporting_department_ids=frozenset({2}),
    promised_total_working_days=15,
    members=(BundleMemberRef("营业执照", 1, True), BundleMemberRef("食品经营许可", 2, True)),
)


def test_a_complete_bundle_may_be_published():
    assert bundle_publication_violations(BUNDLE) == []


def test_a_bundle_promise_is_at_most_45_working_days():
    errors = bundle_publication_violations(replace(BUNDLE, promised_total_working_days=46))
    assert [e.field for e in errors] == ["promised_total_working_days"]
    assert bundle_publication_violations(replace(BUNDLE, promised_total_working_days=45)) == []


def test_a_bundle_needs_a_lead_department():
    fields = [
        e.field for e in bundle_publication_violations(replace(BUNDLE, lead_department_id=None))
    ]
    assert fields == ["lead_department"]


def test_bundle_members_are_published_and_their_departments_take_part():
    members = (BundleMemberRef("营业执照", 1, True), BundleMemberRef("排污许可", 3, False))
    errors = bundle_publication_violations(replace(BUNDLE, members=members))
    assert [e.field for e in errors] == ["members", "supporting_departments"]
    assert "排污许可" in errors[0].message
    lone = bundle_publication_violations(replace(BUNDLE, members=members[:1]))
    assert [e.field for e in lone] == ["members"]
