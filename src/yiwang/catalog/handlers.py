"""The catalogue's reactions to its own events: keep the search index in step with what is
published. Each handler decides which entry is affected and calls the search package, which
re-reads the database (an item whose live version is no longer published leaves the index)."""

from __future__ import annotations

from yiwang.catalog.events import (
    BundlePublished,
    BundleWithdrawn,
    ServiceItemPublished,
    ServiceItemVersionRetired,
    SynonymsChanged,
    ThemeChanged,
)
from yiwang.catalog.search import (
    search_index_bundle,
    search_index_item,
    search_index_published,
    search_index_theme,
    search_synonyms_changed,
)
from yiwang.platform.events import subscribe


@subscribe(ServiceItemPublished)
def index_published_item(event: ServiceItemPublished) -> None:
    search_index_published(event.item_id, event.version_id)


@subscribe(ServiceItemVersionRetired)
def unindex_retired_item(event: ServiceItemVersionRetired) -> None:
    if event.was_live:  # a discarded draft was never in the index
        search_index_item(event.item_id)


@subscribe(BundlePublished)
def index_published_bundle(event: BundlePublished) -> None:
    search_index_bundle(event.bundle_id)


@subscribe(BundleWithdrawn)
def unindex_withdrawn_bundle(event: BundleWithdrawn) -> None:
    search_index_bundle(event.bundle_id)


@subscribe(ThemeChanged)
def reindex_theme(event: ThemeChanged) -> None:
    search_index_theme(event.theme_id)


@subscribe(SynonymsChanged)
def learn_synonyms(event: SynonymsChanged) -> None:
    search_synonyms_changed()
