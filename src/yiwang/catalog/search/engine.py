"""The query pipeline: normalise → synonyms → jieba words → full-text match ∪ pinyin/initials ∪
one-typo fallback → rank → page.

Ranking tiers (higher first), for the query and for each synonym expansion (worth 0.9 of it):
100 exact name or alias · 90 name starts with the query · 80 name contains it · 70 name holds
every query word · 65 one wrong character / same pinyin · 40–60 name holds some of the words ·
20 only materials, FAQ or themes mention it. Pinyin and initials queries use the same scale on
the romanised names. Within a tier: full-text rank (in coarse steps), then popularity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from yiwang.catalog.models import SearchEntry
from yiwang.catalog.search import backends, text, vocabulary
from yiwang.catalog.search.backends import Row, Term
from yiwang.catalog.search.types import SearchHit, SearchPage, SearchState

MAX_PAGE_SIZE = 50
MAX_RESULTS = 500  # candidates kept per query; beyond, `total_capped` says so
NAME_LIMIT = 300
PINYIN_LIMIT = 200
FUZZY_LIMIT = 150
MAX_WORDS = 12
EXPANSION_WEIGHT = 0.9
STRONG = 70.0  # a hit at or above this tier means no typo fallback is needed
SNIPPET_CHARS = 60
AUDIENCES = {"person", "enterprise"}


@dataclass(frozen=True)
class Alternative:
    """The query, or one synonym expansion of it."""

    compact: str
    words: tuple[str, ...]  # search-mode words, for the full-text match
    required: tuple[str, ...]  # the longest words, for snippets
    spans: tuple[tuple[str, frozenset[int]], ...]  # each word and the query characters it covers
    meaningful: int  # characters covered by some word (stop words cover none)
    weight: float


def alternative(compact: str, phrase: str, weight: float) -> Alternative:
    words = tuple(text.words(phrase)[:MAX_WORDS])
    spans = []
    for word in words:
        positions: set[int] = set()
        at = compact.find(word)
        while at != -1:
            positions.update(range(at, at + len(word)))
            at = compact.find(word, at + 1)
        if positions:
            spans.append((word, frozenset(positions)))
    meaningful = len(frozenset().union(*(p for _, p in spans))) if spans else 0
    required = tuple(text.precise_words(phrase)[:MAX_WORDS])
    return Alternative(compact, words, required, tuple(spans), meaningful, weight)


@dataclass
class Analysed:
    text: str  # normalised, cut
    compact: str
    alternatives: list[Alternative]
    expanded_terms: tuple[str, ...]
    letters: str = ""  # a query of Latin letters only: pinyin or initials
    homophone: str = ""  # "'"-joined pinyin of a Chinese query, to forgive wrong characters
    grams: tuple[str, ...] = ()


@dataclass
class Candidate:
    row: Row
    name_rank: float = 0.0
    body_rank: float = 0.0
    letters_match: bool = False
    fuzzy_source: bool = False
    score: float = 0.0
    fuzzy: bool = False
    rank_step: int = 0


def analyse(query: str) -> Analysed:
    normalised = text.normalise(query[: text.MAX_QUERY_CHARS * 4])[: text.MAX_QUERY_CHARS].strip()
    compact = normalised.replace(" ", "")
    expansions = vocabulary.expansions_of(compact) if compact else []
    alternatives = []
    if compact:
        alternatives.append(alternative(compact, normalised, 1.0))
    alternatives.extend(alternative(term, term, EXPANSION_WEIGHT) for term in expansions)
    analysed = Analysed(normalised, compact, alternatives, tuple(expansions))
    if compact.isascii() and compact.isalpha() and len(compact) >= 2:
        analysed.letters = compact
    han = [ch for ch in compact if text.is_han(ch)]
    if len(han) >= 2 and len(han) == len(compact):
        analysed.homophone = text.romanise(compact).key
    if len(compact) >= 3:
        analysed.grams = tuple(text.grams(compact[:24]))
    return analysed


# --- candidates ----------------------------------------------------------------------------


def _collect(analysed: Analysed, audience: str | None) -> tuple[dict[int, Candidate], bool]:
    found: dict[int, Candidate] = {}
    capped = False

    def add(rows: list[Row], limit: int, **flags: Any) -> None:
        nonlocal capped
        capped = capped or len(rows) >= limit
        for row in rows:
            candidate = found.get(row.id)
            if candidate is None:
                candidate = found[row.id] = Candidate(row)
            for name, value in flags.items():
                if name.endswith("_rank"):
                    setattr(candidate, name, max(getattr(candidate, name), row.rank))
                else:
                    setattr(candidate, name, value)

    keys = [a.compact for a in analysed.alternatives]
    add(backends.exact_names(keys, audience, NAME_LIMIT), NAME_LIMIT)
    terms = _terms(analysed)
    if terms:
        add(backends.match("name", terms, audience, NAME_LIMIT), NAME_LIMIT, name_rank=0)
    if analysed.letters:
        letters = analysed.letters
        initials = [Term(letters[: text.MAX_INITIALS_TOKEN], prefix=True)]
        pinyin = [Term(letters[: text.MAX_PINYIN_TOKEN], prefix=True)]
        for column, column_terms in (("initials", initials), ("pinyin", pinyin)):
            rows = backends.match(column, column_terms, audience, PINYIN_LIMIT, by_popularity=True)  # type: ignore[arg-type]
            add(rows, PINYIN_LIMIT, letters_match=True)
    for candidate in found.values():
        _score(candidate, analysed)
    if not any(c.score >= STRONG for c in found.values()):
        if analysed.homophone:
            term = Term(analysed.homophone.replace("'", "")[: text.MAX_PINYIN_TOKEN], prefix=True)
            rows = backends.match("pinyin", [term], audience, FUZZY_LIMIT, by_popularity=True)
            add(rows, FUZZY_LIMIT * 10, fuzzy_source=True)
        if analysed.grams:
            gram_terms = [Term(g) for g in analysed.grams]
            add(
                backends.match("gram", gram_terms, audience, FUZZY_LIMIT),
                FUZZY_LIMIT * 10,
                fuzzy_source=True,
            )
    if terms and len(found) < MAX_RESULTS:
        limit = MAX_RESULTS - len(found)
        add(backends.match("body", terms, audience, limit), limit, body_rank=0)
    return found, capped


def _terms(analysed: Analysed) -> list[Term]:
    terms: dict[str, Term] = {}
    for index, alternative in enumerate(analysed.alternatives):
        for position, word in enumerate(alternative.words):
            last = index == 0 and position == len(alternative.words) - 1
            prefix = last and len(word) >= 1
            existing = terms.get(word)
            if existing is None or (prefix and not existing.prefix):
                terms[word] = Term(word, prefix=prefix)
    return list(terms.values())


# --- ranking -------------------------------------------------------------------------------


def _name_tier(names: list[str], alternative: Alternative) -> float:
    query = alternative.compact
    if query in names:
        return 100.0
    if any(n.startswith(query) for n in names):
        return 90.0
    if any(query in n for n in names):
        return 80.0
    if not alternative.meaningful:
        return 0.0
    covered: set[int] = set()
    for word, positions in alternative.spans:
        if not positions <= covered and any(word in n for n in names):
            covered |= positions
    if len(covered) >= alternative.meaningful:
        return 70.0
    return 40.0 + 20.0 * len(covered) / alternative.meaningful if covered else 0.0


def _letters_tier(row: Row, letters: str) -> float:
    best = 0.0
    for key in (row.pinyin_key.replace("'", "").split("|"), row.initials_key.split("|")):
        if letters in key:
            return 100.0
        if any(k.startswith(letters) for k in key):
            best = max(best, 90.0)
    return best or 80.0  # matched by the index from a later word start


def one_edit_apart(query: str, name: str) -> bool:
    """Is `query` at most one wrong, missing or extra character away from a part of `name`?"""
    n = len(query)
    if n < 3:
        return False
    half = n // 2
    for anchor, offset in ((query[:half], 0), (query[half:], half)):
        start = name.find(anchor)
        while start != -1:
            origin = start - offset
            for length in (n, n - 1, n + 1):
                if (
                    origin >= 0
                    and origin + length <= len(name)
                    and _within_one_edit(query, name[origin : origin + length])
                ):
                    return True
                if offset and length != n:
                    # the anchor was the tail: an extra or missing character moves the start
                    shifted = origin + (n - length)
                    if (
                        shifted >= 0
                        and shifted + length <= len(name)
                        and _within_one_edit(query, name[shifted : shifted + length])
                    ):
                        return True
            start = name.find(anchor, start + 1)
    return False


def _within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == len(b):
        return sum(1 for x, y in zip(a, b, strict=True) if x != y) <= 1
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def _homophone_tier(row: Row, homophone: str) -> float:
    needle = "'" + homophone + "'"
    if any(needle in "'" + key + "'" for key in row.pinyin_key.split("|")):
        return 65.0
    return 0.0


def _score(candidate: Candidate, analysed: Analysed) -> None:
    row = candidate.row
    names = row.names_key.split("|")
    best = 0.0
    for alternative in analysed.alternatives:
        best = max(best, _name_tier(names, alternative) * alternative.weight)
    if candidate.letters_match and analysed.letters:
        best = max(best, _letters_tier(row, analysed.letters))
    fuzzy = False
    if best < STRONG and analysed.compact:
        typo = 65.0 if any(one_edit_apart(analysed.compact, n) for n in names) else 0.0
        if analysed.homophone:
            typo = max(typo, _homophone_tier(row, analysed.homophone))
        if typo > best:
            best, fuzzy = typo, True
    if best == 0.0 and candidate.name_rank > 0:
        best = 30.0  # the index matched a name word that the name text does not show as such
    if best == 0.0 and candidate.body_rank > 0:
        best = 20.0
    candidate.score = best
    candidate.fuzzy = fuzzy


def _rank(found: dict[int, Candidate], analysed: Analysed) -> list[Candidate]:
    for candidate in found.values():
        _score(candidate, analysed)
    kept = [c for c in found.values() if c.score > 0]
    top_name = max((c.name_rank for c in kept), default=0.0) or 1.0
    top_body = max((c.body_rank for c in kept), default=0.0) or 1.0
    for c in kept:
        relative = c.name_rank / top_name if c.score >= 40 else c.body_rank / top_body
        c.rank_step = min(3, math.floor(relative * 4)) if relative > 0 else 0
    kept.sort(key=lambda c: (-c.score, -c.rank_step, -c.row.popularity, c.row.id))
    return kept


# --- the page ------------------------------------------------------------------------------


def _snippet(entry: SearchEntry, analysed: Analysed) -> str:
    needles = [w for a in analysed.alternatives for w in (a.compact, *a.required) if w]
    for alias in text.split_aliases(entry.aliases):
        if any(n in text.compact(alias) for n in needles):
            return f"俗称：{alias.strip()}"
    if text.compact(entry.name) and any(n in text.compact(entry.name) for n in needles):
        return ""
    for line in entry.body_text.splitlines():
        key = text.compact(line)
        for needle in needles:
            at = key.find(needle)
            if at != -1:
                return _excerpt(line, needle)
    return ""


def _excerpt(line: str, needle: str) -> str:
    line = " ".join(line.split())
    if len(line) <= SNIPPET_CHARS:
        return line
    at = max(0, line.find(needle[:1]) - SNIPPET_CHARS // 3)
    part = line[at : at + SNIPPET_CHARS]
    return ("…" if at else "") + part + ("…" if at + SNIPPET_CHARS < len(line) else "")


def search(*, query: str, page: int, page_size: int, audience: str | None) -> SearchPage:
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    audience = audience if audience in AUDIENCES else None
    analysed = analyse(query or "")
    if not analysed.alternatives:
        return SearchPage(
            hits=[],
            total=0,
            query=query,
            page=page,
            page_size=page_size,
            state=SearchState.EMPTY_QUERY,
        )
    found, capped = _collect(analysed, audience)
    ranked = _rank(found, analysed)[:MAX_RESULTS]
    capped = capped or len(found) > MAX_RESULTS
    window = ranked[(page - 1) * page_size : page * page_size]
    entries = SearchEntry.objects.only(
        "id", "kind", "object_id", "name", "aliases", "department_name", "body_text"
    ).in_bulk([c.row.id for c in window])
    hits = []
    for c in window:
        entry = entries.get(c.row.id)
        if entry is None:  # removed between the two reads
            continue
        hits.append(
            SearchHit(
                kind=entry.kind,
                object_id=entry.object_id,
                name=entry.name,
                department_name=entry.department_name,
                score=round(c.score + c.rank_step / 10, 2),
                snippet=_snippet(entry, analysed),
            )
        )
    return SearchPage(
        hits=hits,
        total=len(ranked),
        query=query,
        expanded_terms=analysed.expanded_terms,
        page=page,
        page_size=page_size,
        state=SearchState.OK if ranked else SearchState.NO_RESULTS,
        total_capped=capped and len(ranked) >= MAX_RESULTS,
        fuzzy=bool(ranked) and ranked[0].fuzzy,
    )
