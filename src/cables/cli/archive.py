"""Options and set-up shared by the commands that use the archive."""

from __future__ import annotations

import argparse
import os


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="PATH|URL", default=None,
        help="the archive: a SQLite file path or a postgresql:// URL "
             "[env CABLES_DB; default ./cables.db]",
    )


def open_archive(args: argparse.Namespace, migrate: bool = True) -> None:
    """Set Django up on the archive named by --db / CABLES_DB and bring its schema up to date."""
    from ..store import db

    db.setup(args.db or os.environ.get("CABLES_DB") or None)
    if migrate:
        db.migrate()
