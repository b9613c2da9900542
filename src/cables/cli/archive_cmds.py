"""Commands that read the archive: show, history, diff, refs, releases, stats.

Each parses its arguments and calls one function of :mod:`cables.store.queries`, then prints
the result as a table (people) or as JSON (``--json``, scripts).
"""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from .archive import add_db_option, open_archive


def register(sub: argparse._SubParsersAction) -> None:
    def command(name: str, help: str, run, *, cable_id: bool = False):
        p = sub.add_parser(name, help=help, description=help)
        if cable_id:
            p.add_argument("reference_id", metavar="ID", help="reference id, in any case or form")
        p.add_argument("--json", action="store_true", help="print JSON for scripts")
        add_db_option(p)
        p.set_defaults(run=_guarded(run))
        return p

    command("show", "print a cable of the archive (its latest version)", _show, cable_id=True)
    command("history", "list a cable's versions and the release that brought each", _history,
            cable_id=True)
    p = command("diff", "print what changed between two versions of a cable (default: the last two)",
                _diff, cable_id=True)
    p.add_argument("versions", nargs="*", type=int, metavar="V", help="two version numbers")
    p.add_argument("--words", action="store_true",
                   help="the text word by word, whatever the line breaks ([-deleted-]{+inserted+})")
    command("refs", "what a cable cites, and the archived cables that cite it", _refs, cable_id=True)
    command("releases", "list releases with their new, changed and removed counts", _releases)
    p = command("stats", "counts by year, origin, classification, tag and release", _stats)
    p.add_argument("--top", type=int, default=20, help="rows of the long tables (default 20)")


def _guarded(run):
    def wrapper(args: argparse.Namespace) -> int:
        open_archive(args)
        from ..store.queries import NotInArchive

        try:
            return run(args, Console())
        except (NotInArchive, LookupError) as exc:
            print(f"cables: {exc}", file=sys.stderr)
            return 1
    return wrapper


def _print_json(data) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def _show(args, console: Console) -> int:
    from ..store import queries

    data = queries.show(args.reference_id)
    if args.json:
        return _print_json(data)
    meta = Table.grid(padding=(0, 2))
    for key in ("reference_id", "created", "released", "classification", "origin", "subject"):
        meta.add_row(f"[bold]{key}", str(data.get(key) or ""))
    meta.add_row("[bold]versions", ", ".join(f"v{v['version']} {v['release'] or ''} ({v['change']})"
                                            for v in data["versions"]))
    if data.get("removed_in"):
        meta.add_row("[bold]removed in", data["removed_in"])
    console.print(meta)
    console.print()
    console.print(data["header_raw"], markup=False, highlight=False)
    console.print()
    console.print(data["body"], markup=False, highlight=False)
    return 0


def _history(args, console: Console) -> int:
    from ..store import queries

    rows = queries.history(args.reference_id)
    if args.json:
        return _print_json(rows)
    table = Table("Version", "Release", "Change", "Stored", "Content hash")
    for r in rows:
        table.add_row(str(r["version"]), r["release"] or "", r["change"], r["stored"], r["content_hash"][:12])
    console.print(table)
    return 0


def _diff(args, console: Console) -> int:
    from ..store import queries

    if len(args.versions) not in (0, 2):
        print("cables: diff takes no version (the last two) or two version numbers", file=sys.stderr)
        return 2
    d = queries.diff(args.reference_id, *args.versions)
    if args.json:
        return _print_json(d.to_json())
    console.print(f"[bold]{d.reference_id}[/]: version {d.old} → {d.new}")
    if not d.metadata and not d.text_fields and not d.text:
        console.print("No difference.")
    for field, old, new in d.metadata + d.text_fields:
        console.print(f"[bold]{field}[/]", markup=True)
        console.print(f"  - {queries.format_value(old)}", style="red", markup=False, highlight=False)
        console.print(f"  + {queries.format_value(new)}", style="green", markup=False, highlight=False)
    if d.text and args.words:
        _print_words(d.words, console)
    elif d.text:
        console.print(Syntax("\n".join(d.text), "diff", theme="ansi_dark", word_wrap=True))
    return 0


def _print_words(words, console: Console) -> None:
    """``[-old words-]{+new words+}``, as ``git diff --word-diff`` writes them, in colour on a
    terminal; long unchanged stretches folded."""
    from rich.text import Text

    console.print(f"{words.changed_words} word{'s' if words.changed_words != 1 else ''} changed, "
                  "whatever the line breaks")
    out = Text()
    for run in words.runs:
        if run.kind == "skip":
            out.append(f"\n… {run.skipped} unchanged words …\n", style="dim")
        elif run.kind == "delete":
            out.append(f"[-{run.text}-]", style="red")
        elif run.kind == "insert":
            out.append(f"{{+{run.text}+}}", style="green")
        else:
            out.append(run.text)
        out.append(" ")
    console.print(out)


def _refs(args, console: Console) -> int:
    from ..store import queries

    data = queries.references(args.reference_id)
    if args.json:
        return _print_json({"cites": [c["id"] for c in data["cites"]], "cited_by": data["cited_by"],
                            "references": data["cites"]})
    table = Table("Label", "Citation", "Id", "Status", title=f"{data['id']} cites", title_justify="left")
    for c in data["cites"]:
        table.add_row(c["label"] or "", c["citation"], c["id"], c["status"])
    console.print(table)
    console.print(f"[bold]Cited by[/] ({len(data['cited_by'])}): " + (", ".join(data["cited_by"]) or "none"))
    return 0


def _releases(args, console: Console) -> int:
    from ..store import queries

    rows = queries.release_summaries()
    if args.json:
        return _print_json(rows)
    table = Table("#", "Release", "Full", "Cables", "New", "Changed", "Removed", "Source")
    for r in rows:
        table.add_row(str(r["order"]), r["name"], "yes" if r["full"] else "", f"{r['cables']:,}",
                      f"{r['new']:,}", f"{r['changed']:,}", f"{r['removed']:,}", r["source"])
    console.print(table if rows else "No release yet: `cables ingest SOURCE` makes one.")
    return 0


def _stats(args, console: Console) -> int:
    from ..store import queries

    data = queries.stats(top=None if args.json else args.top)
    if args.json:
        return _print_json(data)
    console.print(f"[bold]{data['cables']:,} cables[/] ({data['current']:,} current, "
                  f"{data['removed']:,} removed), {data['versions']:,} versions, "
                  f"{data['releases']} releases, {data['references']:,} references "
                  f"({data['references_archived']:,} to archived cables)")
    for title, key in (("Year", "by_year"), ("Classification", "by_classification"),
                       ("Origin", "by_origin"), ("Tag", "by_tag"), ("Release", "by_release")):
        table = Table(title, "Cables", title_justify="left")
        for k, n in data[key].items():
            table.add_row(str(k), f"{n:,}")
        console.print(table)
    return 0
