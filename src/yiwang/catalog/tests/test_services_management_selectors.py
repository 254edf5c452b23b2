"""Reads for catalogue managers: who manages what, history diffs, merged bundle materials."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from yiwang.catalog import services
from yiwang.catalog.selectors import management
from yiwang.catalog.selectors.management import FieldChange, normalise_material_name
from yiwang.catalog.tests.factories import (
    make_bundle,
    make_catalogue_manager,
    make_department,
    make_draft_version,
    make_published_version,
    make_staff_user,
    make_theme,
    make_user,
)
from yiwang.identity.models import StaffRole, User
from yiwang.platform.errors import NotFound

pytestmark = pytest.mark.django_db


# --- Who manages what -----------------------------------------------------------------------------


@pytest.fixture
def two_departments():
    market, health = make_department(name="示范市市场监管局"), make_department(name="示范市卫健委")
    return {
        "market": market,
        "health": health,
        "market_item": make_draft_version(department=market).item,
        "health_item": make_draft_version(department=health).item,
    }


def test_a_catalogue_manager_manages_the_items_of_their_departments_only(two_departments):
    manager = make_catalogue_manager(two_departments["market"])
    assert list(management.items_managed_by(manager)) == [two_departments["market_item"]]
    assert management.item_for_manager(manager, two_departments["market_item"].pk)
    with pytest.raises(NotFound):
        management.item_for_manager(manager, two_departments["health_item"].pk)
    with pytest.raises(NotFound):
        management.item_for_manager(manager, 999999)


def test_superusers_and_administrators_manage_every_item(two_departments):
    superuser = make_user(is_superuser=True, is_staff=True)
    administrator = make_staff_user(two_departments["health"], StaffRole.ADMINISTRATOR)
    everything = {two_departments["market_item"], two_departments["health_item"]}
    assert set(management.items_managed_by(superuser)) == everything
    assert set(management.items_managed_by(administrator)) == everything
    assert management.departments_managed_by(administrator) is None


def test_other_roles_inactive_memberships_and_visitors_manage_nothing(two_departments):
    clerk = make_staff_user(two_departments["market"], StaffRole.WINDOW_CLERK)
    former = make_catalogue_manager(two_departments["market"])
    former.memberships.update(is_active=False)
    users: list[User | AnonymousUser] = [clerk, former, AnonymousUser()]
    for user in users:
        assert list(management.items_managed_by(user)) == []
        assert not management.user_manages_catalogue(user)
        with pytest.raises(NotFound):
            management.item_for_manager(user, two_departments["market_item"].pk)


def test_items_managed_by_is_one_query(two_departments, django_assert_num_queries):
    manager = make_catalogue_manager(two_departments["market"])
    with django_assert_num_queries(1):
        items = list(management.items_managed_by(manager).select_related("live_version"))
    assert len(items) == 1


def test_versions_of_an_item_come_newest_first_in_one_query(django_assert_num_queries):
    live = make_published_version()
    draft = services.version_draft_from(item=live.item, by=make_user())
    with django_assert_num_queries(1):
        versions = management.versions_of(live.item)
        authors = [v.created_by for v in versions]
    assert versions == [draft, live]
    assert authors[0] is not None


# --- Diffs ----------------------------------------------------------------------------------------


def test_the_diff_names_each_changed_field_with_its_label_and_values():
    live = make_published_version()
    draft = services.version_draft_from(item=live.item, by=None)
    theme = make_theme(name="准营准办", audience="enterprise")
    services.version_update(
        version=draft, by=None, promised_limit_value=5, courier_supported=True, themes=[theme]
    )
    services.version_set_materials(
        version=draft,
        by=None,
        rows=[
            {"name": "食品经营许可申请书", "copies": 2},
            {
                "name": "营业执照",
                "form": "electronic",
                "source": "government",
                "accepted_licence_types": ["business_licence"],
            },
            {"name": "场所平面图"},
        ],
    )

    changes = management.version_diff(live, draft)

    assert FieldChange("promised_limit_value", "承诺办结时限", "10", "5") in changes
    assert FieldChange("courier_supported", "支持物流快递", "否", "是") in changes
    assert FieldChange("themes", "主题", "（空）", "准营准办") in changes
    materials = {c.label: c for c in changes if c.field == "materials"}
    assert materials["申请材料：场所平面图"].after == "新增"
    assert materials["申请材料：法定代表人身份证"].after == "（已删除）"
    assert materials["申请材料：食品经营许可申请书"] == FieldChange(
        "materials", "申请材料：食品经营许可申请书", "复印件份数：0", "复印件份数：2"
    )
    assert "申请材料：营业执照" not in materials  # unchanged rows are not listed


def test_the_diff_shows_codes_as_their_names():
    live = make_published_version()
    draft = services.version_draft_from(item=live.item, by=None)
    services.version_update(version=draft, by=None, service_objects=["2"], case_type="2")
    changes = {c.field: c for c in management.version_diff(live, draft)}
    assert changes["service_objects"].before == "自然人、企业法人"
    assert changes["service_objects"].after == "企业法人"
    assert "case_type" not in changes


def test_a_first_version_is_compared_with_nothing():
    version = make_draft_version()
    changes = {c.field for c in management.version_diff(None, version)}
    assert {"name", "legal_basis", "materials", "faqs", "procedure_steps"} <= changes
    assert management.version_compared_with(version) is None


def test_publication_check_lists_what_blocks_a_draft():
    assert management.publication_check(make_draft_version()) == []
    fields = [e.field for e in management.publication_check(make_draft_version(visit_count=0))]
    assert fields == ["courier_supported"]


# --- Merged bundle materials ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("申请人身份证（原件）", "申请人身份证"),
        ("申请人 身份证复印件", "申请人身份证"),
        ("营业执照(副本)", "营业执照"),
        ("ＡＢＣ证明", "ABC证明"),
    ],
)
def test_material_names_are_normalised(name, normal):
    assert normalise_material_name(name) == normal


def test_a_material_needed_by_two_members_is_asked_once(django_assert_num_queries):
    licence = make_published_version(
        children={
            "materials": [
                {"name": "申请人身份证（原件）", "necessity": "tolerated"},
                {"name": "营业执照", "accepted_licence_types": ["business_licence"]},
                {"name": "场所平面图"},
            ],
            "faqs": [{"question": "多久？", "answer": "10个工作日"}],
            "procedure": [{"name": n} for n in ["受理", "审核", "审批", "办结", "送达"]],
        }
    )
    permit = make_published_version(
        children={
            "materials": [
                {"name": "申请人身份证复印件", "necessity": "required", "copies": 2},
                {
                    "name": "企业营业执照副本",
                    "necessity": "optional",
                    "accepted_licence_types": ["business_licence", "permit"],
                },
                {"name": "消防验收意见书"},
            ],
            "faqs": [{"question": "多久？", "answer": "10个工作日"}],
            "procedure": [{"name": n} for n in ["受理", "审核", "审批", "办结", "送达"]],
        }
    )
    bundle = make_bundle(members=[licence, permit])

    with django_assert_num_queries(2):
        merged = management.merged_bundle_materials(bundle)

    assert [m.name for m in merged] == [
        "申请人身份证（原件）",
        "营业执照",
        "场所平面图",
        "消防验收意见书",
    ]
    identity_card, business_licence = merged[0], merged[1]
    assert identity_card.necessity == "required"  # the strictest of the two
    assert identity_card.copies == 2
    assert identity_card.item_names == [licence.name, permit.name]
    assert business_licence.accepted_licence_types == ["business_licence", "permit"]
    assert len(business_licence.material_ids) == 2
    assert merged[3].item_names == [permit.name]


# --- Bundles --------------------------------------------------------------------------------------


def test_bundles_are_managed_by_their_lead_department():
    bundle = make_bundle()
    lead_manager = make_catalogue_manager(bundle.lead_department)
    other = make_catalogue_manager(make_department())
    assert management.bundle_for_manager(lead_manager, bundle.pk) == bundle
    with pytest.raises(NotFound):
        management.bundle_for_manager(other, bundle.pk)
