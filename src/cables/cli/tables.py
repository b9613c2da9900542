"""Options shared by commands that parse: where the reference tables are."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..parse import ParseContext
from ..sources.tables import load_known_ids, load_routes


def add_table_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--routes", metavar="CSV", default=os.environ.get("CABLES_ROUTES"),
        help="routing indicator table (route,station per line, e.g. route2name.csv) to decode "
             "routes into station names [env CABLES_ROUTES]",
    )
    parser.add_argument(
        "--known-ids", metavar="CSV[.gz]", default=os.environ.get("CABLES_KNOWN_IDS"),
        help="list of known reference ids (id[,month] per line, e.g. cable2month.csv.gz) used to "
             "resolve REF citations [env CABLES_KNOWN_IDS]",
    )


def context_from(args: argparse.Namespace) -> ParseContext:
    """Load the tables named on the command line; a missing table is an error, not a silence."""
    routes: dict[str, str] = {}
    known: frozenset[str] = frozenset()
    try:
        if args.routes:
            routes = load_routes(Path(args.routes))
        if args.known_ids:
            known = load_known_ids(Path(args.known_ids))
    except OSError as exc:
        print(f"cables: cannot read a reference table: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    return ParseContext(routes=routes, known_ids=known)
