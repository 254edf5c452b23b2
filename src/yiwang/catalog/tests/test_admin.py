"""The catalogue admin as a catalogue manager uses it: edit a draft, publish (refused, then
accepted), revise a published item, read the history; other departments stay out of reach."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yiwang.catalog import services
from yiwang.catalog.models import (
    BasicItem,
    Bundle,
    MaterialRequirement,
    ServiceItem,
    ServiceItemVersion,
    Synonym,
)
from yiwang.catalog.tests.factories import (
    make_basic_item,
    make_bundle,
    make_catalogue_manager,
    make_department,
    make_draft_version,
    make_published_version,
    make_staff_user,
    make_theme,
)
from yiwang.identity.models import StaffRole
from yiwang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

VERSION_URL = "/admin/catalog/serviceitemversion/{}/change/"
ITEM_URL = "/admin/catalog/serviceitem/{}/change/"


def text(response: Any) -> str:
    return str(response.content.decode())


def management_form(prefix: str, forms: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": len(forms),
        f"{prefix}-INITIAL_FORMS": sum(1 for f in forms if f.get("id")),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, form in enumerate(forms):
        for key, value in form.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def draft_post(version: ServiceItemVersion, **changes: Any) -> dict[str, Any]:
    """What the draft's change form posts back, unchanged, with `changes` applied."""
    data: dict[str, Any] = {}
    for field in ServiceItemVersion._meta.concrete_fields:
        name = field.name
        if name in {"id", "item", "number", "status", "based_on", "created_by", "created_at"}:
            continue
        if name in {"updated_at", "published_by", "published_at", "valid_from", "valid_to"}:
            continue
        if name in {"retire_reason", "result_sample"}:
            continue
        value = getattr(version, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    data["themes"] = [t.pk for t in version.themes.all()]
    data.update(changes)
    for name in [n for n, v in data.items() if v is False]:
        del data[name]
    children = {
        "materials": (
            version.materials.all(),
            ["order", "name", "original_or_copy", "form", "necessity", "originals", "copies"],
            ["source"],
        ),
        "fees": (version.fees.all(), ["name", "standard", "basis"], []),
        "special_steps": (version.special_steps.all(), ["name", "limit_value", "limit_unit"], []),
        "faqs": (version.faqs.all(), ["order", "question", "answer"], []),
        "procedure_steps": (version.procedure_steps.all(), ["order", "name"], []),
        "handling_items": (version.handling_items.all(), ["code", "name", "kind"], []),
    }
    for prefix, (rows, columns, extra) in children.items():
        forms = []
        for row in rows:
            form = {"id": row.pk, "version": version.pk}
            for column in [*columns, *extra]:
                form[column] = getattr(row, column)
            if isinstance(row, MaterialRequirement):
                form["accepted_licence_types"] = json.dumps(row.accepted_licence_types)
            forms.append(form)
        data.update(management_form(prefix, forms))
    for key in ("service_objects", "handling_forms"):
        data[key] = list(data[key])
    return data


@pytest.fixture
def market():
    return make_department(name="示范市市场监督管理局")


@pytest.fixture
def manager(market):
    return make_catalogue_manager(market)


@pytest.fixture
def manager_client(manager) -> Client:
    client = Client()
    client.force_login(manager)
    return client


# --- Lists and pages open -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "serviceitem",
        "serviceitemversion",
        "basicitem",
        "theme",
        "synonym",
        "codelistentry",
        "bundle",
    ],
)
def test_changelists_open_for_a_catalogue_manager_in_chinese(manager_client, market, model):
    make_published_version(department=market)
    response = manager_client.get(f"/admin/catalog/{model}/", {"q": "许可"})
    assert response.status_code == 200
    assert 'lang="zh-hans"' in text(response)


def test_the_item_list_shows_only_my_departments_items(manager_client, market):
    mine = make_published_version(department=market, name="我的事项")
    theirs = make_published_version(name="别人的事项")
    page = text(manager_client.get("/admin/catalog/serviceitem/"))
    assert mine.item.implementation_code in page
    assert theirs.item.implementation_code not in page


def test_the_item_list_takes_a_fixed_number_of_queries(
    manager_client, market, django_assert_max_num_queries
):
    for _ in range(3):
        make_published_version(department=market)
    with django_assert_max_num_queries(14):
        response = manager_client.get("/admin/catalog/serviceitem/")
    assert response.status_code == 200
    for _ in range(5):
        make_published_version(department=market)
    with django_assert_max_num_queries(14):
        manager_client.get("/admin/catalog/serviceitem/")


def test_the_admin_index_lists_the_catalogue_for_managers_only(manager_client, market):
    assert "实施清单事项" in text(manager_client.get("/admin/"))
    clerk = make_staff_user(market, StaffRole.WINDOW_CLERK)
    client = Client()
    client.force_login(clerk)
    assert "实施清单事项" not in text(client.get("/admin/"))


# --- Creating an item -----------------------------------------------------------------------------


def test_a_manager_adds_an_item_and_lands_on_its_first_draft(manager_client, manager, market):
    basic = make_basic_item(name="餐饮服务许可")
    response = manager_client.post(
        "/admin/catalog/serviceitem/add/",
        {
            "name": "",
            "basic_item": basic.pk,
            "implementation_code": "XK-ADMIN-0001",
            "department": market.pk,
            "region": market.region.pk,
            "exercise_level": "3",
        },
    )
    item = ServiceItem.objects.get(implementation_code="XK-ADMIN-0001")
    draft = item.versions.get()
    assert response.status_code == 302
    assert response["Location"] == VERSION_URL.format(draft.pk)
    assert draft.name == "餐饮服务许可"
    assert draft.status == "draft"
    assert AuditEntry.objects.get(action="catalog.item.created").actor_id == manager.pk


def test_a_manager_cannot_file_an_item_under_another_department(manager_client):
    other = make_department()
    basic = make_basic_item()
    response = manager_client.post(
        "/admin/catalog/serviceitem/add/",
        {
            "basic_item": basic.pk,
            "implementation_code": "XK-ADMIN-0002",
            "department": other.pk,
            "region": other.region.pk,
            "exercise_level": "3",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in text(response)
    assert not ServiceItem.objects.filter(implementation_code="XK-ADMIN-0002").exists()


# --- Editing a draft and publishing ---------------------------------------------------------------


def test_a_draft_page_shows_the_publication_check_with_links_to_the_fields(manager_client, market):
    version = make_draft_version(department=market, visit_count=0, online_depth=3)
    page = text(manager_client.get(VERSION_URL.format(version.pk)))
    assert "发布前检查：有 1 处不符合发布规则" in page
    assert '<a href="#id_courier_supported">支持物流快递</a>' in page
    assert 'name="_publish"' in page


def test_a_manager_edits_a_draft_through_the_services(manager_client, manager, market):
    version = make_draft_version(department=market)
    theme = make_theme(audience="enterprise", name="准营准办")
    data = draft_post(version, promised_limit_value=8, themes=[theme.pk])
    materials = [
        {"id": m.pk, "version": version.pk, "order": m.order, "name": m.name}
        for m in version.materials.all()
    ]
    materials[1]["name"] = "营业执照（副本）"
    materials.append({"version": version.pk, "order": 9, "name": "场所平面图"})
    for form in materials:
        form.update(
            {
                "original_or_copy": "original",
                "form": "both",
                "necessity": "required",
                "originals": 1,
                "copies": 0,
                "source": "applicant",
                "accepted_licence_types": "[]",
            }
        )
    data.update(management_form("materials", materials))

    response = manager_client.post(VERSION_URL.format(version.pk), data)

    assert response.status_code == 302, text(response)[:3000]
    version.refresh_from_db()
    assert version.status == "draft"
    assert version.promised_limit_value == 8
    assert list(version.themes.all()) == [theme]
    assert [m.name for m in version.materials.all()] == [
        "食品经营许可申请书",
        "营业执照（副本）",
        "法定代表人身份证",
        "场所平面图",
    ]
    actions = set(AuditEntry.objects.filter(actor_id=manager.pk).values_list("action", flat=True))
    assert {"catalog.version.updated", "catalog.version.children_replaced"} <= actions


def test_publishing_is_refused_with_every_violation_listed_and_nothing_published(
    manager_client, market
):
    version = make_draft_version(department=market)
    data = draft_post(version, online_depth="4", visit_count=2, charged="on", _publish="保存并发布")

    response = manager_client.post(VERSION_URL.format(version.pk), data, follow=True)

    assert response.status_code == 200
    page = text(response)
    assert "修改已保存，但未发布。" in page
    assert "该版本有 4 处不符合发布规则" in page
    for label in ["到办事现场次数", "收费依据", "收费项目", "支持网上支付"]:
        assert f"{label}：" in page
    assert '<a href="#fees-group">收费项目</a>' in page  # the summary on the page links there
    version.refresh_from_db()
    assert version.status == "draft"
    assert version.charged is True  # the edit itself was kept
    assert version.item.live_version is None
    assert not AuditEntry.objects.filter(action="catalog.version.published").exists()


def test_a_fixed_draft_is_published_from_its_page(manager_client, manager, market):
    version = make_draft_version(department=market, online_depth=4, visit_count=2)
    data = draft_post(version, visit_count=0, courier_supported="on", _publish="保存并发布")

    response = manager_client.post(VERSION_URL.format(version.pk), data)

    assert response.status_code == 302
    assert response["Location"] == ITEM_URL.format(version.item_id)
    version.refresh_from_db()
    assert version.status == "published"
    assert version.published_by == manager
    assert version.item.live_version == version


# --- Published versions, revisions, history -------------------------------------------------------


def test_a_published_version_is_read_only(manager_client, market):
    live = make_published_version(department=market)
    page = text(manager_client.get(VERSION_URL.format(live.pk)))
    assert "内容不可修改" in page
    assert 'name="_publish"' not in page
    assert 'name="name"' not in page  # no inputs, only values
    response = manager_client.post(VERSION_URL.format(live.pk), draft_post(live, name="改名"))
    assert response.status_code == 403
    live.refresh_from_db()
    assert live.name != "改名"


def test_a_manager_revises_a_published_item_and_the_old_version_stays_in_history(
    manager_client, manager, market
):
    live = make_published_version(department=market)

    response = manager_client.post(f"/admin/catalog/serviceitem/{live.item_id}/new-draft/")

    draft = ServiceItemVersion.objects.get(item=live.item, status="draft")
    assert response.status_code == 302
    assert response["Location"] == VERSION_URL.format(draft.pk)
    assert draft.materials.count() == live.materials.count()

    data = draft_post(
        draft, promised_limit_value=5, change_note="压缩承诺时限", _publish="保存并发布"
    )
    assert manager_client.post(VERSION_URL.format(draft.pk), data).status_code == 302
    live.refresh_from_db()
    draft.refresh_from_db()
    assert live.status == "retired"
    assert draft.status == "published"

    history = text(manager_client.get(ITEM_URL.format(live.item_id)))
    assert "版本历史" in history
    assert "第1版" in history
    assert "第2版" in history
    assert "已停用" in history
    assert "压缩承诺时限" in history
    assert f"/admin/catalog/serviceitemversion/{live.pk}/diff/" in history

    diff = text(manager_client.get(f"/admin/catalog/serviceitemversion/{draft.pk}/diff/"))
    assert "查看修订内容" in diff
    assert "与第1版相比" in diff
    assert re.search(
        r"承诺办结时限</th>\s*<td[^>]*><del>10</del></td>\s*<td[^>]*><ins>5</ins>", diff
    )
    assert manager.get_username() in diff


def test_new_draft_needs_a_post(manager_client, market):
    live = make_published_version(department=market)
    assert (
        manager_client.get(f"/admin/catalog/serviceitem/{live.item_id}/new-draft/").status_code
        == 405
    )


def test_retiring_a_published_version_asks_for_a_reason(manager_client, market):
    live = make_published_version(department=market)
    url = f"/admin/catalog/serviceitemversion/{live.pk}/retire/"
    assert "停用" in text(manager_client.get(url))
    refused = manager_client.post(url, {"reason": " "})
    assert "请填写停用原因" in text(refused)
    assert manager_client.post(url, {"reason": "事项取消"}).status_code == 302
    live.refresh_from_db()
    assert live.status == "retired"
    assert live.item.live_version is None


# --- Another department ---------------------------------------------------------------------------


def test_a_manager_of_another_department_cannot_see_or_change_an_item(market):
    version = make_draft_version(department=market)
    live_item = make_published_version(department=market).item
    outsider = make_catalogue_manager(make_department(name="示范市卫生健康委员会"))
    client = Client()
    client.force_login(outsider)
    before = ServiceItemVersion.objects.get(pk=version.pk)
    audit_before = AuditEntry.objects.count()

    assert client.get(VERSION_URL.format(version.pk)).status_code == 404
    assert client.get(ITEM_URL.format(version.item_id)).status_code == 404
    post = draft_post(version, name="被改了", _publish="保存并发布")
    assert client.post(VERSION_URL.format(version.pk), post).status_code == 404
    assert client.post(f"/admin/catalog/serviceitem/{live_item.pk}/new-draft/").status_code == 404
    assert client.get(f"/admin/catalog/serviceitemversion/{version.pk}/diff/").status_code == 404
    assert (
        client.post(
            f"/admin/catalog/serviceitemversion/{version.pk}/retire/", {"reason": "x"}
        ).status_code
        == 404
    )
    assert version.item.implementation_code not in text(client.get("/admin/catalog/serviceitem/"))

    after = ServiceItemVersion.objects.get(pk=version.pk)
    assert (after.name, after.status, after.updated_at) == (
        before.name,
        before.status,
        before.updated_at,
    )
    assert not ServiceItemVersion.objects.filter(item=live_item, status="draft").exists()
    assert AuditEntry.objects.count() == audit_before


def test_staff_without_the_catalogue_role_are_refused(market):
    version = make_draft_version(department=market)
    clerk = make_staff_user(market, StaffRole.WINDOW_CLERK)
    client = Client()
    client.force_login(clerk)
    assert client.get(VERSION_URL.format(version.pk)).status_code == 404
    assert client.get("/admin/catalog/serviceitem/").status_code == 403


def test_an_administrator_manages_every_department(market):
    version = make_draft_version(department=market)
    administrator = make_staff_user(make_department(), StaffRole.ADMINISTRATOR)
    client = Client()
    client.force_login(administrator)
    assert client.get(VERSION_URL.format(version.pk)).status_code == 200


# --- Reference data and bundles -------------------------------------------------------------------


def test_managers_read_reference_data_and_administrators_change_it(manager_client, market):
    basic = make_basic_item(name="原名称")
    response = manager_client.post(
        f"/admin/catalog/basicitem/{basic.pk}/change/",
        {"name": "新名称", "item_type": "01"},
    )
    assert response.status_code == 403
    administrator = make_staff_user(market, StaffRole.ADMINISTRATOR)
    client = Client()
    client.force_login(administrator)
    response = client.post(
        f"/admin/catalog/basicitem/{basic.pk}/change/", {"name": "新名称", "item_type": "01"}
    )
    assert response.status_code == 302
    assert BasicItem.objects.get(pk=basic.pk).name == "新名称"
    assert AuditEntry.objects.filter(action="catalog.basic_item.updated").exists()
    response = client.post(
        "/admin/catalog/synonym/add/", {"term": "开饭店", "expansion": "食品经营  许可"}
    )
    assert response.status_code == 302
    assert Synonym.objects.get(term="开饭店").expansion == "食品经营 许可"


def test_a_bundle_page_shows_its_merged_materials_and_publishes(manager_client, market):
    first = make_published_version(department=market)
    second = make_published_version()
    bundle = make_bundle(members=[first, second])
    page = text(manager_client.get(f"/admin/catalog/bundle/{bundle.pk}/change/"))
    assert "一套材料（合并后 3 项" in page

    data = {
        "name": bundle.name,
        "audience": bundle.audience,
        "description": "",
        "lead_department": market.pk,
        "supporting_departments": [second.item.department_id],
        "promised_total_working_days": 50,
        "aliases": "",
        "form_schema": "[]",
        "_publish": "保存并发布",
    }
    members = [
        {"id": m.pk, "bundle": bundle.pk, "item": m.item_id, "order": m.order, "parallel_group": 1}
        for m in bundle.members.all()
    ]
    data.update(management_form("members", members))
    refused = manager_client.post(f"/admin/catalog/bundle/{bundle.pk}/change/", data)
    assert refused.status_code == 200
    assert "不得超过 45 个工作日" in text(refused)

    data["promised_total_working_days"] = 20
    response = manager_client.post(f"/admin/catalog/bundle/{bundle.pk}/change/", data, follow=True)
    assert "已发布" in text(response)
    bundle = Bundle.objects.get(pk=bundle.pk)
    assert bundle.is_published
    assert bundle.promised_total_working_days == 20


def test_a_bundle_of_another_lead_department_is_not_found(manager_client):
    bundle = make_bundle()
    assert manager_client.get(f"/admin/catalog/bundle/{bundle.pk}/change/").status_code == 404


def test_bundle_member_autocomplete_offers_published_items_of_any_department(manager_client):
    other = make_published_version(name="排污许可证核发")
    response = manager_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "catalog",
            "model_name": "bundlemember",
            "field_name": "item",
            "term": other.item.implementation_code[:6],
        },
    )
    assert response.status_code == 200
    assert str(other.item.pk) in text(response)


def test_publishing_several_drafts_from_the_list_reports_each_refusal(manager_client, market):
    good = make_draft_version(department=market)
    bad = make_draft_version(department=market, visit_count=0)
    response = manager_client.post(
        "/admin/catalog/serviceitemversion/",
        {"action": "publish_selected", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    page = text(response)
    assert "已发布 1 个版本" in page
    assert f"{bad.name}：未发布" in page
    assert "支持物流快递：" in page
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, bad.status) == ("published", "draft")


def test_a_draft_can_be_given_up_from_its_page(manager_client, market):
    live = make_published_version(department=market)
    draft = services.version_draft_from(item=live.item, by=None)
    response = manager_client.post(
        f"/admin/catalog/serviceitemversion/{draft.pk}/retire/", {"reason": "不再修订"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "retired"
    assert draft.retire_reason == "不再修订"
    live.refresh_from_db()
    assert live.item.live_version == live


def test_changing_an_items_details_goes_through_the_service(manager_client, manager, market):
    item = make_published_version(department=market).item
    response = manager_client.post(
        ITEM_URL.format(item.pk),
        {"local_code": "FJ-0001", "region": item.region_id, "exercise_level": "4"},
    )
    assert response.status_code == 302, text(response)[:2000]
    item.refresh_from_db()
    assert (item.local_code, item.exercise_level) == ("FJ-0001", "4")
    entry = AuditEntry.objects.get(action="catalog.item.updated")
    assert entry.actor_id == manager.pk


def test_a_result_sample_is_uploaded_on_the_draft_page(manager_client, market):
    version = make_draft_version(department=market)
    data = draft_post(version, result_sample=SimpleUploadedFile("样本.pdf", b"%PDF-1"))
    response = manager_client.post(VERSION_URL.format(version.pk), data)
    assert response.status_code == 302, text(response)[:2000]
    version.refresh_from_db()
    assert version.result_sample.read() == b"%PDF-1"
