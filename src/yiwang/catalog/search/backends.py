"""The database's own full-text index, behind one small interface for SQLite (FTS5) and
PostgreSQL (tsvector + GIN).

Every method returns candidate rows `Row(id, names_key, pinyin_key, initials_key, popularity,
rank)` with `rank` higher = better, at most `limit` of them, best first. Input tokens come from
`text.normalise` (letters, digits and marks only) and are quoted all the same: a query can never
be read as FTS or tsquery syntax.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db import connection

TABLE = "catalog_searchentry"
FTS = "catalog_searchentry_fts"
Column = Literal["name", "body", "pinyin", "initials", "gram"]
COLUMNS: tuple[Column, ...] = ("name", "body", "pinyin", "initials", "gram")
ROW_FIELDS = "e.id, e.names_key, e.pinyin_key, e.initials_key, e.popularity"


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
    rank: float


def _audience_sql(audience: str | None) -> tuple[str, list[Any]]:
    if audience == "person":
        return " AND e.for_persons = %s", [True]
    if audience == "enterprise":
        return " AND e.for_enterprises = %s", [True]
    return "", []


def _rows(sql: str, params: list[Any]) -> list[Row]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            Row(int(r[0]), r[1], r[2], r[3], int(r[4]), float(r[5] or 0.0))
            for r in cursor.fetchall()
        ]


def exact_names(keys: list[str], audience: str | None, limit: int) -> list[Row]:
    if not keys:
        return []
    where, params = _audience_sql(audience)
    marks = ", ".join(["%s"] * len(keys))
    return _rows(
        f"SELECT {ROW_FIELDS}, 1.0 FROM {TABLE} e WHERE e.name_key IN ({marks}){where} "  # noqa: S608
        "ORDER BY e.popularity DESC LIMIT %s",
        [*keys, *params, limit],
    )


def match(
    column: Column,
    terms: list[Term],
    audience: str | None,
    limit: int,
    *,
    by_popularity: bool = False,
) -> list[Row]:
    """Entries whose `column` holds any of `terms` (OR), best rank (or most popular) first."""
    terms = [t for t in terms if t.text]
    if not terms:
        return []
    if connection.vendor == "postgresql":
        return _match_postgres(column, terms, audience, limit, by_popularity)
    return _match_sqlite(column, terms, audience, limit, by_popularity)


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _match_sqlite(
    column: Column, terms: list[Term], audience: str | None, limit: int, by_popularity: bool
) -> list[Row]:
    expression = " OR ".join(_fts5_string(t.text) + ("*" if t.prefix else "") for t in terms)
    match_string = f"{column}_tokens : ({expression})"
    weights = ", ".join("1.0" if c == column else "0.0" for c in COLUMNS)
    order = "e.popularity DESC" if by_popularity else "r DESC"
    where, params = _audience_sql(audience)
    return _rows(
        f"SELECT {ROW_FIELDS}, -bm25({FTS}, {weights}) AS r "  # noqa: S608
        f"FROM {FTS} JOIN {TABLE} e ON e.id = {FTS}.rowid "
        f"WHERE {FTS} MATCH %s{where} ORDER BY {order} LIMIT %s",
        [match_string, *params, limit],
    )


def _tsquery_lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _match_postgres(
    column: Column, terms: list[Term], audience: str | None, limit: int, by_popularity: bool
) -> list[Row]:
    query = " | ".join(_tsquery_lexeme(t.text) + (":*" if t.prefix else "") for t in terms)
    vector = f"e.{column}_tsv"
    order = "e.popularity DESC" if by_popularity else "r DESC"
    where, params = _audience_sql(audience)
    return _rows(
        f"SELECT {ROW_FIELDS}, ts_rank({vector}, q.q, 0) AS r "  # noqa: S608
        f"FROM {TABLE} e, (SELECT CAST(%s AS tsquery) AS q) q "
        f"WHERE {vector} @@ q.q{where} ORDER BY {order} LIMIT %s",
        [query, *params, limit],
    )


def matching_synonyms(text: str) -> list[tuple[str, str]]:
    """Synonym rows whose colloquial term occurs in `text` (a compact query). A scan of a small
    table, always fresh: no cache to go stale when an administrator edits a synonym."""
    if not text:
        return []
    find = (
        "strpos(%s, lower(term))" if connection.vendor == "postgresql" else "instr(%s, lower(term))"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, expansion FROM catalog_synonym WHERE {find} > 0 ORDER BY term",  # noqa: S608
            [text],
        )
        return [(str(term), str(expansion)) for term, expansion in cursor.fetchall()]


def all_synonyms() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT term, expansion FROM catalog_synonym")
        return [(str(term), str(expansion)) for term, expansion in cursor.fetchall()]


def optimise() -> None:
    """After a bulk rebuild: merge FTS5 segments / refresh planner statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")  # noqa: S608
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {TABLE}")
