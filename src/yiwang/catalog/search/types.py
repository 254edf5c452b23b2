"""What the search engine returns: typed, plain data (no models, no HTTP)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SearchState(StrEnum):
    """Why a page looks the way it does, for the page or API to word a helpful message."""

    OK = "ok"
    EMPTY_QUERY = "empty_query"  # nothing searchable left after normalising (spaces, punctuation)
    NO_RESULTS = "no_results"


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "item" (object_id = ServiceItem id) or "bundle" (object_id = Bundle id)
    object_id: int
    name: str
    department_name: str
    score: float
    snippet: str = ""


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int
    query: str
    expanded_terms: tuple[str, ...] = ()
    page: int = 1
    page_size: int = 10
    state: SearchState = SearchState.OK
    # True when more than `total` entries matched: results are cut at MAX_RESULTS
    total_capped: bool = False
    # True when the best hits were found by tolerating a typo (身分证 → 身份证)
    fuzzy: bool = False
