"""The full-text indexes of whichever backend a connection runs on (see the two modules)."""

from __future__ import annotations

from types import ModuleType

from . import fts_postgres, fts_sqlite

BACKENDS: dict[str, ModuleType] = {"sqlite": fts_sqlite, "postgresql": fts_postgres}


def for_vendor(vendor: str) -> ModuleType | None:
    return BACKENDS.get(vendor)


def install(schema_editor) -> None:
    """Migration step: create the indexes and their triggers on this backend."""
    backend = for_vendor(schema_editor.connection.vendor)
    if backend is not None:
        with schema_editor.connection.cursor() as cursor:
            backend.install(cursor)


def uninstall(schema_editor) -> None:
    backend = for_vendor(schema_editor.connection.vendor)
    if backend is not None:
        with schema_editor.connection.cursor() as cursor:
            backend.uninstall(cursor)


def matching_cable_ids(connection, query: str) -> list[int]:
    """Ids of the cables a raw backend query matches (FTS5 syntax or web-search syntax)."""
    with connection.cursor() as cursor:
        return for_vendor(connection.vendor).matching_cable_ids(cursor, query)


def matching_paragraph_ids(connection, query: str) -> list[int]:
    with connection.cursor() as cursor:
        return for_vendor(connection.vendor).matching_paragraph_ids(cursor, query)
