"""How each backend stores what it stores differently (migrations 0002 and 0005): on PostgreSQL,
packed versions out of line uncompressed (they are zlib already), paragraph texts and the cables'
tsvectors compressed with lz4 (the system's PostgreSQL 15 has it), and a tsvector the writer
stores is lz4 indeed; on SQLite, the known ids in a table clustered on its key. 09THEHAGUE546:
a cable whose tsvector (about 6 KB) goes to TOAST."""

from __future__ import annotations

from conftest import cable
from django.db import connections

from cables.store import writer


def _column(cursor, table: str, column: str) -> tuple[str, str]:
    cursor.execute("SELECT attstorage, attcompression FROM pg_attribute "
                   "WHERE attrelid = %s::regclass AND attname = %s", [table, column])
    return cursor.fetchone()


def test_each_backend_stores_its_own_way(store):
    writer.store_batch([("x", cable("09THEHAGUE546"))], using=store)
    with connections[store].cursor() as cursor:
        if connections[store].vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'store_knownid'")
            assert "WITHOUT ROWID" in cursor.fetchone()[0]
            return
        assert _column(cursor, "store_cableversion", "data")[0] == "e"   # external, as it is
        assert _column(cursor, "store_paragraph", "text")[1] == "l"      # lz4
        assert _column(cursor, "store_cable", "search")[1] == "l"        # lz4
        cursor.execute("SELECT pg_column_compression(search), pg_column_size(search) FROM store_cable")
        assert cursor.fetchone()[0] == "lz4"
