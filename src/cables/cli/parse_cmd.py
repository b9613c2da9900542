"""``cables parse``: parse pages, texts, mirrors, archives or dumps; print records or a summary."""

from __future__ import annotations

import argparse
import json
import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..ingest.parallel import default_jobs, parse_documents
from ..ingest.summary import ParseSummary
from ..sources.documents import SourceError, iter_documents
from .tables import add_table_options, context_from

HELP = "parse cable pages, texts, mirrors, archives or a cables.csv dump"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("parse", help=HELP, description=HELP + ". A directory or archive walks "
                       "its pages. Exits non-zero if any document failed.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="page, text, directory, .tar[.gz|.xz] or cables.csv")
    p.add_argument("--json", action="store_true",
                   help="one JSON object per line per cable found (with --summary: the summary as JSON)")
    p.add_argument("--summary", action="store_true",
                   help="no records: counts by year, classification and origin, and the failures")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help=f"parallel parser processes (default: all cores, {default_jobs()} here)")
    add_table_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    context = context_from(args)
    summary = ParseSummary()
    err = Console(stderr=True)
    out = sys.stdout
    started = time.perf_counter()
    progress = _progress(err) if args.summary and err.is_terminal else None
    task = progress.add_task("parsing", total=None) if progress else None
    if progress:
        progress.start()
    try:
        for path in args.paths:
            try:
                for outcome in parse_documents(iter_documents(path), context, jobs=args.jobs):
                    summary.add(outcome)
                    if progress:
                        progress.advance(task)
                    if not outcome.ok:
                        if not args.summary:
                            print(f"cables: {outcome.name}: {outcome.error}", file=sys.stderr)
                        continue
                    if args.summary:
                        continue
                    for cable in outcome.cables:
                        if args.json:
                            out.write(cable.dumps() + "\n")
                        else:
                            out.write("\t".join([cable.reference_id, cable.created or "",
                                                 cable.classification or "", cable.origin or "",
                                                 cable.subject or ""]) + "\n")
            except SourceError as exc:
                summary.failures.append((path, str(exc)))
                print(f"cables: {exc}", file=sys.stderr)
    finally:
        if progress:
            progress.stop()
    if args.summary and args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    elif args.summary:
        _print_summary(Console(), summary, time.perf_counter() - started)
    return 1 if summary.failures else 0


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=console, transient=True)


def _print_summary(console: Console, s: ParseSummary, seconds: float) -> None:
    rate = s.documents / seconds if seconds else 0
    console.print(f"[bold]{s.cables:,} cables[/] from {s.documents:,} documents in {seconds:.1f} s "
                  f"({rate:,.0f} documents/s); {len(s.failures)} failed, {s.with_warnings} with warnings")
    console.print(_counts_table("Year", sorted(s.by_year.items())))
    console.print(_counts_table("Classification", s.by_classification.most_common()))
    top = s.by_origin.most_common(25)
    rest = sum(s.by_origin.values()) - sum(n for _, n in top)
    rows = top + ([(f"{len(s.by_origin) - len(top)} other origins", rest)] if rest else [])
    console.print(_counts_table(f"Origin ({len(s.by_origin)})", rows))
    if s.failures:
        table = Table("Document", "Why it failed", title="Failed", title_justify="left")
        for name, error in s.failures:
            table.add_row(name, error)
        console.print(table)
    else:
        console.print("No document failed.")


def _counts_table(title: str, rows: list[tuple[str, int]]) -> Table:
    table = Table(title, "Cables", title_justify="left")
    for key, n in rows:
        table.add_row(str(key), f"{n:,}")
    return table
