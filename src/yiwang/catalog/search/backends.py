"""The database's own full-text index over search documents, behind one small interface for
SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Every match returns candidate documents `Row(id, names_key, pinyin_key, initials_key,
popularity, entry_count, rank)` with `rank` higher = better, at most `limit` of them, best first.
Input tokens come from `text.normalise` (letters, digits and marks only) and are quoted all the
same: a query can never be read as FTS or tsquery syntax.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db import connection

DOCUMENTS = "catalog_searchdocument"
ENTRIES = "catalog_searchentry"
FTS = "catalog_searchdocument_fts"
Column = Literal["name", "body", "pinyin", "initials", "gram"]
ROW_FIELDS = "d.id, d.names_key, d.pinyin_key, d.initials_key, d.popularity, d.entry_count"
MATCHED = "0.000001"  # the rank of a match ordered by popularity: matched, and no more


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Row:
    id: int
    names_key: str
    pinyin_key: str
    initials_key: str
    popularity: int
    entry_count: int
    rank: float


def _rows(sql: str, params: list[Any]) -> list[Row]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            Row(int(r[0]), r[1], r[2], r[3], int(r[4]), int(r[5]), float(r[6] or 0.0))
            for r in cursor.fetchall()
        ]


def exact_names(keys: list[str], limit: int) -> list[Row]:
    if not keys:
        return []
    marks = ", ".join(["%s"] * len(keys))
    return _rows(
        f"SELECT {ROW_FIELDS}, 1.0 FROM {DOCUMENTS} d WHERE d.name_key IN ({marks}) "  # noqa: S608
        "ORDER BY d.popularity DESC LIMIT %s",
        [*keys, limit],
    )


Groups = list[list[Term]]  # AND within a group, OR between groups


def match(
    column: Column, terms: list[Term], limit: int, *, by_popularity: bool = False
) -> list[Row]:
    """Documents whose `column` holds any of `terms`, best rank (or most popular) first."""
    return match_any({column: [[t] for t in terms]}, limit, by_popularity=by_popularity)


def match_groups(
    column: Column, groups: Groups, limit: int, *, by_popularity: bool = False
) -> list[Row]:
    """Documents whose `column` holds every term of at least one group."""
    return match_any({column: groups}, limit, by_popularity=by_popularity)


def match_any(
    queries: dict[Column, Groups], limit: int, *, by_popularity: bool = False
) -> list[Row]:
    """Documents matching the groups of any column, in one query ranked as one."""
    cleaned = {
        column: [g for g in ([t for t in group if t.text] for group in groups) if g]
        for column, groups in queries.items()
    }
    cleaned = {column: groups for column, groups in cleaned.items() if groups}
    if not cleaned:
        return []
    if connection.vendor == "postgresql":
        return _match_postgres(cleaned, limit, by_popularity)
    return _match_sqlite(cleaned, limit, by_popularity)


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts5_groups(groups: Groups) -> str:
    return " OR ".join(
        "(" + " AND ".join(_fts5_string(t.text) + ("*" if t.prefix else "") for t in group) + ")"
        for group in groups
    )


def _match_sqlite(queries: dict[Column, Groups], limit: int, by_popularity: bool) -> list[Row]:
    match_string = " OR ".join(
        f"({column}_tokens : ({_fts5_groups(groups)}))" for column, groups in queries.items()
    )
    if by_popularity:  # no ranking function at all: it would run for every match
        return _rows(
            f"SELECT {ROW_FIELDS}, {MATCHED} FROM {FTS} "  # noqa: S608
            f"JOIN {DOCUMENTS} d ON d.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s ORDER BY d.popularity DESC LIMIT %s",
            [match_string, limit],
        )
    return _rows(
        f"SELECT {ROW_FIELDS}, -{FTS}.rank FROM {FTS} JOIN {DOCUMENTS} d ON d.id = {FTS}.rowid "  # noqa: S608
        f"WHERE {FTS} MATCH %s ORDER BY {FTS}.rank LIMIT %s",
        [match_string, limit],
    )


def _tsquery_lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(groups: Groups) -> str:
    return " | ".join(
        "(" + " & ".join(_tsquery_lexeme(t.text) + (":*" if t.prefix else "") for t in group) + ")"
        for group in groups
    )


def _match_postgres(queries: dict[Column, Groups], limit: int, by_popularity: bool) -> list[Row]:
    columns = list(queries)
    tsqueries = [_tsquery(queries[c]) for c in columns]
    matches = " OR ".join(f"d.{c}_tsv @@ CAST(%s AS tsquery)" for c in columns)
    if by_popularity:  # no ranking function at all: it would run for every match
        return _rows(
            f"SELECT {ROW_FIELDS}, {MATCHED} FROM {DOCUMENTS} d WHERE {matches} "  # noqa: S608
            "ORDER BY d.popularity DESC LIMIT %s",
            [*tsqueries, limit],
        )
    ranks = " + ".join(f"ts_rank(d.{c}_tsv, CAST(%s AS tsquery), 0)" for c in columns)
    return _rows(
        f"SELECT {ROW_FIELDS}, {ranks} AS r FROM {DOCUMENTS} d "  # noqa: S608
        f"WHERE {matches} ORDER BY r DESC LIMIT %s",
        [*tsqueries, *tsqueries, limit],
    )


def _audience_sql(audience: str | None) -> tuple[str, list[Any]]:
    if audience == "person":
        return " AND e.for_persons = %s", [True]
    if audience == "enterprise":
        return " AND e.for_enterprises = %s", [True]
    return "", []


def entries_of(document_ids: list[int], audience: str | None) -> list[tuple[int, int, int]]:
    """(entry id, document id, popularity) of the entries of these documents."""
    if not document_ids:
        return []
    where, params = _audience_sql(audience)
    marks = ", ".join(["%s"] * len(document_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.id, e.document_id, e.popularity FROM {ENTRIES} e "  # noqa: S608
            f"WHERE e.document_id IN ({marks}){where}",
            [*document_ids, *params],
        )
        return [(int(a), int(b), int(c)) for a, b, c in cursor.fetchall()]


@dataclass(frozen=True)
class HitRow:
    id: int
    kind: str
    object_id: int
    name: str
    aliases: str
    department_name: str
    body_text: str


def hit_rows(entry_ids: list[int]) -> list[HitRow]:
    """What a page shows of these entries (one query: a hot path, no model instances)."""
    if not entry_ids:
        return []
    marks = ", ".join(["%s"] * len(entry_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.id, e.kind, e.object_id, e.name, e.aliases, e.department_name, d.body_text "  # noqa: S608
            f"FROM {ENTRIES} e JOIN {DOCUMENTS} d ON d.id = e.document_id WHERE e.id IN ({marks})",
            entry_ids,
        )
        return [HitRow(int(r[0]), r[1], int(r[2]), r[3], r[4], r[5], r[6]) for r in cursor]


def count_entries(document_ids: list[int], audience: str | None) -> int:
    if not document_ids:
        return 0
    where, params = _audience_sql(audience)
    marks = ", ".join(["%s"] * len(document_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {ENTRIES} e WHERE e.document_id IN ({marks}){where}",  # noqa: S608
            [*document_ids, *params],
        )
        return int(cursor.fetchone()[0])


def all_synonyms() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT term, expansion FROM catalog_synonym")
        return [(str(term), str(expansion)) for term, expansion in cursor.fetchall()]


def matching_synonyms(text: str) -> list[tuple[str, str]]:
    """Synonym rows whose colloquial term occurs in `text` (a compact query). A scan of a small
    table, always fresh: no cache to go stale when an administrator edits a synonym."""
    if not text:
        return []
    find = "strpos" if connection.vendor == "postgresql" else "instr"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, expansion FROM catalog_synonym WHERE {find}(%s, lower(term)) > 0 "  # noqa: S608
            "ORDER BY term",
            [text],
        )
        return [(str(term), str(expansion)) for term, expansion in cursor.fetchall()]


def optimise() -> None:
    """After a bulk rebuild. SQLite: merge the FTS5 segments. PostgreSQL: the rebuild left every
    old row dead, and GIN matches would keep visiting them until autovacuum comes by: vacuum now
    (outside a transaction; inside one, as in tests, statistics only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")  # noqa: S608
        elif connection.vendor == "postgresql":
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{command} {DOCUMENTS}, {ENTRIES}")
