"""Recall@5 of the labelled query set against the test catalogue (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from yiwang.catalog.search import search_catalogue
from yiwang.catalog.tests.search_catalogue import build_catalogue
from yiwang.catalog.tests.search_queries import QUERIES, Labelled

RECALL_TARGET = 0.9


def found_in_top5(labelled: Labelled) -> bool:
    page = search_catalogue(query=labelled.query, page_size=5)
    kind = "bundle" if labelled.bundle else "item"
    return any(h.kind == kind and h.name == labelled.expected for h in page.hits)


def recall_report(queries: list[Labelled]) -> tuple[float, list[str]]:
    misses = []
    for labelled in queries:
        if not found_in_top5(labelled):
            top = [h.name for h in search_catalogue(query=labelled.query, page_size=5).hits]
            misses.append(f"{labelled.kind:10} {labelled.query!r} → {labelled.expected}: got {top}")
    return 1 - len(misses) / len(queries), misses


def test_the_labelled_set_is_large_and_varied():
    assert len(QUERIES) >= 60
    kinds = {q.kind for q in QUERIES}
    assert {"colloquial", "pinyin", "initials", "typo"} <= kinds
    assert sum(q.kind == "typo" for q in QUERIES) >= 10


@pytest.mark.django_db
def test_recall_at_5_of_the_labelled_queries_is_at_least_90_percent():
    build_catalogue()
    recall, misses = recall_report(QUERIES)
    print(f"recall@5 = {recall:.3f} over {len(QUERIES)} queries", *misses, sep="\n")
    assert recall >= RECALL_TARGET, "\n".join(misses)
