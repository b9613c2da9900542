"""The full-text index of whichever backend a connection runs on (see the two modules).

Both modules offer the same parts: ``INSTALL``/``UNINSTALL`` statements (migrations), ``index(cursor,
added, replaced)`` (the writer, per batch), ``reindex(cursor, rows)`` and
``matching_cable_ids(cursor, query)``; and ``CABLE_COLUMN``, the column written with the cable
row (PostgreSQL's tsvector) or ``None``.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

from . import fts_postgres, fts_sqlite
from .versions import unpack_record

BACKENDS: dict[str, ModuleType] = {"sqlite": fts_sqlite, "postgresql": fts_postgres}


def for_vendor(vendor: str) -> ModuleType | None:
    return BACKENDS.get(vendor)


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


def matching_cable_ids(connection, query: str) -> list[int]:
    """Ids of the cables a raw backend query matches (FTS5 syntax or web-search syntax)."""
    with connection.cursor() as cursor:
        return for_vendor(connection.vendor).matching_cable_ids(cursor, query)


def reindex(connection) -> int:
    """Rebuild the index from every cable's latest version; returns how many cables.

    Not needed by ingest (the writer keeps the index in step): a repair tool, e.g. after cables
    were deleted by hand (SQLite's contentless index keeps a deleted row's terms).
    """
    from django.db import transaction

    count = 0

    def rows() -> Iterator[tuple[int, str, str]]:
        nonlocal count
        last = 0
        while True:  # a thousand versions at a time: 250,000 records never sit in memory at once
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
                count += 1
                yield pk, record.subject or "", record.body
            last = page[-1][0]

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for_vendor(connection.vendor).reindex(cursor, rows())
    return count
