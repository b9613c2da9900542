"""The archive's generation: a token that every write able to change what a page shows replaces,
and the time it was last replaced.

Whoever keeps something derived from the archive (the reading room's page cache) puts the token
in its keys: after a write, every older entry is out of reach, with no list of what to invalidate.
The writer advances it inside the write's own transaction, so a reader sees the new token exactly
when it sees the new rows. A random token, not a counter: a write rolled back leaves no number a
later, different write could take again (the test suite rolls back all the time, and two archives
may share one cache). The time (:func:`state`) is for HTTP clients that revalidate by date
(``Last-Modified`` / ``If-Modified-Since``, the API's): the token says *whether* the archive
changed, the time says *since when*.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import connections

from .routing import read_alias

TABLE = "store_archivestate"


def advance(using: str = "default") -> str:
    """Give the archive a new generation (call inside the writing transaction)."""
    from django.utils import timezone

    token = secrets.token_hex(8)
    now = timezone.now()
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET generation = %s, changed = %s WHERE id = 1", [token, now])
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {TABLE} (id, generation, changed) VALUES (1, %s, %s)",
                           [token, now])
    return token


def current(using: str | None = None) -> str:
    """The archive's generation now ("" for an archive never written since this table came), as
    the database reads go to sees it (``using`` None: :func:`.routing.read_alias`): a replica
    gives the generation of the rows it holds, so a page kept under it shows those rows."""
    with connections[using or read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT generation FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else ""


def state(using: str | None = None) -> tuple[str, dt.datetime | None]:
    """The generation and the time it was last advanced (None for an archive never written),
    where reads go (``using`` None: :func:`.routing.read_alias`, as :func:`current`). One raw
    query, as :func:`current`: the API reads it on every request (an ORM query cost a third of
    a kept answer's time)."""
    with connections[using or read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT generation, changed FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return (row[0], as_time(row[1])) if row else ("", None)


def state_with(select: str, using: str | None = None) -> tuple[tuple[str, dt.datetime | None], tuple]:
    """:func:`state`, and the row of another one-row ``select``, in one round trip: a kept page
    or API answer reads both the archive's state and the discussion's on every request, and
    each query is a round trip to the database server."""
    with connections[using or read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT a.generation, a.changed, other.* FROM ({select}) other "
                       f"LEFT JOIN {TABLE} a ON a.id = 1")
        row = cursor.fetchone()
    return (row[0] or "", as_time(row[1])), tuple(row[2:])


def as_time(value) -> dt.datetime | None:
    """A timestamp column read through a raw cursor, as an aware datetime: PostgreSQL gives one,
    SQLite a naive one (a column's declared type) or text (an aggregate's), both in UTC."""
    from django.utils.dateparse import parse_datetime

    if value is not None and not isinstance(value, dt.datetime):
        value = parse_datetime(str(value))
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value
