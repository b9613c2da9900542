"""``cables serve``: the reading room on a production server (gunicorn or granian, + WhiteNoise)."""

from __future__ import annotations

import argparse
import os
import sys

from .archive import add_db_option, open_database

HOST, PORT = "127.0.0.1", 8000   # where the site listens unless told


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="serve the archive as a web site",
        description="Serve the reading room over HTTP with gunicorn or granian (DEBUG off, static files by "
                    "WhiteNoise, security headers). Set CABLES_ALLOWED_HOSTS for a public host "
                    "name and CABLES_SECRET_KEY to keep sessions across machines.",
    )
    add_db_option(p)
    p.add_argument("--host", default=HOST, help=f"address to listen on [{HOST}]")
    p.add_argument("--port", type=int, default=PORT, help=f"port [{PORT}]")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes [granian: a core each; gunicorn: 2 × cores + 1]")
    p.add_argument("--threads", type=int, default=None,
                   help="threads per worker [granian: 2; gunicorn: 4]")
    p.add_argument("--server", choices=("gunicorn", "granian"), default="gunicorn",
                   help="the HTTP server: gunicorn (HTTP in Python) or granian (HTTP in Rust: "
                        "less CPU a request; refuses request lines with raw \" < > \\ ^ ` { | }) "
                        "[gunicorn]")
    p.add_argument("--cache", metavar="DIR|memory|off", default=None,
                   help="where rendered pages are kept: a directory shared by the workers and "
                        "kept across restarts [ARCHIVE.pages beside a SQLite archive, ./cables.pages "
                        "for PostgreSQL; CABLES_CACHE when set], memory (each worker its own) or off")
    p.add_argument("--warm", action="store_true",
                   help="visit every cable page once in the background, newest first, so each is "
                        "kept before its first reader (set CABLES_SITE_URL when readers reach "
                        "the site by another name than --host)")
    p.add_argument("--access-log", action="store_true", help="log every request to standard output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..settings.database import configured_db
    from ..web import server

    archive = args.db or configured_db()
    os.environ["CABLES_DB"] = archive  # the workers' settings read it
    server.ensure_secret_key(archive)
    os.environ["CABLES_CACHE"] = args.cache or os.environ.get("CABLES_CACHE") or str(
        server.page_cache_dir(archive))
    open_database(archive)
    from django.db import connections

    from ..store.models import Cable

    cables = Cable.objects.count()
    connections.close_all()  # each worker opens its own
    server.prepare_page_cache()
    workers = args.workers or server.default_workers(args.server)
    threads = args.threads or server.default_threads(args.server)
    # Said before gunicorn starts (it logs warnings only): where to point a browser.
    print(f"The reading room: http://{server.address(args.host, args.port)}/ — {archive}, "
          f"{cables:,} cables, {args.server}: {workers} workers × {threads} threads, pages kept in "
          f"{os.environ['CABLES_CACHE']}. Ctrl-C stops it.",
          file=sys.stderr, flush=True)
    if not cables:
        print(f"{archive} holds no cable yet: fill it with `cables ingest --db {archive} SOURCE`.",
              file=sys.stderr, flush=True)
    warming = server.start_warming(args.host, args.port) if args.warm and cables else None
    try:
        server.serve(args.host, args.port, workers, threads, args.access_log, args.server)
    finally:
        if warming is not None and warming.poll() is None:
            warming.terminate()
    return 0
