"""``cables search``: the query language of the reading room, on the command line.

Its help lists the filters from their registry (:mod:`cables.search.filters`), so a filter added
there is documented here without a second list to keep in step.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap

from rich.console import Console
from rich.table import Table

from ..search.filters import REGISTRY, facet_filters
from .archive import add_db_option, open_archive

HELP = "search the archive (words, \"phrases\", prefix*, -word, OR, filters such as tag:PGOV)"


def register(sub: argparse._SubParsersAction) -> None:
    description = textwrap.fill(HELP + ". A reference id alone opens that cable first.", 78)
    p = sub.add_parser("search", help=HELP, description=description, epilog=filters_help(),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query", nargs="+", help="the query (quote it for the shell)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the result as JSON")
    out.add_argument("--count", action="store_true", help="print the number of hits alone")
    p.add_argument("--limit", type=int, default=20, help="hits per page (default 20)")
    p.add_argument("--sort", choices=["relevance", "date", "oldest"], default="relevance",
                   help="relevance (default), date (newest first) or oldest")
    facets = [f.name for f in facet_filters()]
    p.add_argument("--facets", action="store_true", help=f"also count by {', '.join(facets[:-1])} "
                   f"and {facets[-1]}, and by month")
    p.add_argument("--cursor", help="the next_cursor of a previous page, for the page after it")
    add_db_option(p)
    p.set_defaults(run=run)


def filters_help() -> str:
    """The filters, one a line: how each is written and what it selects."""
    rows = [(", ".join(spec.written_examples), spec.about) for spec in REGISTRY.values()]
    width = max(len(example) for example, _ in rows)
    lines = [f"  {example:<{width}}  {about}" for example, about in rows]
    return ("filters (-name:value leaves out; values of one filter may be joined with OR):\n"
            + "\n".join(lines))


def run(args: argparse.Namespace) -> int:
    open_archive(args)
    from ..search.query import QueryError
    from ..search.service import search

    text = " ".join(args.query)
    try:
        result = search(text, sort=args.sort, limit=1 if args.count else args.limit,
                        cursor=args.cursor, facets=args.facets or args.json)
    except QueryError as exc:
        print(f"cables: bad query: {exc}", file=sys.stderr)
        return 2
    if args.count:
        print(result.total)
        return 0
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    console = Console()
    console.print(f"[bold]{result.total:,}[/] cables match {text!r}")
    table = Table("Id", "Created", "Origin", "Class.", "Subject / snippet", show_lines=True)
    for hit in result.hits:
        snippet = re.sub(r"</?mark>", lambda m: "[/bold]" if m.group().startswith("</") else "[bold]",
                         _escape_markup(hit.snippet))
        para = f"¶{hit.paragraph} " if hit.paragraph is not None else ""
        table.add_row(hit.reference_id, (hit.created or "")[:10], hit.origin or "",
                      hit.classification or "", f"{_escape_markup(hit.subject or '')}\n[dim]{para}[/]{snippet}")
    console.print(table)
    if args.facets:
        for name, rows in result.facets.items():
            console.print(f"[bold]{name}[/]: " + ", ".join(f"{v} ({n})" for v, n in rows))
    if result.next_cursor:
        console.print(f"[dim]more: --cursor {result.next_cursor}")
    return 0


def _escape_markup(text: str) -> str:
    import html

    return html.unescape(text).replace("[", "\\[")
