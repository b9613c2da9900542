"""``CABLES_DB`` → a Django ``DATABASES`` entry: a file path (SQLite) or a ``postgresql://`` URL.

SQLite is the embedded default (``./cables.db``). It runs in WAL mode so that readers (the web app,
``cables show``) never wait for an ingest, with ``synchronous=NORMAL`` (durable at each checkpoint,
safe against a killed process: WAL keeps every committed transaction) and writes that take the
write lock at ``BEGIN`` (``transaction_mode=IMMEDIATE``), so two writers queue instead of failing
half-way with ``database is locked``.

``CABLES_DB_REPLICA``, a second ``postgresql://`` URL, names a streaming replica of the
PostgreSQL archive: the alias ``replica``, which the reading room reads from
(:mod:`cables.store.routing`). A PostgreSQL connection is kept for a thread's life and checked
at the start of each web request (``CONN_HEALTH_CHECKS``): a server that restarted is reconnected
to by the next request, with no restart of the site. A URL may carry
``?disable_server_side_cursors=true`` for a connection through pgbouncer's transaction pooling,
which cannot keep a cursor open across transactions.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

DEFAULT_DB = "cables.db"
POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA cache_size=-65536;"       # 64 MiB page cache
    "PRAGMA mmap_size=268435456;"     # 256 MiB memory-mapped reads
    "PRAGMA busy_timeout=30000;"
)


def configured_db() -> str:
    """The ``CABLES_DB`` of this process, or the default file ``./cables.db``."""
    return os.environ.get("CABLES_DB") or DEFAULT_DB


def is_postgres_url(db: str) -> bool:
    return "://" in db and db.split("://", 1)[0].lower() in POSTGRES_SCHEMES


def database_settings(db: str | os.PathLike | None = None) -> dict[str, Any]:
    """The Django ``DATABASES`` entry for a path or URL (``None``: :func:`configured_db`)."""
    db = str(db) if db is not None else configured_db()
    if is_postgres_url(db):
        return _postgres(db)
    if "://" in db:
        raise ValueError(f"CABLES_DB {db!r}: use a file path (SQLite) or a postgresql:// URL")
    return _sqlite(Path(db).expanduser())


def configured_replica() -> str | None:
    """The ``CABLES_DB_REPLICA`` of this process, or None."""
    return os.environ.get("CABLES_DB_REPLICA") or None


def replica_settings(url: str, primary: dict[str, Any]) -> dict[str, Any]:
    """The ``DATABASES`` entry of a replica of ``primary`` (which must be PostgreSQL too).

    A replica that went away must not hold a page for long: connecting gives up after
    ``connect_timeout`` (2 s unless the URL says) and the read goes to the primary. ``TEST
    MIRROR`` is Django's way of saying the alias holds ``default``'s data (its test runner then
    reads the default database through it); the search index reads it too (one index for both).
    """
    if not is_postgres_url(url) or primary["ENGINE"] != "django.db.backends.postgresql":
        raise ValueError(f"CABLES_DB_REPLICA {url!r}: a replica is a postgresql:// URL, and "
                         f"CABLES_DB must be a PostgreSQL archive too")
    entry = _postgres(url)
    entry["OPTIONS"].setdefault("connect_timeout", "2")
    entry["TEST"] = {"MIRROR": "default"}
    return entry


def _sqlite(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path.resolve()),
        # One connection per thread for its whole life, as for PostgreSQL: a new connection per
        # web request would run the PRAGMAs again and start with an empty page cache.
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            "init_command": SQLITE_PRAGMAS,
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }


def _postgres(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    no_named_cursors = options.pop("disable_server_side_cursors", "").lower() in {"1", "true", "yes"}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "cables",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": None,   # one connection for a whole ingest
        "CONN_HEALTH_CHECKS": True,  # and a server restarted meanwhile is connected to anew
        "DISABLE_SERVER_SIDE_CURSORS": no_named_cursors,
        "OPTIONS": options,
    }
