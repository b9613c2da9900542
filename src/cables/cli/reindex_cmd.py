"""``cables reindex``: make the full-text index again from the archive's records."""

from __future__ import annotations

import argparse
import json
import time

from .archive import add_db_option, open_archive

HELP = "make the full-text index again from every cable's latest record"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reindex", help=HELP, description=HELP + " (a repair: ingest keeps the "
                       "index in step; migrations re-fill it when the analyzer changes)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_db_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    open_archive(args)
    from django.db import connections

    from ..store import fts

    started = time.perf_counter()
    count = fts.reindex(connections["default"])
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps({"cables": count, "seconds": round(seconds, 2)}))
    else:
        print(f"{count:,} cables indexed again in {seconds:.1f} s")
    return 0
