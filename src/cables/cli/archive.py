"""Options and set-up shared by the commands that use the archive."""

from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import urlsplit, urlunsplit


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="PATH|URL", default=None,
        help="the archive: a SQLite file path or a postgresql:// URL "
             "[env CABLES_DB; default ./cables.db]",
    )
    parser.add_argument(
        "--index", metavar="FOLDER", default=None,
        help="the ranking index's folder [env CABLES_SEARCH_INDEX; default: beside a SQLite "
             "archive (cables.db.index), or DBNAME@HOST-PORT.index in the current directory for "
             "a PostgreSQL one; 'off': none]",
    )


def open_archive(args: argparse.Namespace, migrate: bool = True) -> None:
    """Set Django up on the archive named by --db / CABLES_DB and bring its schema up to date.

    An archive that cannot be opened (no server there, a folder that does not exist, a file that
    is no database) is a clear message and exit status 2, not a traceback."""
    if getattr(args, "index", None):
        os.environ["CABLES_SEARCH_INDEX"] = args.index
    open_database(args.db or os.environ.get("CABLES_DB") or None, migrate)


def archive_vendor(args: argparse.Namespace) -> str:
    """``postgresql`` or ``sqlite``: the backend of the archive :func:`open_archive` opens, known
    before it is opened (ingest's parsers start first and compute what its index gets)."""
    from ..settings.database import is_postgres_url

    return "postgresql" if is_postgres_url(args.db or os.environ.get("CABLES_DB") or "") else "sqlite"


def open_database(target: str | None, migrate: bool = True) -> None:
    """:func:`open_archive` of an archive named by its path or URL (None: the default)."""
    from django.db import DatabaseError

    from ..store import db

    try:
        db.setup(target)
        if migrate:
            db.migrate()
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"cables: cannot open the archive {shown(target or 'cables.db')}: {reason}",
              file=sys.stderr)
        raise SystemExit(2) from exc


def shown(target: str) -> str:
    """An archive's name as it may be printed: a URL's password replaced by ``***``."""
    if "://" not in target:
        return target
    parts = urlsplit(target)
    if parts.password is None:
        return target
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host  # an IPv6 address keeps its brackets
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
