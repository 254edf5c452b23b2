"""The catalogue search's labelled query set (`yiwang.catalog.tests.search_queries`) against the
demo city's catalogue (`yiwang demo`), loaded through the catalogue's import service, so that
the search index is built by the event handlers exactly as in the demo. The demo names some
services differently: `search_queries.DEMO_NAMES`. (Here, not in the catalogue's tests: it needs
the demo city, which only the project knows.)"""

from __future__ import annotations

import pytest

from tests.test_demo_catalogue import load_city
from yiwang.catalog.models import SearchEntry, ServiceItem
from yiwang.catalog.search import search_catalogue
from yiwang.catalog.tests.search_queries import QUERIES, demo_names, satisfies

RECALL_TARGET = 0.9


@pytest.mark.django_db
def test_recall_at_5_on_the_demo_catalogue(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_city(size=None)
    assert SearchEntry.objects.filter(kind="item").count() == ServiceItem.objects.count()

    names = set(SearchEntry.objects.values_list("name", flat=True))
    asked = misses = 0
    report = []
    for labelled in QUERIES:
        accepted = demo_names(labelled)
        if accepted is None:
            continue  # the demo city has no such service
        assert any(satisfies(n, accepted) for n in names), accepted
        asked += 1
        top = [h.name for h in search_catalogue(query=labelled.query, page_size=5).hits]
        if not any(satisfies(name, accepted) for name in top):
            misses += 1
            report.append(f"{labelled.query!r} → {accepted}: got {top}")
    recall = 1 - misses / asked
    print(f"demo recall@5 = {recall:.3f} over {asked} queries", *report, sep="\n")
    assert asked >= 60
    assert recall >= RECALL_TARGET, "\n".join(report)
