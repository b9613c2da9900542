"""The full-text index of whichever backend a connection runs on (see the two modules).

Both index the terms of one analyzer (:mod:`cables.words`): the same words, stems and positions,
so a query finds the same cables on both. Both modules offer the same parts: ``INSTALL``/
``UNINSTALL`` statements (migrations), ``index_values(subject, body)`` (what the index gets for a
cable: computed at ingest in the parsing processes, see :func:`index_values` and
:func:`analysed`) and ``values_of(form)`` (the same of an analysed cable), ``index(cursor,
added, replaced)`` (the writer, per batch, with those values), ``reindex(cursor, rows)`` and
``matching_cable_ids(cursor, terms, phrase)``; and ``CABLE_COLUMN``, the column written with the
cable row (PostgreSQL's tsvector) or ``None``.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

from . import fts_postgres, fts_sqlite
from ..words import IndexedText, index_form, terms
from .versions import unpack_record

BACKENDS: dict[str, ModuleType] = {"sqlite": fts_sqlite, "postgresql": fts_postgres}


def for_vendor(vendor: str) -> ModuleType | None:
    return BACKENDS.get(vendor)


def index_values(vendor: str, subject: str | None, body: str | None) -> tuple | None:
    """What the index of ``vendor`` gets for a cable (None: a backend without one)."""
    backend = for_vendor(vendor)
    return backend.index_values(subject, body) if backend is not None else None


def ranking_texts(form: IndexedText) -> tuple[str, str]:
    """What the ranking index (:mod:`cables.search.index`) gets of an analysed cable, whatever the
    archive's backend: its subject's and body's terms as FTS5 gets them (same terms, same places)."""
    return fts_sqlite.columns(form)


def analysed(vendor: str | None, subject: str | None, body: str | None) -> tuple[tuple | None, tuple[str, str]]:
    """One analysis of a cable for both its indexes: (what the full-text index of ``vendor`` gets,
    None for a backend without one; what the ranking index gets). Ingest computes both in the
    parsing processes, so neither the writer nor the ranking index analyses the cable again; on
    SQLite they are the very same strings."""
    form = index_form(subject, body)
    texts = ranking_texts(form)
    backend = for_vendor(vendor) if vendor else None
    if backend is None:
        return None, texts
    return (texts if backend is fts_sqlite else backend.values_of(form)), texts


def install(schema_editor) -> None:
    """Migration step: create the index on this backend (its ``INSTALL`` statements)."""
    _run(schema_editor, "INSTALL")


def uninstall(schema_editor) -> None:
    _run(schema_editor, "UNINSTALL")


def _run(schema_editor, statements: str) -> None:
    backend = for_vendor(schema_editor.connection.vendor)
    if backend is not None:
        with schema_editor.connection.cursor() as cursor:
            for statement in getattr(backend, statements):
                cursor.execute(statement)


def matching_cable_ids(connection, text: str) -> list[int]:
    """Ids of the cables holding every word of ``text``, or, written in double quotes, the phrase
    (the words as the analyzer makes them: stemmed, common words dropped). The search layer has
    the query language; this is for the store's own checks."""
    phrase = len(text) > 1 and text.startswith('"') and text.endswith('"')
    found = terms(text)
    if not found:
        return []
    with connection.cursor() as cursor:
        return for_vendor(connection.vendor).matching_cable_ids(cursor, found, phrase)


def latest_texts(connection) -> Iterator[tuple[int, str, str]]:
    """(id, subject, body) of every cable's latest version, read a thousand at a time (250,000
    records never sit in memory at once)."""
    last = 0
    while True:
        with connection.cursor() as reader:
            reader.execute(
                """SELECT c.id, v.data FROM store_cable c
                   JOIN store_cableversion v ON v.id = c.latest_version_id
                   WHERE c.id > %s ORDER BY c.id LIMIT 1000""", [last])
            page = reader.fetchall()
        if not page:
            return
        for pk, data in page:
            record = unpack_record(data)
            yield pk, record.subject or "", record.body
        last = page[-1][0]


def reindex(connection) -> int:
    """Rebuild the index from every cable's latest version; returns how many cables.

    Not needed by ingest (the writer keeps the index in step): a repair tool (``cables
    reindex``), e.g. after cables were deleted by hand (SQLite's contentless index keeps a deleted
    row's terms), and the migration that changed the analyzer.
    """
    from django.db import transaction

    count = 0

    def rows() -> Iterator[tuple[int, str, str]]:
        nonlocal count
        for row in latest_texts(connection):
            count += 1
            yield row

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for_vendor(connection.vendor).reindex(cursor, rows())
    return count
