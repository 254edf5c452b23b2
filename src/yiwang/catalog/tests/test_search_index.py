"""Keeping the search index in step with the catalogue: events, rebuild, the command, the
database's own full-text index."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from yiwang.catalog.events import (
    BundlePublished,
    BundleWithdrawn,
    ServiceItemPublished,
    ServiceItemVersionRetired,
    SynonymsChanged,
    ThemeChanged,
)
from yiwang.catalog.handlers import index_published_item
from yiwang.catalog.models import (
    MaterialRequirement,
    SearchDocument,
    SearchEntry,
    SearchEntryKind,
    ServiceItem,
    ServiceItemVersion,
    Synonym,
    Theme,
    ThemeKind,
    VersionStatus,
)
from yiwang.catalog.search import (
    search_catalogue,
    search_index_bundle,
    search_index_item,
    search_index_rebuild,
    search_index_reconcile,
)
from yiwang.catalog.tests.search_catalogue import Catalogue, all_items, build_catalogue
from yiwang.platform.events import dispatch, subscribers_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> Catalogue:
    return build_catalogue()


def names(query: str, **kwargs: object) -> list[str]:
    return [h.name for h in search_catalogue(query=query, **kwargs).hits]  # type: ignore[arg-type]


def publish_new_version(catalogue: Catalogue, name: str, new_name: str) -> ServiceItemVersion:
    item = catalogue.items[name]
    old = item.live_version
    assert old is not None
    ServiceItemVersion.objects.filter(pk=old.pk).update(status=VersionStatus.RETIRED)
    new = ServiceItemVersion.objects.create(
        item=item,
        number=old.number + 1,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
        name=new_name,
        item_type=old.item_type,
        case_type=old.case_type,
        service_objects=old.service_objects,
    )
    item.live_version = new
    item.save(update_fields=["live_version"])
    return new


def test_rebuild_indexes_every_published_item_and_bundle(catalogue):
    count = search_index_rebuild()
    assert count == len(all_items()) + len(catalogue.bundles)
    assert SearchEntry.objects.count() == count
    assert SearchDocument.objects.count() == count  # every item of this catalogue differs
    assert SearchEntry.objects.filter(kind=SearchEntryKind.BUNDLE).count() == len(catalogue.bundles)


def test_the_rebuild_command_reports_what_it_wrote(catalogue):
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert f"{len(all_items()) + len(catalogue.bundles)} 条" in out.getvalue()


def test_handlers_are_subscribed_to_the_catalogue_events():
    assert index_published_item in subscribers_of(ServiceItemPublished)
    for event in (
        ServiceItemVersionRetired,
        BundlePublished,
        BundleWithdrawn,
        ThemeChanged,
        SynonymsChanged,
    ):
        assert subscribers_of(event), event


def test_publishing_a_new_version_reindexes_the_item(catalogue):
    old = catalogue.items["养犬登记"].live_version
    assert old is not None
    new = publish_new_version(catalogue, "养犬登记", "犬只登记证核发")
    assert names("犬只登记证")[:1] != ["犬只登记证核发"]  # not before the event

    dispatch(
        ServiceItemPublished(item_id=new.item_id, version_id=new.pk, previous_version_id=old.pk)
    )

    assert names("犬只登记证")[:1] == ["犬只登记证核发"]
    assert "养犬登记" not in names("养犬登记")
    assert names("qzdjz")[:1] == ["犬只登记证核发"]


def test_a_retired_item_leaves_the_index(catalogue):
    item = catalogue.items["无犯罪记录证明开具"]
    version = item.live_version
    assert version is not None
    ServiceItemVersion.objects.filter(pk=version.pk).update(status=VersionStatus.RETIRED)

    dispatch(ServiceItemVersionRetired(item_id=item.pk, version_id=version.pk, was_live=True))

    assert "无犯罪记录证明开具" not in names("无犯罪记录证明")
    assert not SearchEntry.objects.filter(kind=SearchEntryKind.ITEM, object_id=item.pk).exists()
    assert search_index_item(item.pk) is False


def test_a_withdrawn_bundle_leaves_the_index_and_comes_back_when_published(catalogue):
    bundle = catalogue.bundles["身后一件事"]
    bundle.is_published = False
    bundle.save(update_fields=["is_published"])
    dispatch(BundleWithdrawn(bundle_id=bundle.pk))
    assert "身后一件事" not in names("身后一件事")

    bundle.is_published = True
    bundle.save(update_fields=["is_published"])
    dispatch(BundlePublished(bundle_id=bundle.pk))
    assert names("身后一件事")[:1] == ["身后一件事"]
    assert search_index_bundle(bundle.pk) is True


def test_a_bundle_entry_follows_the_names_of_its_member_items(catalogue):
    new = publish_new_version(catalogue, "惠民殡葬补贴申领", "基本殡葬服务费用减免")
    search_index_item(new.item_id)
    entry = SearchEntry.objects.get(
        kind=SearchEntryKind.BUNDLE, object_id=catalogue.bundles["身后一件事"].pk
    )
    assert "基本殡葬服务费用减免" in entry.document.body_text


def test_renaming_a_theme_reindexes_its_items(catalogue):
    theme = Theme.objects.create(code="pets", name="宠物", audience="person", kind=ThemeKind.THEME)
    version = catalogue.items["养犬登记"].live_version
    assert version is not None
    version.themes.add(theme)
    dispatch(ThemeChanged(theme_id=theme.pk))
    assert "养犬登记" in names("宠物")

    Theme.objects.filter(pk=theme.pk).update(name="毛孩子之家")
    dispatch(ThemeChanged(theme_id=theme.pk))
    assert "养犬登记" in names("毛孩子之家")
    assert "养犬登记" not in names("宠物")


def test_the_full_text_index_follows_deletes_and_updates(catalogue):
    document = SearchDocument.objects.get(name="养犬登记")
    SearchDocument.objects.filter(pk=document.pk).update(name_tokens="犬只 登记 神兽")
    assert "养犬登记" in names("神兽")
    SearchEntry.objects.filter(document=document).delete()
    SearchDocument.objects.filter(pk=document.pk).delete()
    assert "养犬登记" not in names("神兽")
    assert "养犬登记" not in names("养犬登记")


def test_items_with_the_same_content_share_one_document(catalogue):
    first = catalogue.items["养犬登记"]
    twin = ServiceItem.objects.create(
        implementation_code="TWIN-1",
        basic_item=first.basic_item,
        department=catalogue.departments["mzj"],
        region=first.region,
        exercise_level="4",
        popularity=5000,
    )
    source = first.live_version
    assert source is not None
    version = ServiceItemVersion.objects.create(
        item=twin,
        number=1,
        status=VersionStatus.PUBLISHED,
        name=source.name,
        aliases=source.aliases,
        item_type=source.item_type,
        case_type=source.case_type,
    )
    for material in source.materials.all():
        MaterialRequirement.objects.create(
            version=version, order=material.order, name=material.name
        )
    twin.live_version = version
    twin.save(update_fields=["live_version"])

    search_index_item(twin.pk)

    document = SearchDocument.objects.get(name="养犬登记")
    assert document.entry_count == 2
    assert document.popularity == 5000
    hits = search_catalogue(query="养犬登记").hits
    assert [(h.name, h.department_name) for h in hits[:2]] == [
        ("养犬登记", "示范市民政局"),  # the same rank: the more popular first
        ("养犬登记", "示范市公安局"),
    ]

    ServiceItemVersion.objects.filter(item=twin).update(status=VersionStatus.RETIRED)
    search_index_item(twin.pk)
    document.refresh_from_db()
    assert (document.entry_count, document.popularity) == (1, first.popularity)

    ServiceItemVersion.objects.filter(item=first).update(status=VersionStatus.RETIRED)
    search_index_item(first.pk)
    assert not SearchDocument.objects.filter(name="养犬登记").exists()


def test_a_new_synonym_works_at_once_without_a_rebuild(catalogue):
    assert "养犬登记" not in names("毛孩子")
    Synonym.objects.create(term="毛孩子", expansion="养犬登记")
    assert names("我家毛孩子")[:1] == ["养犬登记"]


def test_the_database_keeps_its_own_full_text_index():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE 'catalog_searchdocument_fts%%'"
            )
            found = {row[0] for row in cursor.fetchall()}
            assert {
                "catalog_searchdocument_fts",
                "catalog_searchdocument_fts_insert",
                "catalog_searchdocument_fts_delete",
                "catalog_searchdocument_fts_update",
            } <= found
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'catalog_searchdocument'"
            )
            found = {row[0] for row in cursor.fetchall()}
            columns = ("name", "body", "pinyin", "initials", "gram")
            assert {f"catalog_searchdocument_{c}_tsv" for c in columns} <= found


def test_a_burst_of_publications_is_indexed_in_one_go(catalogue, django_assert_max_num_queries):
    new = [
        publish_new_version(catalogue, name, f"{name}（新版）")
        for name in ("养犬登记", "结婚登记", "离婚登记", "高龄津贴申领")
    ]
    events = [ServiceItemPublished(v.item_id, v.pk, None) for v in new]

    dispatch(events[0])  # catches up on all four
    assert len([n for n in names("新版") if n.endswith("（新版）")]) == 4
    with django_assert_max_num_queries(len(events) - 1):
        for event in events[1:]:
            dispatch(event)  # nothing left to do: one look-up each


def test_reconcile_repairs_a_stale_index(catalogue):
    SearchEntry.objects.filter(name="结婚登记").delete()
    retired = catalogue.items["离婚登记"]
    ServiceItemVersion.objects.filter(item=retired).update(status=VersionStatus.RETIRED)

    assert search_index_reconcile() == 2

    assert names("结婚登记")[:1] == ["结婚登记"]
    assert "离婚登记" not in names("离婚登记")
    assert search_index_reconcile() == 0
