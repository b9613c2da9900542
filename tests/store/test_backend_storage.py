"""How each backend stores what it stores differently (migration 0002): on PostgreSQL, packed
versions out of line uncompressed (they are compressed already), paragraph texts compressed with lz4
(the system's PostgreSQL 15 has it); on SQLite, the known ids in a table clustered on its key.

The cables' tsvectors stay pglz: lz4 was tried and measured slower for search on the mirror
(p95 86 against 67 ms for a page of hits, two runs each); why is not established."""

from __future__ import annotations

from django.db import connections


def _column(cursor, table: str, column: str) -> tuple[str, str]:
    cursor.execute("SELECT attstorage, attcompression FROM pg_attribute "
                   "WHERE attrelid = %s::regclass AND attname = %s", [table, column])
    return cursor.fetchone()


def test_each_backend_stores_its_own_way(store):
    with connections[store].cursor() as cursor:
        if connections[store].vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'store_knownid'")
            assert "WITHOUT ROWID" in cursor.fetchone()[0]
            return
        assert _column(cursor, "store_cableversion", "data")[0] == "e"   # external, as it is
        assert _column(cursor, "store_paragraph", "text")[1] == "l"      # lz4
