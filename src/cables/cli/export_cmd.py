"""``cables export``: the cables of a query (or every cable) as JSONL, CSV, GraphML or GEXF.

A thin shell over :func:`cables.export.export_chunks`: it writes the chunks as they come (to
``--out`` or standard output), with a progress bar on standard error when that is a terminal.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .archive import add_db_option, open_archive

HELP = "export the cables of a query (or all) as JSONL, CSV, GraphML or GEXF"


def register(sub: argparse._SubParsersAction) -> None:
    from ..export import FORMATS
    from ..export.records import COLUMNS

    formats = "\n".join(f"  {f.name:<8} {f.about}" for f in FORMATS.values())
    columns = "\n".join(f"  {c.name:<14} {c.about}" for c in COLUMNS)
    p = sub.add_parser(
        "export", help=HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.fill(HELP + ". QUERY is in the language of `cables search`; without "
                                  "one, every cable of the archive. Streamed: memory holds a page "
                                  "of cables whatever the archive's size.", 78),
        epilog=f"formats:\n{formats}\n\nCSV columns:\n{columns}")
    p.add_argument("query", nargs="*", help="the query (quote it for the shell); none: every cable")
    p.add_argument("--format", "-f", choices=list(FORMATS), default="jsonl",
                   help="jsonl (default), csv, graphml or gexf")
    p.add_argument("--out", "-o", metavar="FILE", default=None,
                   help="write to FILE (default: standard output)")
    add_db_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    open_archive(args)
    from ..export import FORMATS, count, export_chunks
    from ..search.query import QueryError

    text = " ".join(args.query)
    try:
        total = count(text)
        err = Console(stderr=True)
        progress = _progress(err) if err.is_terminal else None
        task = progress.add_task(f"exporting {total:,} cables", total=total * FORMATS[args.format].passes) \
            if progress else None
        chunks = export_chunks(text, args.format,
                               progress=(lambda n: progress.advance(task, n)) if progress else None)
    except QueryError as exc:
        print(f"cables: bad query: {exc}", file=sys.stderr)
        return 2
    out = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
    try:
        if progress:
            progress.start()
        for chunk in chunks:
            out.write(chunk)
        out.flush()
    finally:
        if progress:
            progress.stop()
        if args.out:
            out.close()
    return 0


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=True)
