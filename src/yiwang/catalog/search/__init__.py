"""Catalogue search: jieba words over the database's own full-text index (SQLite FTS5,
PostgreSQL tsvector), pinyin and initials, synonyms, one wrong character. See
docs/catalog-search.md.

The functions below are the stable interface for pages, the API, handlers and commands.
"""

from __future__ import annotations

from yiwang.catalog.search import documents, engine, suggestions, vocabulary
from yiwang.catalog.search.types import SearchHit, SearchPage, SearchState


def search_catalogue(
    *, query: str, page: int = 1, page_size: int = 10, audience: str | None = None
) -> SearchPage:
    """Published items and bundles matching `query`, best first, one page of them.

    Never raises for any text: empty or junk input gives `state=EMPTY_QUERY`, nothing found
    `state=NO_RESULTS`. `page` starts at 1; `page_size` is kept within 1..50; `audience` is
    "person" or "enterprise" (anything else: no filter).
    """
    return engine.search(query=query, page=page, page_size=page_size, audience=audience)


def suggest(*, prefix: str, limit: int = 8) -> list[str]:
    """Up to `limit` (≤ 20) distinct names for search-as-you-type, most popular first."""
    return suggestions.suggest(prefix=prefix, limit=limit)


def search_index_item(item_id: int) -> bool:
    """(Re-)index one item from its live version; an item without a published live version
    leaves the index. Returns whether the item is now in the index."""
    return documents.index_item(item_id)


def search_index_published(item_id: int, version_id: int) -> int:
    """React to a published version: a no-op when the index has it already, else re-index every
    stale item in one go (a bulk import publishes thousands at once). Returns how many."""
    return documents.index_published(item_id, version_id)


def search_index_reconcile() -> int:
    """Re-index every item whose entry is missing or stale and drop entries of items no longer
    published; returns how many items were touched (for a periodic check)."""
    return documents.reconcile()


def search_index_bundle(bundle_id: int) -> bool:
    """(Re-)index one bundle; an unpublished bundle leaves the index."""
    return documents.index_bundle(bundle_id)


def search_index_theme(theme_id: int) -> int:
    """Re-index the items and bundles of a theme whose name changed; returns how many."""
    return documents.index_theme(theme_id)


def search_synonyms_changed() -> None:
    """Synonyms are read live by every query; this only teaches the word segmenter of this
    process the new words, so that it keeps them whole."""
    vocabulary.learn_all_synonyms(again=True)


def search_index_rebuild() -> int:
    """Rebuild the whole index in one transaction; returns the number of entries."""
    return documents.rebuild()


__all__ = [
    "SearchHit",
    "SearchPage",
    "SearchState",
    "search_catalogue",
    "search_index_bundle",
    "search_index_item",
    "search_index_published",
    "search_index_rebuild",
    "search_index_reconcile",
    "search_index_theme",
    "search_synonyms_changed",
    "suggest",
]
