"""Search index in two tables: documents (distinct searchable content, full-text indexed) and
entries (one per published item or bundle, pointing at its document). Written by hand: the old
full-text index is dropped first, the index rows are derived data (emptied here; run
`yiwang rebuild_search_index` after migrating a database that had them, either way)."""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

initial = import_module("yiwang.catalog.migrations.0004_search_entry")

COLUMNS = ["name_tokens", "body_tokens", "pinyin_tokens", "initials_tokens", "gram_tokens"]
TABLE = "catalog_searchdocument"
FTS = "catalog_searchdocument_fts"

OLD_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS catalog_searchentry_fts_update",
    "DROP TRIGGER IF EXISTS catalog_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_searchentry_fts_insert",
    "DROP TABLE IF EXISTS catalog_searchentry_fts",
]
OLD_POSTGRES_DROP = [
    "ALTER TABLE catalog_searchentry "
    + ", ".join(f"DROP COLUMN IF EXISTS {c.removesuffix('_tokens')}_tsv" for c in COLUMNS)
]

_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)
_cols = ", ".join(COLUMNS)
# SQLite: an FTS5 index over the document rows (external content), kept in step by triggers.
# Tokens are already normalised and space-joined, so unicode61 only splits on spaces.
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({_cols}, content='{TABLE}', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0', prefix='1 2 3')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, {_cols}) VALUES (new.id, {_new}); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {_cols}) VALUES ('delete', old.id, {_old}); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF {_cols} ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {_cols}) VALUES ('delete', old.id, {_old}); "
    f"INSERT INTO {FTS}(rowid, {_cols}) VALUES (new.id, {_new}); END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TABLE IF EXISTS {FTS}",
]
# PostgreSQL: one generated tsvector per token column, each with a GIN index. array_to_tsvector
# takes the tokens as they are (no parser, no locale), so Chinese tokens survive any lc_ctype.
POSTGRES_CREATE = [
    f"ALTER TABLE {TABLE} "
    + ", ".join(
        f"ADD COLUMN {c.removesuffix('_tokens')}_tsv tsvector GENERATED ALWAYS AS "
        f"(array_to_tsvector(array_remove(string_to_array({c}, ' '), ''))) STORED"
        for c in COLUMNS
    ),
    *(
        f"CREATE INDEX {TABLE}_{c.removesuffix('_tokens')}_tsv ON {TABLE} "
        f"USING gin ({c.removesuffix('_tokens')}_tsv)"
        for c in COLUMNS
    ),
]
POSTGRES_DROP = [
    f"ALTER TABLE {TABLE} "
    + ", ".join(f"DROP COLUMN IF EXISTS {c.removesuffix('_tokens')}_tsv" for c in COLUMNS)
]


def _run(schema_editor, statements):
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop_entry_full_text(apps, schema_editor):
    apps.get_model("catalog", "SearchEntry").objects.all().delete()
    _run(schema_editor, {"sqlite": OLD_SQLITE_DROP, "postgresql": OLD_POSTGRES_DROP})


def create_document_full_text(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def drop_document_full_text(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_search_entry")]

    operations = [
        migrations.RunPython(drop_entry_full_text, initial.create_full_text),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("content_hash", models.CharField(max_length=64, unique=True, verbose_name="内容摘要")),
                ("name", models.CharField(max_length=200, verbose_name="名称")),
                ("name_key", models.CharField(db_index=True, max_length=200, verbose_name="规范名称")),
                ("names_key", models.TextField(blank=True, verbose_name="规范名称与俗称")),
                ("pinyin_key", models.TextField(blank=True, verbose_name="拼音")),
                ("initials_key", models.TextField(blank=True, verbose_name="首字母")),
                ("body_text", models.TextField(blank=True, verbose_name="材料与问答")),
                ("name_tokens", models.TextField(blank=True, verbose_name="名称词元")),
                ("body_tokens", models.TextField(blank=True, verbose_name="材料与问答词元")),
                ("pinyin_tokens", models.TextField(blank=True, verbose_name="拼音词元")),
                ("initials_tokens", models.TextField(blank=True, verbose_name="首字母词元")),
                ("gram_tokens", models.TextField(blank=True, verbose_name="字对词元")),
                ("entry_count", models.PositiveIntegerField(default=0, verbose_name="条目数")),
                ("popularity", models.PositiveIntegerField(default=0, verbose_name="最高热度")),
            ],
            options={"verbose_name": "搜索文档", "verbose_name_plural": "搜索文档"},
        ),
        migrations.RemoveField(model_name="searchentry", name="name_key"),
        migrations.RemoveField(model_name="searchentry", name="names_key"),
        migrations.RemoveField(model_name="searchentry", name="pinyin_key"),
        migrations.RemoveField(model_name="searchentry", name="initials_key"),
        migrations.RemoveField(model_name="searchentry", name="body_text"),
        migrations.RemoveField(model_name="searchentry", name="name_tokens"),
        migrations.RemoveField(model_name="searchentry", name="body_tokens"),
        migrations.RemoveField(model_name="searchentry", name="pinyin_tokens"),
        migrations.RemoveField(model_name="searchentry", name="initials_tokens"),
        migrations.RemoveField(model_name="searchentry", name="gram_tokens"),
        migrations.AddField(
            model_name="searchentry",
            name="document",
            field=models.ForeignKey(
                default=0,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="catalog.searchdocument",
                verbose_name="搜索文档",
            ),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["document", "-popularity"], name="catalog_search_entry_doc_pop"),
        ),
        migrations.RunPython(create_document_full_text, drop_document_full_text),
    ]
