"""The archive's generation: a token that every write able to change what a page shows replaces.

Whoever keeps something derived from the archive (the reading room's page cache) puts the token
in its keys: after a write, every older entry is out of reach, with no list of what to invalidate.
The writer advances it inside the write's own transaction, so a reader sees the new token exactly
when it sees the new rows. A random token, not a counter: a write rolled back leaves no number a
later, different write could take again (the test suite rolls back all the time, and two archives
may share one cache).
"""

from __future__ import annotations

import secrets

from django.db import connections

from .routing import read_alias

TABLE = "store_archivestate"


def advance(using: str = "default") -> str:
    """Give the archive a new generation (call inside the writing transaction)."""
    token = secrets.token_hex(8)
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET generation = %s WHERE id = 1", [token])
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {TABLE} (id, generation) VALUES (1, %s)", [token])
    return token


def current(using: str | None = None) -> str:
    """The archive's generation now ("" for an archive never written since this table came), as
    the database reads go to sees it (``using`` None: :func:`.routing.read_alias`): a replica
    gives the generation of the rows it holds, so a page kept under it shows those rows."""
    with connections[using or read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT generation FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else ""
