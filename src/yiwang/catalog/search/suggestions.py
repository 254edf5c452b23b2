"""Search-as-you-type: names that start with or contain what was typed, or whose pinyin or
initials start with it, most popular first.

Suggestions run on every keystroke, so they never touch the full-text index: each process keeps
the distinct names of the documents (a few thousand even for 50,000 entries) in memory, and
reloads them when the index generation (one primary-key read) has moved on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from yiwang.catalog.models import SearchDocument, SearchIndexState
from yiwang.catalog.search import text

MAX_LIMIT = 20


@dataclass(frozen=True)
class Suggestion:
    name: str
    key: str  # compact name
    whole: str  # "\0" + pinyin and initials of the whole name, "\0"-separated
    words: str  # "\0" + pinyin and initials from every word start, "\0"-separated
    popularity: int


def _suggestion(name: str, key: str, pinyin: str, initials: str, popularity: int) -> Suggestion:
    pinyin_tokens, initials_tokens = pinyin.split(), initials.split()
    whole = [*pinyin_tokens[:1], *initials_tokens[:1]]
    return Suggestion(
        name,
        key,
        "\0" + "\0".join(whole),
        "\0" + "\0".join(pinyin_tokens + initials_tokens),
        popularity,
    )


@dataclass(frozen=True)
class _Loaded:
    generation: int
    names: tuple[Suggestion, ...]  # most popular first


_lock = threading.Lock()
_loaded = _Loaded(-1, ())


def _generation() -> int:
    value = SearchIndexState.objects.filter(pk=1).values_list("generation", flat=True).first()
    return int(value or 0)


def _names() -> tuple[Suggestion, ...]:
    global _loaded
    generation = _generation()
    loaded = _loaded
    if loaded.generation == generation:
        return loaded.names
    with _lock:
        if _loaded.generation != generation:
            best: dict[str, Suggestion] = {}
            rows = SearchDocument.objects.values_list(
                "name", "name_key", "pinyin_tokens", "initials_tokens", "popularity"
            )
            for name, key, pinyin, initials, popularity in rows.iterator(chunk_size=5000):
                seen = best.get(name)
                if seen is None or seen.popularity < popularity:
                    best[name] = _suggestion(name, key, pinyin, initials, popularity)
            ordered = sorted(best.values(), key=lambda s: (-s.popularity, s.name))
            _loaded = _Loaded(generation, tuple(ordered))
        return _loaded.names


def suggest(*, prefix: str, limit: int = 8) -> list[str]:
    limit = max(0, min(int(limit), MAX_LIMIT))
    typed = text.compact(prefix[: text.MAX_QUERY_CHARS])[: text.MAX_QUERY_CHARS]
    if not typed or not limit:
        return []
    first: list[str] = []  # starts with what was typed
    then: list[str] = []  # contains it, or matches it from a later word
    letters = typed.isascii() and typed.isalpha()
    start = "\0" + typed  # pinyin or initials that begin with what was typed
    for s in _names():
        if s.key.startswith(typed) or (letters and start in s.whole):
            first.append(s.name)
            if len(first) >= limit:
                break
        elif len(then) < limit and (typed in s.key or (letters and start in s.words)):
            then.append(s.name)
    return (first + then)[:limit]
