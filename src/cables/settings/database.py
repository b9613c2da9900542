"""``CABLES_DB`` → a Django ``DATABASES`` entry: a file path (SQLite) or a ``postgresql://`` URL.

SQLite is the embedded default (``./cables.db``). It runs in WAL mode so that readers (the web app,
``cables show``) never wait for an ingest, with ``synchronous=NORMAL`` (durable at each checkpoint,
safe against a killed process: WAL keeps every committed transaction) and writes that take the
write lock at ``BEGIN`` (``transaction_mode=IMMEDIATE``), so two writers queue instead of failing
half-way with ``database is locked``.
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
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "cables",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": None,   # one connection for a whole ingest
        "OPTIONS": options,
    }
