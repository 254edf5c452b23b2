from __future__ import annotations

import pytest

from yiwang.catalog.models import ServiceItemVersion
from yiwang.catalog.tests.public_fixtures import build_mini_catalogue
from yiwang.licences.services import LicenceTypeData, licence_type_save

pytestmark = pytest.mark.django_db


def test_catalogue_home_shows_life_events_bundles_and_departments(client):
    build_mini_catalogue()
    page = client.get("/services/").content.decode()
    assert "您想办什么事？" in page
    assert "生育" in page
    assert "开办餐饮店一件事" in page
    assert "示范市市场监督管理局" in page


def test_guide_page_shows_every_part_of_the_guide(client):
    mini = build_mini_catalogue()
    response = client.get(f"/services/items/{mini.food_licence.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        "食品经营许可证核发",
        "不见面",
        "全程网办",
        "0次，全程网上办理",
        "承诺5个工作日",
        "法定20个工作日",
        "不收费",
        "食品经营许可申请书",
        "已有电子证照或共享数据的，无需提交",
        "受理",
        "送达",
        "小餐饮需要办理吗？",
        "《中华人民共和国食品安全法》第三十五条",
        "查看历史版本",
    ]:
        assert text in page, text


def _licence_types() -> None:
    for code, name in (
        ("BUSINESS_LICENCE", "营业执照"),
        ("FOOD_BUSINESS_LICENCE", "食品经营许可证"),
    ):
        licence_type_save(
            data=LicenceTypeData(
                code=code,
                type_code=f"11100000000013338W{len(code):03d}",
                name=name,
                defining_authority="国家市场监督管理总局",
                holder_kind="001",
            ),
            actor=None,
        )


def test_the_guide_names_the_licences_that_replace_a_material_and_the_one_it_issues(client):
    mini = build_mini_catalogue()
    _licence_types()
    version = mini.food_licence.live_version
    assert version is not None
    ServiceItemVersion.objects.filter(pk=version.pk).update(
        result_licence_type_code="FOOD_BUSINESS_LICENCE"
    )
    page = client.get(f"/services/items/{mini.food_licence.pk}/").content.decode()
    assert "已有电子证照（营业执照）的，无需提交" in page
    assert "同时发放电子证照（食品经营许可证），可在“我的证照”中出示和下载" in page
    assert "已有电子证照或共享数据的，无需提交" not in page


def test_the_licence_catalogue_lists_types_with_the_items_issuing_and_accepting_them(
    client, django_assert_max_num_queries
):
    mini = build_mini_catalogue()
    _licence_types()
    version = mini.food_licence.live_version
    assert version is not None
    ServiceItemVersion.objects.filter(pk=version.pk).update(
        result_licence_type_code="FOOD_BUSINESS_LICENCE"
    )
    with django_assert_max_num_queries(8):
        response = client.get("/services/licences/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "营业执照" in page
    assert "1 个事项可直接使用" in page  # the food licence guide accepts the business licence
    assert "由以下事项颁发：" in page
    assert (
        f'href="/services/items/{mini.food_licence.pk}/">食品经营许可证核发</a>（示范市市场监督管理局）'
        in page
    )
    assert "暂无事项引用" in page  # nothing accepts the food business licence yet
    assert "/services/licences/" in client.get("/services/").content.decode()


def test_a_charged_item_shows_its_fee(client):
    mini = build_mini_catalogue()
    page = client.get(f"/services/items/{mini.id_card.pk}/").content.decode()
    assert "工本费" in page
    assert "¥20.00" in page
    assert "最多跑一次" in page


def test_unpublished_and_missing_guides_are_the_same_friendly_404(client):
    mini = build_mini_catalogue()
    draft = client.get(f"/services/items/{mini.draft_only.pk}/")
    missing = client.get("/services/items/999999/")
    assert draft.status_code == missing.status_code == 404
    assert "尚未发布的事项" not in draft.content.decode()


def test_blank_form_downloads_as_an_attachment(client):
    mini = build_mini_catalogue()
    version = mini.food_licence.live_version
    assert version is not None
    material = version.materials.get(name="食品经营许可申请书")
    response = client.get(f"/services/materials/{material.pk}/form/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"PK\x03\x04demo"


def test_a_material_without_a_form_has_nothing_to_download(client):
    mini = build_mini_catalogue()
    version = mini.food_licence.live_version
    assert version is not None
    material = version.materials.get(name="营业执照")
    assert client.get(f"/services/materials/{material.pk}/form/").status_code == 404
    assert client.get(f"/services/materials/{material.pk}/sample/").status_code == 404


def test_item_list_filters_and_rejects_bad_input_kindly(client):
    build_mini_catalogue()
    page = client.get("/services/items/?visits=no_visit").content.decode()
    assert "食品经营许可证核发" in page
    assert "居民身份证换领" not in page
    bad = client.get("/services/items/?page=abc")
    assert bad.status_code == 422
    assert "参数“page”应为正整数" in bad.content.decode()


def test_item_list_answers_htmx_with_the_results_only(client):
    build_mini_catalogue()
    response = client.get("/services/items/?visits=no_visit", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.strip().startswith('<div id="item-results">')
    assert "<html" not in page


def test_theme_page_shows_the_steps_and_its_items(client):
    build_mini_catalogue()
    page = client.get("/services/themes/birth/").content.decode()
    assert "出生医学证明" in page
    assert "新生儿落户" in page
    assert "居民身份证换领" in page


def test_bundle_page_lists_members_and_departments(client):
    mini = build_mini_catalogue()
    page = client.get(f"/services/bundles/{mini.bundle.pk}/").content.decode()
    assert "开办餐饮店一件事" in page
    assert "示范市公安局" in page
    assert "食品经营许可证核发" in page


def test_history_lists_published_versions_but_never_drafts(client):
    mini = build_mini_catalogue()
    page = client.get(f"/services/items/{mini.food_licence.pk}/history/").content.decode()
    assert "第 1 版" in page
    assert client.get(f"/services/items/{mini.draft_only.pk}/history/").status_code == 404


def test_search_page_finds_items_by_colloquial_words_and_pinyin(client):
    from yiwang.catalog.search import search_index_rebuild

    build_mini_catalogue()
    search_index_rebuild()
    page = client.get("/services/search/?q=食品经营").content.decode()
    assert "食品经营许可证核发" in page
    pinyin = client.get("/services/search/?q=sfz").content.decode()
    assert "居民身份证换领" in pinyin


def test_search_page_with_junk_says_nothing_was_found(client):
    response = client.get("/services/search/?q=%22%2A%20NEAR%28")
    assert response.status_code == 200
    assert "没有找到相关事项" in response.content.decode()


def test_suggestions_come_back_as_a_small_list(client):
    from yiwang.catalog.search import search_index_rebuild

    build_mini_catalogue()
    search_index_rebuild()
    page = client.get("/services/suggest/?q=食品", HTTP_HX_REQUEST="true").content.decode()
    assert "食品经营许可证核发" in page
    assert "<html" not in page
