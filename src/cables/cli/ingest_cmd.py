"""``cables ingest``: parse sources on every core and store them, release by release."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table

from ..ingest.parallel import default_jobs
from ..ingest.run import BATCH
from .archive import add_db_option, archive_vendor, open_archive
from .tables import add_table_options, context_from

HELP = "ingest mirrors, archives, cables.csv dumps, pages or texts into the archive"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help=HELP, description=HELP + ". Each SOURCE becomes a release "
                       "(named after it, or --release). Idempotent: ingesting a source again "
                       "changes nothing. Exits non-zero if any document failed.")
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="directory (site mirror or texts), .tar[.gz|.xz], cables.csv, page or text")
    p.add_argument("--release", metavar="NAME",
                   help="release name (default: the source's file name; with several sources, "
                        "all go into this one release)")
    p.add_argument("--full", action="store_true",
                   help="each source is a full build: cables earlier releases had and it lacks are "
                        "marked removed")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help=f"parser processes (default: all cores, {default_jobs()} here)")
    p.add_argument("--batch", type=int, default=BATCH, metavar="N",
                   help=f"cables stored per transaction (default {BATCH})")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_db_option(p)
    add_table_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    context = context_from(args)
    from ..ingest.run import ingest_source

    renders = _KeptRenders()

    def prepare() -> None:
        """Open the archive and load the tables into it, while the first source's first
        documents are parsed."""
        open_archive(args)
        from ..store import writer

        if context.routes:
            renders.before()
            writer.load_routes(context.routes)
            renders.after()
        if context.known_ids:
            renders.before()
            loaded = writer.load_known_ids(context.known_ids, canonical=True)  # canonical on loading
            renders.after(now_known=loaded.now_known)

    vendor = archive_vendor(args)
    err = Console(stderr=True)
    reports = []
    index = _RankingFeed()
    try:
        for number, source in enumerate(args.sources):
            with _progress(err, source) as advance:
                report = ingest_source(source, release=args.release, full=args.full,
                                       context=context, jobs=args.jobs, batch=args.batch,
                                       progress=advance, prepare=prepare if number == 0 else None,
                                       vendor=vendor, writes=renders, stored=index.add)
            reports.append(report)
            if not err.is_terminal and not args.json:
                err.print(f"{source}: {report.documents} documents, {report.new} new, "
                          f"{report.changed} changed, {report.unchanged} unchanged, "
                          f"{report.removed} removed, {report.failed} failed")
            index.finish(err)
    finally:
        index.abandon()
    if renders.failure:
        err.print(f"kept renders: not carried over the ingest ({renders.failure}); "
                  "`cables render` makes them again")
    if args.json:
        print(json.dumps([r.to_json() for r in reports], indent=2))
    else:
        _print_summary(Console(), reports)
    return 1 if any(r.failures for r in reports) else 0


class _RankingFeed:
    """The ranking index after the archive, source by source: each batch's cables are added to
    it once the batch is committed, with the terms the parsers computed, and committed with the
    archive's number after the source (search.index.Feed). A run killed before that leaves it
    behind, never ahead (the next search or ingest catches up)."""

    def __init__(self):
        self.feed = None

    def add(self, stored) -> None:
        if self.feed is None:  # Django is set up by now (the first batch is stored)
            from ..search.index import Feed

            self.feed = Feed()
        self.feed.add(stored)

    def finish(self, err: Console) -> None:
        if self.feed is None:
            from ..search.index import catch_up

            done = catch_up()
        else:
            done = self.feed.finish()
        if done.skipped:
            err.print(f"ranking index: not caught up ({done.skipped})")
        elif done.indexed:
            err.print(f"ranking index: {done.indexed:,} cables "
                      f"{'indexed' if done.rebuilt else 'indexed again'}")

    def abandon(self) -> None:
        if self.feed is not None:
            self.feed.abandon()


class _KeptRenders:
    """The cable pages kept rendered (cables.web.version_render) over each write of the ingest
    that gives the archive a new generation (the reference tables loaded, each source's release
    opened, batches, release finished: ingest.run.Writes): the new generation keeps using those
    the write left alone, the others are dropped."""

    def __init__(self):
        self.carry = None
        self.failure: str | None = None  # why renders could not be carried, the first time

    def before(self) -> None:
        if self.carry is None:  # Django is set up by now (the archive is open)
            from ..web.version_render import Carry

            self.carry = Carry()
        self.carry.before()

    def after(self, changed: Iterable[int] = (), now_known: Iterable[str] = ()) -> None:
        self.failure = self.failure or self.carry.after(changed, now_known)


class _progress:
    """A progress bar with rate and elapsed time on a terminal; plain log lines otherwise."""

    def __init__(self, console: Console, source: str):
        self.console, self.source, self.count = console, source, 0
        self.bar = None
        if console.is_terminal:
            self.bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TaskProgressColumn(),
                                TextColumn("[cyan]{task.fields[rate]}"),
                                TimeElapsedColumn(), TimeRemainingColumn(), console=console,
                                transient=True)

    def __enter__(self):
        if self.bar:
            self.bar.start()
            self.task = self.bar.add_task(self.source, total=None, rate="")
        return self.advance

    def advance(self, n: int) -> None:
        self.count += n
        if self.bar:
            speed = self.bar.tasks[0].speed
            self.bar.update(self.task, advance=n, rate=f"{speed:,.0f} docs/s" if speed else "")
        elif self.count % 5000 == 0:
            self.console.print(f"{self.source}: {self.count:,} documents")

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.stop()


def _print_summary(console: Console, reports) -> None:
    table = Table("Source", "Release", "Documents", "New", "Changed", "Unchanged", "Removed",
                  "Failed", "Seconds", title="Ingest", title_justify="left")
    for r in reports:
        table.add_row(r.source, r.release or "", f"{r.documents:,}", f"{r.new:,}", f"{r.changed:,}",
                      f"{r.unchanged:,}", f"{r.removed:,}", f"{r.failed:,}", f"{r.seconds:.1f}")
    console.print(table)
    failures = [(d, e) for r in reports for d, e in r.failures]
    if failures:
        ft = Table("Document", "Why it failed", title="Failed", title_justify="left")
        for d, e in failures:
            ft.add_row(d, e)
        console.print(ft)
    elif all(r.new == r.changed == r.removed == 0 for r in reports):
        console.print("Nothing changed: the archive already holds these sources.")
