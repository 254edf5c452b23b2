"""Writing the index: one `SearchEntry` per published item (its live version) and per published
bundle, each pointing at the `SearchDocument` of its searchable content, shared by every entry
with the same content. The database keeps its own full-text index in step (`models/search.py`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from yiwang.catalog.models import (
    Audience,
    Bundle,
    BundleMember,
    FrequentQuestion,
    MaterialRequirement,
    SearchDocument,
    SearchEntry,
    SearchEntryKind,
    SearchIndexState,
    ServiceItem,
    ServiceItemVersion,
    ServiceObject,
    VersionStatus,
)
from yiwang.catalog.search import backends, text, vocabulary

MAX_BODY_TOKENS = 400
MAX_BODY_TEXT = 4000
MAX_NAME_CHARS = 60  # pinyin and grams look at this much of a name or alias
CHUNK = 1000
HASHED_FIELDS = (
    "name",
    "names_key",
    "pinyin_key",
    "initials_key",
    "body_text",
    "name_tokens",
    "body_tokens",
    "pinyin_tokens",
    "initials_tokens",
    "gram_tokens",
)
PERSON_CODES = {ServiceObject.PERSON.value}
ENTERPRISE_CODES = {c.value for c in ServiceObject} - PERSON_CODES


@dataclass
class Source:
    """What one entry is built from, whatever it describes."""

    kind: str
    object_id: int
    name: str
    aliases: str = ""
    department_name: str = ""
    for_persons: bool = True
    for_enterprises: bool = True
    popularity: int = 0
    body: list[str] = field(default_factory=list)  # materials, FAQ, themes, member items
    version_id: int | None = None  # the live version an item's entry is built from


def build_document(name: str, aliases: str, body: tuple[str, ...]) -> SearchDocument:
    """The searchable content of an item or bundle; identical content gives an identical hash."""
    names = [name, *text.split_aliases(aliases)]
    text.learn_words(names[1:])
    keys = list(dict.fromkeys(k for k in (text.compact(n) for n in names) if k))
    name_words: dict[str, None] = {}
    pinyin_tokens: dict[str, None] = {}
    initials_tokens: dict[str, None] = {}
    gram_tokens: dict[str, None] = {}
    pinyin_keys: list[str] = []
    initials_keys: list[str] = []
    for key in keys:
        name_words.update(dict.fromkeys(text.words(key)))
        short = key[:MAX_NAME_CHARS]
        romanised = text.romanise(short)
        pinyin_keys.append(romanised.key)
        initials_keys.append(romanised.initials)
        pinyin, initials = text.suffix_tokens(short)
        pinyin_tokens.update(dict.fromkeys(pinyin))
        initials_tokens.update(dict.fromkeys(initials))
        gram_tokens.update(dict.fromkeys(text.grams(short)))
    body_words: dict[str, None] = {}
    for line in body:
        body_words.update(dict.fromkeys(text.words(line)))
        if len(body_words) >= MAX_BODY_TOKENS:
            break
    body_text = "\n".join(dict.fromkeys(line.strip() for line in body if line.strip()))
    document = SearchDocument(
        name=name[:200],
        name_key=(keys[0] if keys else "")[:200],
        names_key="|".join(keys),
        pinyin_key="|".join(pinyin_keys),
        initials_key="|".join(initials_keys),
        body_text=body_text[:MAX_BODY_TEXT],
        name_tokens=" ".join(name_words),
        body_tokens=" ".join(list(body_words)[:MAX_BODY_TOKENS]),
        pinyin_tokens=" ".join(pinyin_tokens),
        initials_tokens=" ".join(initials_tokens),
        gram_tokens=" ".join(gram_tokens),
    )
    content = "\x1f".join(getattr(document, f) for f in HASHED_FIELDS)
    document.content_hash = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return document


def build_entry(source: Source) -> SearchEntry:
    return SearchEntry(
        kind=source.kind,
        object_id=source.object_id,
        name=source.name[:200],
        aliases=source.aliases[:300],
        department_name=source.department_name[:200],
        for_persons=source.for_persons,
        for_enterprises=source.for_enterprises,
        popularity=source.popularity,
        version_id=source.version_id,
        indexed_at=timezone.now(),
    )


class _Documents:
    """Documents built for a batch of sources, each distinct content once."""

    def __init__(self) -> None:
        self.by_content: dict[tuple[str, str, tuple[str, ...]], SearchDocument] = {}

    def of(self, source: Source) -> SearchDocument:
        key = (source.name, source.aliases, tuple(source.body))
        document = self.by_content.get(key)
        if document is None:
            document = self.by_content[key] = build_document(*key)
        return document


def audiences_of(service_objects: Any) -> tuple[bool, bool]:
    codes = {str(c) for c in service_objects} if isinstance(service_objects, list) else set()
    if not codes:
        return True, True
    return bool(codes & PERSON_CODES), bool(codes & ENTERPRISE_CODES)


# --- items ---------------------------------------------------------------------------------

ITEM_FIELDS = (
    "id",
    "popularity",
    "department__name",
    "live_version_id",
    "live_version__name",
    "live_version__aliases",
    "live_version__service_objects",
)


def _live_items() -> Any:
    return ServiceItem.objects.filter(live_version__status=VersionStatus.PUBLISHED)


def _item_sources(rows: list[tuple[Any, ...]]) -> list[Source]:
    version_ids = [r[3] for r in rows]
    body: dict[int, list[str]] = defaultdict(list)
    for version_id, name in MaterialRequirement.objects.filter(
        version_id__in=version_ids
    ).values_list("version_id", "name"):
        body[version_id].append(name)
    for version_id, question, answer in FrequentQuestion.objects.filter(
        version_id__in=version_ids
    ).values_list("version_id", "question", "answer"):
        body[version_id].extend((question, answer))
    themes = ServiceItemVersion.themes.through.objects.filter(
        serviceitemversion_id__in=version_ids
    ).values_list("serviceitemversion_id", "theme__name")
    for version_id, theme_name in themes:
        body[version_id].append(theme_name)
    sources = []
    for item_id, popularity, department, version_id, name, aliases, objects in rows:
        for_persons, for_enterprises = audiences_of(objects)
        sources.append(
            Source(
                kind=SearchEntryKind.ITEM,
                object_id=item_id,
                name=name,
                aliases=aliases,
                department_name=department,
                for_persons=for_persons,
                for_enterprises=for_enterprises,
                popularity=popularity,
                body=body[version_id],
                version_id=version_id,
            )
        )
    return sources


# --- bundles -------------------------------------------------------------------------------

BUNDLE_FIELDS = ("id", "name", "aliases", "lead_department__name", "audience", "popularity")


def _bundle_sources(rows: list[tuple[Any, ...]]) -> list[Source]:
    bundle_ids = [r[0] for r in rows]
    body: dict[int, list[str]] = defaultdict(list)
    for bundle_id, description in Bundle.objects.filter(id__in=bundle_ids).values_list(
        "id", "description"
    ):
        body[bundle_id].append(description)
    for bundle_id, item_name in BundleMember.objects.filter(
        bundle_id__in=bundle_ids, item__live_version__isnull=False
    ).values_list("bundle_id", "item__live_version__name"):
        body[bundle_id].append(item_name)
    for bundle_id, theme_name in Bundle.themes.through.objects.filter(
        bundle_id__in=bundle_ids
    ).values_list("bundle_id", "theme__name"):
        body[bundle_id].append(theme_name)
    return [
        Source(
            kind=SearchEntryKind.BUNDLE,
            object_id=bundle_id,
            name=name,
            aliases=aliases,
            department_name=department,
            for_persons=audience == Audience.PERSON,
            for_enterprises=audience == Audience.ENTERPRISE,
            popularity=popularity,
            body=body[bundle_id],
        )
        for bundle_id, name, aliases, department, audience, popularity in rows
    ]


# --- writes --------------------------------------------------------------------------------


def _bump_generation() -> None:
    if not SearchIndexState.objects.filter(pk=1).update(generation=F("generation") + 1):
        SearchIndexState.objects.get_or_create(pk=1, defaults={"generation": 1})


def _chunks(values: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _document_ids(documents: Iterable[SearchDocument]) -> dict[str, int]:
    """Ids of these documents by content hash, inserting those not stored yet."""
    wanted = {d.content_hash: d for d in documents}
    ids: dict[str, int] = {}
    for chunk in _chunks(wanted, CHUNK):
        ids.update(
            SearchDocument.objects.filter(content_hash__in=chunk).values_list("content_hash", "id")
        )
    missing = [d for h, d in wanted.items() if h not in ids]
    if missing:
        # another process may insert the same content at the same time: ignore, then read back
        SearchDocument.objects.bulk_create(missing, batch_size=500, ignore_conflicts=True)
        for chunk in _chunks([d.content_hash for d in missing], CHUNK):
            ids.update(
                SearchDocument.objects.filter(content_hash__in=chunk).values_list(
                    "content_hash", "id"
                )
            )
    return ids


def _refresh_documents(document_ids: set[int]) -> None:
    """Recount entries and their best popularity; drop documents no entry points at."""
    entries = SearchEntry.objects.filter(document=OuterRef("pk")).values("document")
    for chunk in _chunks(sorted(document_ids), CHUNK):
        SearchDocument.objects.filter(pk__in=chunk).update(
            entry_count=Coalesce(Subquery(entries.annotate(n=Count("id")).values("n")), 0),
            popularity=Coalesce(Subquery(entries.annotate(p=Max("popularity")).values("p")), 0),
        )
        SearchDocument.objects.filter(pk__in=chunk, entry_count=0).delete()


def _replace(kind: str, object_ids: list[int], sources: list[Source]) -> None:
    vocabulary.learn_all_synonyms(again=True)
    built = _Documents()
    pairs = [(build_entry(s), built.of(s)) for s in sources]
    with transaction.atomic():
        touched: set[int] = set()
        for chunk in _chunks(object_ids, CHUNK):
            stale = SearchEntry.objects.filter(kind=kind, object_id__in=chunk)
            touched.update(stale.values_list("document_id", flat=True))
            stale.delete()
        ids = _document_ids(d for _, d in pairs)
        for entry, document in pairs:
            entry.document_id = ids[document.content_hash]
        SearchEntry.objects.bulk_create([e for e, _ in pairs], batch_size=500)
        _refresh_documents(touched | set(ids.values()))
        _bump_generation()


def index_items(item_ids: list[int]) -> int:
    """Re-index these items from their live versions (the others leave the index), and the
    published bundles that hold them (a bundle's document lists its members' names)."""
    item_ids = list(dict.fromkeys(item_ids))
    sources: list[Source] = []
    for chunk in _chunks(item_ids, CHUNK):
        rows = list(_live_items().filter(pk__in=chunk).values_list(*ITEM_FIELDS))
        sources.extend(_item_sources(rows))
    _replace(SearchEntryKind.ITEM, item_ids, sources)
    bundle_ids = Bundle.objects.filter(
        members__item_id__in=item_ids, is_published=True
    ).values_list("id", flat=True)
    index_bundles(list(bundle_ids))
    return len(sources)


def index_bundles(bundle_ids: list[int]) -> int:
    bundle_ids = list(dict.fromkeys(bundle_ids))
    if not bundle_ids:
        return 0
    rows = Bundle.objects.filter(pk__in=bundle_ids, is_published=True).values_list(*BUNDLE_FIELDS)
    sources = _bundle_sources(list(rows))
    _replace(SearchEntryKind.BUNDLE, bundle_ids, sources)
    return len(sources)


def stale_item_ids() -> list[int]:
    """Items whose entry is missing or built from another version than the live one, and
    entries of items no longer published."""
    current = SearchEntry.objects.filter(
        kind=SearchEntryKind.ITEM, object_id=OuterRef("pk"), version_id=OuterRef("live_version_id")
    )
    missing = _live_items().filter(~Exists(current)).values_list("id", flat=True)
    live = _live_items().filter(pk=OuterRef("object_id"), live_version_id=OuterRef("version_id"))
    orphans = (
        SearchEntry.objects.filter(kind=SearchEntryKind.ITEM)
        .filter(~Exists(live))
        .values_list("object_id", flat=True)
    )
    return sorted({*missing, *orphans})


def index_published(item_id: int, version_id: int) -> int:
    """After a version was published: nothing to do when its entry is current already; else
    catch up on every stale item at once, which turns a bulk import's thousands of events into
    one bulk write (the first event) and cheap checks (the others)."""
    if SearchEntry.objects.filter(
        kind=SearchEntryKind.ITEM, object_id=item_id, version_id=version_id
    ).exists():
        return 0
    return reconcile()


def reconcile() -> int:
    stale = stale_item_ids()
    for chunk in _chunks(stale, 5 * CHUNK):
        index_items(chunk)
    return len(stale)


def index_item(item_id: int) -> bool:
    return index_items([item_id]) == 1


def index_bundle(bundle_id: int) -> bool:
    return index_bundles([bundle_id]) == 1


def index_theme(theme_id: int) -> int:
    """A theme's name is part of its items' and bundles' documents."""
    item_ids = _live_items().filter(live_version__themes=theme_id).values_list("id", flat=True)
    count = index_items(list(item_ids))
    bundle_ids = Bundle.objects.filter(themes=theme_id).values_list("id", flat=True)
    return count + index_bundles(list(bundle_ids))


def rebuild() -> int:
    """Every published item and bundle, from scratch, in one transaction (readers keep seeing
    the old index until it commits)."""
    vocabulary.learn_all_synonyms(again=True)
    built = _Documents()
    pairs: list[tuple[SearchEntry, SearchDocument]] = []
    item_rows = _live_items().order_by("id").values_list(*ITEM_FIELDS)
    for chunk in _chunks(item_rows.iterator(chunk_size=CHUNK), CHUNK):
        pairs.extend((build_entry(s), built.of(s)) for s in _item_sources(chunk))
    bundle_rows = Bundle.objects.filter(is_published=True).order_by("id")
    for chunk in _chunks(bundle_rows.values_list(*BUNDLE_FIELDS).iterator(), CHUNK):
        pairs.extend((build_entry(s), built.of(s)) for s in _bundle_sources(chunk))
    documents: dict[str, SearchDocument] = {}
    for entry, document in pairs:
        canonical = documents.setdefault(document.content_hash, document)
        canonical.entry_count += 1
        canonical.popularity = max(canonical.popularity, entry.popularity)
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchDocument.objects.all().delete()
        SearchDocument.objects.bulk_create(documents.values(), batch_size=500)
        for entry, document in pairs:
            entry.document_id = documents[document.content_hash].pk
        SearchEntry.objects.bulk_create([e for e, _ in pairs], batch_size=1000)
        _bump_generation()
    backends.optimise()
    return len(pairs)
