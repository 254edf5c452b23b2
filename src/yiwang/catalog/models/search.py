"""The search index (`yiwang.catalog.search`), in two tables.

- `SearchDocument`: what is searched — names and aliases, materials, FAQ and themes, as tokens —
  stored once per distinct content. A catalogue implements the same basic items again in every
  county and town, so 50,000 entries share a few thousand documents, and every full-text match,
  ranking and typo check works on documents.
- `SearchEntry`: one per published item (its live version) or bundle, pointing at its document,
  with what differs between implementations: department, audience, popularity.

The rows are the source of truth. The database's own full-text index over the documents' token
columns is derived and kept in step by the database itself, so that every ORM write (one row,
`bulk_create`, deletes) updates it in the same transaction:

- SQLite: the FTS5 table `catalog_searchdocument_fts` (external content = the document table),
  maintained by triggers (migration 0005).
- PostgreSQL: generated `tsvector` columns with GIN indexes (migration 0005).

Token columns hold space-separated tokens already normalised by the search package, so that
neither database's parser has to understand Chinese.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SearchEntryKind(models.TextChoices):
    ITEM = "item", "事项"
    BUNDLE = "bundle", "一件事"


class SearchDocument(models.Model):
    content_hash = models.CharField("内容摘要", max_length=64, unique=True)
    name = models.CharField("名称", max_length=200)
    # normalised name without spaces, for the exact-name look-up
    name_key = models.CharField("规范名称", max_length=200, db_index=True)
    # normalised name and aliases, "|"-separated, for ranking in Python
    names_key = models.TextField("规范名称与俗称", blank=True)
    # pinyin of name and aliases, syllables "'"-separated, names "|"-separated; initials likewise
    pinyin_key = models.TextField("拼音", blank=True)
    initials_key = models.TextField("首字母", blank=True)
    # display text of materials, FAQ and themes, one per line, for snippets
    body_text = models.TextField("材料与问答", blank=True)
    # full-text columns (space-separated tokens)
    name_tokens = models.TextField("名称词元", blank=True)
    body_tokens = models.TextField("材料与问答词元", blank=True)
    pinyin_tokens = models.TextField("拼音词元", blank=True)
    initials_tokens = models.TextField("首字母词元", blank=True)
    gram_tokens = models.TextField("字对词元", blank=True)
    # kept by the indexer: how many entries share the document, and the most popular one
    entry_count = models.PositiveIntegerField("条目数", default=0)
    popularity = models.PositiveIntegerField("最高热度", default=0)

    class Meta:
        verbose_name = "搜索文档"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class SearchEntry(models.Model):
    kind = models.CharField("类别", max_length=8, choices=SearchEntryKind.choices)
    object_id = models.PositiveBigIntegerField("对象编号")
    document = models.ForeignKey(
        SearchDocument, verbose_name="搜索文档", on_delete=models.PROTECT, related_name="entries"
    )
    name = models.CharField("名称", max_length=200)
    aliases = models.CharField("俗称", max_length=300, blank=True)
    department_name = models.CharField("部门", max_length=200, blank=True)
    for_persons = models.BooleanField("面向个人", default=True)
    for_enterprises = models.BooleanField("面向法人", default=True)
    popularity = models.PositiveIntegerField("热度", default=0)
    # the live version an item's entry was built from (none for bundles), to tell stale entries
    version_id = models.PositiveBigIntegerField("版本编号", null=True, blank=True)
    indexed_at = models.DateTimeField("索引时间", default=timezone.now)

    class Meta:
        verbose_name = "搜索索引条目"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="catalog_search_entry_once")
        ]
        indexes = [
            models.Index(fields=["document", "-popularity"], name="catalog_search_entry_doc_pop")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class SearchIndexState(models.Model):
    """One row: a generation number bumped by every index write, so that each process can tell
    whether its in-memory suggestion list is stale with one primary-key read."""

    generation = models.PositiveBigIntegerField("版本", default=0)

    class Meta:
        verbose_name = "搜索索引状态"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"generation {self.generation}"
