"""Options shared by commands that parse: where the reference tables are."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..parse import ParseContext
from ..parse.context import serial_reach
from ..sources.tables import load_known_id_months, load_routes


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
    try:
        return load_context(args.routes, args.known_ids)
    except OSError as exc:
        print(f"cables: cannot read a reference table: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def load_context(routes: str | Path | None, known_ids: str | Path | None) -> ParseContext:
    """The parser's context from the two tables' files (either may be None): the routes, the
    known ids, and from the ids' months how far each station's serials had run."""
    months = load_known_id_months(Path(known_ids)) if known_ids else {}
    return ParseContext(routes=load_routes(Path(routes)) if routes else {},
                        known_ids=frozenset(months), serial_reach=serial_reach(months))
