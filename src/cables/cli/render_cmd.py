"""``cables render``: every cable page's archive part rendered and kept before its first visit."""

from __future__ import annotations

import argparse
import os
import sys

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)

from ..ingest.parallel import default_jobs
from .archive import add_db_option, open_archive
from .serve_cmd import HOST, PORT

HELP = "render every cable page's archive part ahead of its first visit, and keep it"
DEFAULT_SITE_URL = f"http://{HOST}:{PORT}"   # what `cables serve` answers as, unless told


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "render", help=HELP,
        description=HELP + ", in the archive's database, where every instance of the site finds "
                    "it (a cable whose kept render is current is skipped: run it after each "
                    "ingest; a run killed carries on when run again). The renders hold the "
                    "site's address: make them with the address readers reach the site by.")
    p.add_argument("--site-url", metavar="URL", default=None,
                   help="the site's public address, as the site is given it in CABLES_SITE_URL "
                        f"[CABLES_SITE_URL; without it {DEFAULT_SITE_URL}, `cables serve`'s own, "
                        "with a warning]")
    p.add_argument("--jobs", "-j", type=_positive, default=None,
                   help=f"rendering processes (default: all cores, {default_jobs()} here)")
    p.add_argument("--batch", type=_positive, default=None, metavar="N",
                   help="cables rendered, then kept in one transaction (default 100)")
    add_db_option(p)
    p.set_defaults(run=run)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a whole number, 1 or more")
    return int(text)


def run(args: argparse.Namespace) -> int:
    err = Console(stderr=True)
    site_url = (args.site_url or os.environ.get("CABLES_SITE_URL") or "").rstrip("/")
    if not site_url:
        site_url = DEFAULT_SITE_URL
        print(f"cables render: no site address (CABLES_SITE_URL or --site-url): rendering for "
              f"{site_url}, where `cables serve` answers by default. Pages of a site reached by "
              "another address are rendered again on their first visit.", file=sys.stderr)
    # the renders are made as the site answers with CABLES_SITE_URL set: their links, their key
    os.environ["CABLES_SITE_URL"] = site_url
    open_archive(args)
    from ..web import prerender, version_render

    if not version_render.enabled():
        print("cables render: kept renders are off (CABLES_VERSION_RENDERS=off): nothing rendered.",
              file=sys.stderr)
        return 0
    try:
        prerender.request_for(site_url)
    except prerender.SiteURLError as error:
        print(f"cables render: --site-url: {error}", file=sys.stderr)
        return 2
    ids = prerender.cable_ids()
    jobs = args.jobs or default_jobs()
    with _Bar(err, len(ids)) as advance:
        done = prerender.render_all(site_url, jobs=jobs, ids=ids, progress=advance,
                                    chunk=args.batch or prerender.CHUNK)
    for what, why in done.failures:
        print(f"{what}: {why}", file=sys.stderr)
    if done.not_kept:
        print(f"{done.not_kept:,} rendered but not kept ({done.not_kept_reason}): run "
              "`cables render` again", file=sys.stderr)
    print(f"rendered {done.rendered:,}, already kept {done.kept_already:,}, failed {done.failed:,}"
          + (f", not kept {done.not_kept:,}" if done.not_kept else ""))
    return 1 if done.failed or done.not_kept else 0


class _Bar:
    """A progress bar with rate and time left on a terminal; nothing otherwise."""

    def __init__(self, console: Console, total: int):
        self.bar = None
        if console.is_terminal:
            self.bar = Progress(TextColumn("[bold]rendering"), BarColumn(), MofNCompleteColumn(),
                                TaskProgressColumn(), TextColumn("[cyan]{task.fields[made]}"),
                                TimeElapsedColumn(), TimeRemainingColumn(), console=console,
                                transient=True)
            self.task = self.bar.add_task("render", total=total, made="")
        self.rendered = 0

    def __enter__(self):
        if self.bar:
            self.bar.start()
        return self.advance

    def advance(self, done) -> None:
        self.rendered += done.rendered
        if self.bar:
            self.bar.update(self.task, advance=done.cables, made=f"{self.rendered:,} rendered")

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.stop()
