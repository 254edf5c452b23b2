"""The query pipeline: normalise → synonyms → jieba words → full-text match ∪ pinyin/initials ∪
one-typo fallback → rank documents → page of entries.

Ranking tiers (higher first), for the query and for each synonym expansion (worth 0.9 of it):
100 exact name or alias · 90 name starts with the query · 80 name contains it · 70 name holds
every query word · 65 one wrong character / same pinyin · 40–60 name holds some of the words ·
30 the index matched a name word · 20 only materials, FAQ or themes mention it. Pinyin and
initials queries use the same scale on the romanised names. Within a tier of 70 and above:
popularity; below: full-text rank in four coarse steps, then popularity.

Matching, ranking and typo checks work on documents (distinct content, see `models/search.py`);
entries come in only to fill the requested page, each ranked as its document and among equals by
its own popularity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from yiwang.catalog.search import backends, text, vocabulary
from yiwang.catalog.search.backends import Row, Term
from yiwang.catalog.search.types import SearchHit, SearchPage, SearchState

MAX_PAGE_SIZE = 50
MAX_DOCUMENTS = 500  # candidate documents kept per query; `total_capped` says when cut
NAME_LIMIT = 300
PINYIN_LIMIT = 200
FUZZY_LIMIT = 150
BODY_LIMIT = 200
BROAD_WORDS = 6  # words of a long query looked up one by one when nothing better was found
TYPO = 65.0
DUPLICATE_PENALTY = 12.0  # per earlier entry of the same name on the way down the list
FEW_ENTRIES = 10  # fewer entries (a page) from names: also look for any word, and in materials
ENTRY_FETCH_LIMIT = 5000  # entries read at most to fill one page
MAX_TYPO_CHARS = 16  # longer queries are checked for a typo in their first 16 characters
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
    letter_parts: tuple[str, ...] = ()  # its words, when typed apart ("shenfenzheng huanling")
    homophone: str = ""  # "'"-joined pinyin of a Chinese query, to forgive wrong characters
    typo_groups: tuple[tuple[str, ...], ...] = ()


@dataclass
class Candidate:
    row: Row
    name_rank: float = 0.0
    body_rank: float = 0.0
    letters_match: bool = False
    scored: bool = False
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
        parts = tuple(p[: text.MAX_PINYIN_TOKEN] for p in normalised.split(" ") if len(p) > 1)
        analysed.letter_parts = parts if len(parts) > 1 else ()
    han = [ch for ch in compact if text.is_han(ch)]
    if len(han) >= 2 and len(han) == len(compact):
        analysed.homophone = text.romanise(compact).key
    if len(compact) >= 3:
        analysed.typo_groups = text.one_typo_gram_groups(compact[:MAX_TYPO_CHARS])
    return analysed


# --- candidates ----------------------------------------------------------------------------


def _collect(analysed: Analysed) -> tuple[dict[int, Candidate], bool]:
    """Candidate documents, narrow sources first; `capped` when a source may have had more.

    1. exact names; names holding every word of the query; names containing the query or a
       synonym expansion (all its bigrams); pinyin and initials for a Latin query;
    2. if no name holds the whole query: one wrong character, or the same pinyin;
    3. if nothing good was found: names holding any of the query's (longest) words;
    4. the same, in materials, FAQ and themes.
    """
    found: dict[int, Candidate] = {}
    capped = False

    def add(rows: list[Row], limit: int | None, source: str = "") -> None:
        nonlocal capped
        capped = capped or (limit is not None and len(rows) >= limit)
        for row in rows:
            candidate = found.get(row.id)
            if candidate is None:
                candidate = found[row.id] = Candidate(row)
            if source == "name":
                candidate.name_rank = max(candidate.name_rank, row.rank)
            elif source == "body":
                candidate.body_rank = max(candidate.body_rank, row.rank)
            elif source == "letters":
                candidate.letters_match = True

    add(backends.exact_names([a.compact for a in analysed.alternatives], NAME_LIMIT), NAME_LIMIT)
    terms = _terms(analysed)
    every_word = [[Term(w, prefix=w == terms[-1].text) for w in _required(analysed)]]
    contained = [[Term(g) for g in text.bigrams(a.compact)] for a in analysed.alternatives]
    # (every match here holds the whole query, a tier where popularity decides: no ranking)
    strict: dict[backends.Column, backends.Groups] = {"name": every_word, "gram": contained}
    add(backends.match_any(strict, NAME_LIMIT, by_popularity=True), NAME_LIMIT, "name")
    if analysed.letters:
        letters = analysed.letters
        initials = [[Term(letters[: text.MAX_INITIALS_TOKEN], prefix=True)]]
        pinyin = [[Term(letters[: text.MAX_PINYIN_TOKEN], prefix=True)]]
        if analysed.letter_parts:  # each word from some word start of the name
            pinyin.append([Term(p, prefix=True) for p in analysed.letter_parts])
        romanised: dict[backends.Column, backends.Groups] = {
            "initials": initials,
            "pinyin": pinyin,
        }
        rows = backends.match_any(romanised, PINYIN_LIMIT, by_popularity=True)
        add(rows, PINYIN_LIMIT, "letters")
    strong = any(_score(c, analysed) >= STRONG for c in found.values())
    if not strong:
        # no name holds the whole query: forgive one wrong character or a homophone
        if analysed.homophone:
            term = Term(analysed.homophone.replace("'", "")[: text.MAX_PINYIN_TOKEN], prefix=True)
            add(backends.match("pinyin", [term], FUZZY_LIMIT, by_popularity=True), None)
        if analysed.typo_groups:
            groups = [[Term(g) for g in group] for group in analysed.typo_groups]
            add(backends.match_groups("gram", groups, FUZZY_LIMIT), None)
    # any of the query's words; the longest (most telling) ones of a long query
    broad = sorted(dict.fromkeys(_required(analysed) + [t.text for t in terms]), key=len)
    words = [Term(w) for w in ([w for w in broad if len(w) > 1] or broad)[-BROAD_WORDS:]]
    good = strong or any(_score(c, analysed) >= TYPO for c in found.values())
    if len(terms) > 1 and (not good or _entries(found) < FEW_ENTRIES):
        add(backends.match("name", words, NAME_LIMIT), NAME_LIMIT, "name")
    if words and (not good or _entries(found) < FEW_ENTRIES):
        add(backends.match("body", words, BODY_LIMIT), BODY_LIMIT, "body")
    return found, capped


def _entries(found: dict[int, Candidate]) -> int:
    return sum(c.row.entry_count for c in found.values())


def _required(analysed: Analysed) -> list[str]:
    """Words every full match holds: the longest words of the query (身份证, not 身份)."""
    if not analysed.alternatives:
        return []
    return list(analysed.alternatives[0].required)


def _terms(analysed: Analysed) -> list[Term]:
    """The query's own words, any of which may match; the last one may be a prefix still being
    typed. (Synonym expansions are matched whole, through the bigrams.)"""
    if not analysed.alternatives:
        return []
    words = analysed.alternatives[0].words
    return [Term(w, prefix=i == len(words) - 1) for i, w in enumerate(words)]


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
        return TYPO
    return 0.0


def _score(candidate: Candidate, analysed: Analysed) -> float:
    """The tier of a document's names against the query (cached on the candidate)."""
    if candidate.scored:
        return candidate.score
    candidate.scored = True
    row = candidate.row
    names = row.names_key.split("|")
    best = 0.0
    for alternative in analysed.alternatives:
        best = max(best, _name_tier(names, alternative) * alternative.weight)
    if candidate.letters_match and analysed.letters:
        best = max(best, _letters_tier(row, analysed.letters))
    fuzzy = False
    if best < STRONG and analysed.compact:
        typo = TYPO if any(one_edit_apart(analysed.compact, n) for n in names) else 0.0
        if analysed.homophone:
            typo = max(typo, _homophone_tier(row, analysed.homophone))
        if typo > best:
            best, fuzzy = typo, True
    candidate.score = best
    candidate.fuzzy = fuzzy
    return best


def _rank(found: dict[int, Candidate], analysed: Analysed) -> list[Candidate]:
    for candidate in found.values():
        if _score(candidate, analysed) == 0.0:
            if candidate.name_rank > 0:
                candidate.score = 30.0  # the index matched a name word the text does not show
            elif candidate.body_rank > 0:
                candidate.score = 20.0
    kept = [c for c in found.values() if c.score > 0]
    top_name = max((c.name_rank for c in kept), default=0.0) or 1.0
    top_body = max((c.body_rank for c in kept), default=0.0) or 1.0
    for c in kept:
        # Names that hold the whole query are told apart by popularity alone; below that, the
        # full-text rank (in four steps, so that near-equals fall to popularity) comes first.
        if c.score >= STRONG:
            continue
        relative = c.name_rank / top_name if c.score >= 40 else c.body_rank / top_body
        c.rank_step = min(3, math.floor(relative * 4)) if relative > 0 else 0
    kept.sort(key=lambda c: (-c.score, -c.rank_step, -c.row.popularity, c.row.id))
    return kept


# --- the page ------------------------------------------------------------------------------


def _snippet(entry: backends.HitRow, analysed: Analysed) -> str:
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


def _page_of_entries(
    ranked: list[Candidate], audience: str | None, start: int, stop: int
) -> list[tuple[int, Candidate, float]]:
    """(entry id, document, score) of the entries `start:stop` in rank order. An entry ranks as
    its document does, less DUPLICATE_PENALTY for every more popular entry of the same name (so
    that a page is not one item implemented by ten counties, but their other implementations
    follow close), then by popularity.

    Documents are ranked best first and a document's popularity is its most popular entry's, so
    no entry of an unread document can beat the next document's best: reading stops as soon as
    `stop` entries are in hand that it cannot beat (the threshold algorithm)."""
    fetched: list[tuple[float, int, int, int, Candidate]] = []  # score, step, popularity, id
    ordered: list[tuple[tuple[float, int, int, int], Candidate]] = []
    i = 0
    want_entries = stop
    while i < len(ranked) and len(fetched) < ENTRY_FETCH_LIMIT:
        batch: list[Candidate] = []
        counted = 0
        while i < len(ranked) and (len(batch) < 2 * stop or counted < want_entries):
            batch.append(ranked[i])
            counted += ranked[i].row.entry_count
            i += 1
        by_id = {c.row.id: c for c in batch}
        for entry_id, document_id, popularity in backends.entries_of(list(by_id), audience):
            c = by_id[document_id]
            fetched.append((c.score, c.rank_step, popularity, -entry_id, c))
        want_entries *= 2
        ordered = _round_robin(fetched)
        if len(ordered) >= stop and i < len(ranked):
            nxt = ranked[i]
            if (nxt.score, nxt.rank_step, nxt.row.popularity) < ordered[stop - 1][0][:3]:
                break
    return [(-key[3], c, key[0]) for key, c in ordered[start:stop]]


def _round_robin(
    fetched: list[tuple[float, int, int, int, Candidate]],
) -> list[tuple[tuple[float, int, int, int], Candidate]]:
    fetched.sort(key=lambda t: t[:4], reverse=True)
    seen: dict[str, int] = {}
    keyed = []
    for score, step, popularity, negative_id, c in fetched:
        name = c.row.names_key.split("|", 1)[0]
        occurrence = seen.get(name, 0)
        seen[name] = occurrence + 1
        keyed.append(((score - DUPLICATE_PENALTY * occurrence, step, popularity, negative_id), c))
    keyed.sort(key=lambda t: t[0], reverse=True)
    return keyed


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
    found, capped = _collect(analysed)
    ranked = _rank(found, analysed)[:MAX_DOCUMENTS]
    if audience is None:
        total = sum(c.row.entry_count for c in ranked)
    else:
        total = backends.count_entries([c.row.id for c in ranked], audience)
    window = _page_of_entries(ranked, audience, (page - 1) * page_size, page * page_size)
    entries = {e.id: e for e in backends.hit_rows([entry_id for entry_id, _, _ in window])}
    hits = []
    for entry_id, c, score in window:
        entry = entries.get(entry_id)
        if entry is None:  # removed between the two reads
            continue
        hits.append(
            SearchHit(
                kind=entry.kind,
                object_id=entry.object_id,
                name=entry.name,
                department_name=entry.department_name,
                score=round(score + c.rank_step / 10, 2),
                snippet=_snippet(entry, analysed),
            )
        )
    return SearchPage(
        hits=hits,
        total=total,
        query=query,
        expanded_terms=analysed.expanded_terms,
        page=page,
        page_size=page_size,
        state=SearchState.OK if total else SearchState.NO_RESULTS,
        total_capped=capped,
        fuzzy=bool(ranked) and ranked[0].fuzzy,
    )
