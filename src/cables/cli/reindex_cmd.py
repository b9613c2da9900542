"""``cables reindex``: make the full-text index again from the archive's records."""

from __future__ import annotations

import argparse
import json
import time

from .archive import add_db_option, open_archive

HELP = "make the full-text indexes again from every cable's latest record"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reindex", help=HELP, description=HELP + " (a repair: ingest keeps the "
                       "index in step; migrations re-fill it when the analyzer changes)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--only", choices=["sql", "ranking"], default=None,
                   help="only the SQL full-text index, or only the ranking index (default: both)")
    add_db_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    open_archive(args)
    from django.db import connections

    from ..search.index import catch_up
    from ..store import fts

    summary: dict = {}
    if args.only != "ranking":
        started = time.perf_counter()
        summary["cables"] = fts.reindex(connections["default"])
        summary["seconds"] = round(time.perf_counter() - started, 2)
    if args.only != "sql":
        started = time.perf_counter()
        done = catch_up(rebuild=True)
        summary["ranking_index"] = {"cables": done.indexed, "number": done.number, "skipped": done.skipped,
                                    "seconds": round(time.perf_counter() - started, 2)}
    if args.json:
        print(json.dumps(summary))
        return 0
    if "cables" in summary:
        print(f"{summary['cables']:,} cables indexed again in {summary['seconds']:.1f} s")
    ranking = summary.get("ranking_index")
    if ranking and ranking["skipped"]:
        print(f"ranking index not rebuilt: {ranking['skipped']}")
    elif ranking:
        print(f"ranking index: {ranking['cables']:,} cables in {ranking['seconds']:.1f} s")
    return 1 if ranking and ranking["skipped"] else 0
