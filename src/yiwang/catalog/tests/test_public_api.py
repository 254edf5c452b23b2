from __future__ import annotations

import pytest

from yiwang.catalog.tests.public_fixtures import build_mini_catalogue

pytestmark = pytest.mark.django_db


def test_items_api_is_paginated_and_filtered(client):
    build_mini_catalogue()
    body = client.get("/api/v1/catalog/items?visits=no_visit&page_size=5").json()
    assert body["count"] == 1
    assert body["page"] == 1
    assert body["page_size"] == 5
    [row] = body["items"]
    assert row["name"] == "食品经营许可证核发"
    assert row["visit_tag"] == "不见面"


def test_items_api_refuses_a_page_size_over_50(client):
    response = client.get("/api/v1/catalog/items?page_size=51")
    assert response.status_code == 422
    assert response.json()["code"] == "page_size_invalid"


def test_guide_api_returns_the_whole_guide(client):
    mini = build_mini_catalogue()
    body = client.get(f"/api/v1/catalog/items/{mini.food_licence.pk}").json()
    assert body["name"] == "食品经营许可证核发"
    assert body["visit_count"] == 0
    assert [m["name"] for m in body["materials"]] == ["食品经营许可申请书", "营业执照"]
    assert body["materials"][0]["blank_form_url"].endswith("/form/")
    assert body["materials"][1]["accepted_licence_types"] == ["BUSINESS_LICENCE"]
    assert [s["name"] for s in body["procedure"]] == ["受理", "审核", "审批", "办结", "送达"]
    assert body["faqs"] == [{"question": "小餐饮需要办理吗？", "answer": "小餐饮实行登记管理。"}]


def test_guide_api_hides_drafts(client):
    mini = build_mini_catalogue()
    response = client.get(f"/api/v1/catalog/items/{mini.draft_only.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_versions_materials_themes_and_bundles(client):
    mini = build_mini_catalogue()
    versions = client.get(f"/api/v1/catalog/items/{mini.food_licence.pk}/versions").json()
    assert [(v["number"], v["status"]) for v in versions] == [(1, "published")]
    materials = client.get(f"/api/v1/catalog/items/{mini.food_licence.pk}/materials").json()
    assert len(materials) == 2
    themes = client.get("/api/v1/catalog/themes?audience=person&kind=life_event").json()
    assert themes == [{"code": "birth", "name": "生育", "audience": "person", "kind": "life_event"}]
    bundles = client.get("/api/v1/catalog/bundles").json()
    assert [b["name"] for b in bundles] == ["开办餐饮店一件事"]
    detail = client.get(f"/api/v1/catalog/bundles/{mini.bundle.pk}").json()
    assert detail["supporting_department_names"] == ["示范市公安局"]
    assert [m["name"] for m in detail["members"]] == ["食品经营许可证核发"]


def test_search_api(client):
    from yiwang.catalog.search import search_index_rebuild

    build_mini_catalogue()
    search_index_rebuild()
    body = client.get("/api/v1/catalog/search?q=shenfenzheng").json()
    assert body["hits"][0]["name"] == "居民身份证换领"
    assert body["count"] >= 1
    assert client.get("/api/v1/catalog/suggest?q=食品").json()[0] == "食品经营许可证核发"
