"""Text analysis shared by indexing and querying: the same functions on both sides, or nothing
matches.

- `normalise`: NFKC (full-width → half-width), lower case, punctuation and symbols → spaces.
- `words`: jieba's search mode (`cut_for_search`), which yields a long word and its dictionary
  sub-words (居民身份证 → 居民 身份 身份证 居民身份证), minus stop words.
- `romanise`: pypinyin syllables and initials per character, and the "suffix" tokens that let a
  prefix query match from any word start (sfz → 居民身份证换领).
- `grams`: character bigrams and skip-bigrams, for one wrong character (身分证 shares 身_证).

jieba is loaded on first use, quietly, into a tokenizer of our own (not jieba's global one), and
learns the catalogue's words (aliases, synonyms) as they are seen.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import jieba
from pypinyin import Style, lazy_pinyin

jieba.setLogLevel(logging.WARNING)

# Longest normalised query we analyse; longer input is cut (500 characters of junk stay cheap).
MAX_QUERY_CHARS = 64
# Suffix tokens are cut to these lengths; queries are cut the same way, so prefixes still match.
MAX_PINYIN_TOKEN = 48
MAX_INITIALS_TOKEN = 16
# Words that say nothing about which service is meant (我想…怎么办).
STOPWORDS = frozenset(
    (
        "我",
        "你",
        "他",
        "她",
        "它",
        "我们",
        "想",
        "要",
        "想要",
        "我想",
        "我要",
        "怎么",
        "怎么办",
        "怎么样",
        "怎样",
        "如何",
        "咋",
        "咋办",
        "哪里",
        "哪儿",
        "在哪",
        "在哪里",
        "在哪儿",
        "去哪",
        "去哪里",
        "什么",
        "啥",
        "的",
        "地",
        "得",
        "了",
        "吗",
        "呢",
        "啊",
        "吧",
        "呀",
        "哦",
        "么",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "到",
        "给",
        "把",
        "被",
        "请问",
        "请",
        "一下",
        "需要",
        "需",
        "可以",
        "能",
        "能否",
        "应该",
        "办",
        "去",
        "有",
        "没有",
        "还",
        "就",
        "都",
        "也",
        "该",
        "找",
    )
)
# Words of government services that jieba's general dictionary cuts badly.
DOMAIN_WORDS = (
    "一件事",
    "一网通办",
    "食品经营许可",
    "食品经营许可证",
    "食品生产许可",
    "营业执照",
    "企业开办",
    "企业设立",
    "出生医学证明",
    "生育登记",
    "生育服务",
    "居住证",
    "居民身份证",
    "临时身份证",
    "户口簿",
    "户口本",
    "社保卡",
    "社会保障卡",
    "医保卡",
    "公积金",
    "住房公积金",
    "不动产",
    "不动产登记",
    "不动产权证",
    "房产证",
    "结婚登记",
    "离婚登记",
    "驾驶证",
    "行驶证",
    "机动车",
    "养老金",
    "养老保险",
    "失业保险",
    "工伤保险",
    "医疗保险",
    "生育保险",
    "低保",
    "最低生活保障",
    "残疾人证",
    "老年人优待证",
    "施工许可",
    "建筑工程施工许可证",
    "排污许可",
    "卫生许可",
    "道路运输",
    "网约车",
    "出租车",
    "积分落户",
    "新生儿",
    "入户",
    "迁入",
    "迁出",
    "换领",
    "补领",
    "首次申领",
    "核发",
    "注销",
    "变更",
    "延续",
    "备案",
    "提取",
    "申领",
    "认定",
    "退休",
)


ALIAS_SEPARATORS = re.compile(r"[,，、;；/|\n]+")


def split_aliases(aliases: str) -> list[str]:
    """Aliases are stored comma-separated (Chinese or Latin commas, 、 and semicolons too)."""
    return [a.strip() for a in ALIAS_SEPARATORS.split(aliases or "") if a.strip()]


def normalise(text: str) -> str:
    """Fold width and case; keep letters, digits and marks; every other run becomes one space."""
    folded = unicodedata.normalize("NFKC", text).lower()
    kept = [ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in folded]
    return " ".join("".join(kept).split())


def compact(text: str) -> str:
    """`normalise` without spaces: the form names are compared in."""
    return normalise(text).replace(" ", "")


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"


class _Segmenter:
    """One jieba tokenizer for the process: loaded once (about a second), then read-only except
    for words added under the lock."""

    def __init__(self) -> None:
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()
        self._known: set[str] = set()
        self._cache: dict[str, tuple[str, ...]] = {}

    def _loaded(self) -> jieba.Tokenizer:
        tokenizer = self._tokenizer
        if tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    fresh = jieba.Tokenizer()
                    fresh.initialize()
                    for word in DOMAIN_WORDS:
                        fresh.add_word(word)
                    self._known.update(DOMAIN_WORDS)
                    self._tokenizer = fresh
                tokenizer = self._tokenizer
        return tokenizer

    def learn(self, candidates: Iterable[str]) -> None:
        """Teach jieba catalogue words (aliases, synonyms) so that it keeps them whole."""
        new = {w for w in candidates if 2 <= len(w) <= 12 and w not in self._known}
        if not new:
            return
        tokenizer = self._loaded()
        with self._lock:
            for word in sorted(new):
                tokenizer.add_word(word)
            self._known.update(new)
            self._cache.clear()

    def search_words(self, text: str) -> tuple[str, ...]:
        """jieba search-mode words of one normalised phrase (no spaces), memoised."""
        found = self._cache.get(text)
        if found is None:
            found = tuple(str(w) for w in self._loaded().cut_for_search(text))
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[text] = found
        return found

    def word_starts(self, text: str) -> set[int]:
        """Character offsets where a search-mode word starts."""
        return {int(start) for _, start, _ in self._loaded().tokenize(text, mode="search")}


segmenter = _Segmenter()


def learn_words(candidates: Iterable[str]) -> None:
    segmenter.learn(compact(w) for w in candidates)


def words(text: str) -> list[str]:
    """Distinct search words of a text, in order, without stop words."""
    seen: dict[str, None] = {}
    for part in normalise(text).split(" "):
        if not part:
            continue
        for word in segmenter.search_words(part):
            if word.strip() and word not in STOPWORDS:
                seen.setdefault(word, None)
    return list(seen)


def precise_words(text: str) -> list[str]:
    """The words of a query that must each appear for a full match: search-mode words that are
    not contained in a longer word of the same query (身份证 rather than 身份 and 身份证)."""
    found = words(text)
    return [w for w in found if not any(w != other and w in other for other in found)]


@dataclass(frozen=True)
class Romanised:
    """Pinyin of a compact text: one unit per Han character, one per run of Latin letters or
    digits (kept whole: "etc", "12345")."""

    units: tuple[str, ...]
    han: tuple[bool, ...]
    starts: tuple[int, ...]  # character offset of each unit

    @property
    def pinyin(self) -> str:
        return "".join(self.units)

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(u[0] if h else u for u, h in zip(self.units, self.han, strict=True))

    @property
    def initials(self) -> str:
        return "".join(self.letters)

    @property
    def key(self) -> str:
        """Units joined by "'" so that a match can be checked on syllable boundaries."""
        return "'".join(self.units)


@lru_cache(maxsize=20_000)
def romanise(text: str) -> Romanised:
    units: list[str] = []
    han: list[bool] = []
    starts: list[int] = []
    i = 0
    while i < len(text):
        j = i
        is_han_run = is_han(text[i])
        while j < len(text) and is_han(text[j]) == is_han_run:
            j += 1
        run = text[i:j]
        if is_han_run:
            readings = lazy_pinyin(run, style=Style.NORMAL)
            if len(readings) != len(run):  # alignment matters more than phrase context
                readings = [lazy_pinyin(ch, style=Style.NORMAL)[0] for ch in run]
            units.extend(r.lower() for r in readings)
            han.extend([True] * len(run))
            starts.extend(range(i, j))
        else:
            units.append(run)
            han.append(False)
            starts.append(i)
        i = j
    return Romanised(tuple(units), tuple(han), tuple(starts))


def suffix_tokens(text: str) -> tuple[list[str], list[str]]:
    """Pinyin and initials of a compact text from each word start to its end (cut to a
    maximum), so that a prefix query matches from any word: sfz* ∈ {jmsfzhl, sfzhl, hl}."""
    romanised = romanise(text)
    word_starts = segmenter.word_starts(text) | {0}
    letters = romanised.letters
    pinyin: list[str] = []
    initials: list[str] = []
    for index, start in enumerate(romanised.starts):
        if start in word_starts:
            pinyin.append("".join(romanised.units[index:])[:MAX_PINYIN_TOKEN])
            initials.append("".join(letters[index:])[:MAX_INITIALS_TOKEN])
    return pinyin, initials


def grams(text: str) -> list[str]:
    """Character bigrams and skip-bigrams ("x" + first + third) of a compact text."""
    out: dict[str, None] = {}
    for i in range(len(text) - 1):
        out.setdefault(text[i : i + 2], None)
        if i + 2 < len(text):
            out.setdefault("x" + text[i] + text[i + 2], None)
    return list(out)


def bigrams(text: str) -> list[str]:
    return list(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))


def one_typo_gram_groups(text: str) -> tuple[tuple[str, ...], ...]:
    """Groups of gram tokens such that a name within one wrong, missing or extra character of
    `text` holds every token of at least one group. The index finds those names cheaply (AND
    within a group, OR between groups); Python then checks them.

    A longer text is cut in two halves: the typo is in one of them, so the name holds the other
    whole. A short one gets a group per place the typo can be."""
    n = len(text)
    if n > 5:
        half = n // 2
        return (tuple(bigrams(text[:half])), tuple(bigrams(text[half:])))
    groups: dict[tuple[str, ...], None] = {}
    for i in range(n):
        head, tail = text[:i], text[i + 1 :]
        wrong = [*bigrams(head), *bigrams(tail)]  # text[i] is wrong
        if head and tail:
            wrong.append("x" + head[-1] + tail[0])
        extra = bigrams(head + tail) if head and tail else []  # text[i] is one too many
        before, after = text[:i], text[i:]
        missing = [*bigrams(before), *bigrams(after)]  # one is missing before text[i]
        if before:
            missing.append("x" + before[-1] + after[0])
        for group in (wrong, extra, missing):
            if group:
                groups.setdefault(tuple(dict.fromkeys(group)), None)
    return tuple(groups)
