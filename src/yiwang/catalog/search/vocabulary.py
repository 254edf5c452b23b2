"""The catalogue's own words: synonyms (开饭店 → 食品经营许可 企业开办 …) and what jieba learns
from them, so that the indexer and every query process cut the same words whole."""

from __future__ import annotations

import threading

from yiwang.catalog.search import backends, text

_lock = threading.Lock()
_learned = False


def split_expansion(expansion: str) -> list[str]:
    """An expansion is a list of catalogue words separated by spaces or commas."""
    return [t for t in text.normalise(expansion).split(" ") if t]


def learn_all_synonyms(*, again: bool = False) -> None:
    """jieba learns every colloquial term and every expansion word: once per query process,
    and `again` before each index write (a synonym may have been added since)."""
    global _learned
    if _learned and not again:
        return
    with _lock:
        if again or not _learned:
            rows = backends.all_synonyms()
            text.learn_words(w for term, exp in rows for w in (term, *split_expansion(exp)))
            _learned = True


def expansions_of(compact: str) -> list[str]:
    """The expansion words of every synonym whose term occurs in the (compact) query; for a
    query of Latin letters, of every synonym whose term it spells in pinyin or initials
    (shebaoka, sbk → 社保卡 → 社会保障卡), and that term itself."""
    learn_all_synonyms()
    found: list[str] = []
    if compact.isascii() and compact.isalpha():
        rows = [
            (term, expansion)
            for term, expansion in backends.all_synonyms()
            if compact in _spellings(text.compact(term))
        ]
        found.extend(dict.fromkeys(text.compact(term) for term, _ in rows))
    else:
        rows = backends.matching_synonyms(compact)
    for term, expansion in rows:
        words = split_expansion(expansion)
        text.learn_words([term, *words])
        found.extend(w for w in words if w != compact and w not in found)
    return [w for w in found if w != compact]


def _spellings(term: str) -> tuple[str, ...]:
    if term.isascii():
        return (term,)
    romanised = text.romanise(term)
    return (romanised.pinyin, romanised.initials)
