"""CPU cost of a cable page nobody asked for yet: in-process, page cache off, ms of CPU per page.

Renders the pages of --pages random cables of an archive (--db, default the mirror archive
bench/web.py builds) through Django's test client with the page cache off (CABLES_CACHE=off), so
every page is a first visit, --rounds times; CPU time is ``time.process_time`` (this process: the
server's work and the test client's, no network). Prints each round's ms/page, the median and p95
over all pages of all rounds, and where the time goes (the share of each phase: the functions
below, timed where they are called; "rest" is Django's request cycle, middleware, the base
template).

A render kept beside the archive (the per-version render, :mod:`cables.web.version_render`) is part
of the page's cost: ``--renders fresh`` (the default) empties it before each round, so every page
renders its version on the way (a first visit right after an ingest); ``--renders kept`` keeps the
renders made in round one, the reading room once each version was visited; ``--renders made``
empties it, then makes every cable's render before round one, as ``cables render`` does after an
ingest (:func:`cables.web.prerender.render_all`, in this process: its time and renders/s are
printed), so every round reads them, the first too; ``--renders off`` measures the page without
them. What the
process remembers for every page (the links of :func:`cables.web.links.reverse`, the empty comment
form per set of paragraph numbers) fills in round one, as in a server that has served pages
before (each round's figure is printed).

    python bench/render.py --db /tmp/mirror.db --pages 200 --rounds 5
    python bench/render.py --renders kept
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

DEFAULT_DB = Path(tempfile.gettempdir()) / "cables-bench" / "mirror.db"

# phase name → (module, function): timed where they are looked up at call time; the indented
# ones are parts of "version render" (its read, a first visit's render and keep, the
# archive's generation it asks for: with the page cache off, nothing else asks)
PHASES = [
    ("lookup", "cables.store.queries", "cable_for_page"),
    ("version render", "cables.web.version_render", "render_version"),
    ("  version read", "cables.web.version_render", "stored_version"),
    ("  archive context", "cables.web.pages.cable", "cable_page"),
    ("  archive templates", "cables.web.archive_part", "rendered"),
    ("  keep", "cables.web.version_render", "_keep"),
    ("  generation", "cables.store.generation", "state"),
    ("discussion query", "cables.web.views.cable", "discussion_of"),
]


def _timed(totals: dict, name: str, function):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.process_time() - start
    return wrapper


def _instrument(totals: dict) -> None:
    import importlib

    for name, module_name, attr in PHASES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, attr):
            setattr(module, attr, _timed(totals, name, getattr(module, attr)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(DEFAULT_DB), help=f"archive [{DEFAULT_DB}]")
    ap.add_argument("--pages", type=int, default=200, help="random cables [200]")
    ap.add_argument("--rounds", type=int, default=5, help="rounds over them [5]")
    ap.add_argument("--seed", type=int, default=2010)
    ap.add_argument("--renders", choices=("fresh", "kept", "made", "off"), default="fresh",
                    help="the per-version renders: emptied each round, kept, made for every "
                         "cable before round one, not used [fresh]")
    ap.add_argument("--phases", action="store_true", help="time the phases (adds a little)")
    args = ap.parse_args()

    os.environ.update(CABLES_DB=args.db, CABLES_CACHE="off", CABLES_SEARCH_INDEX="off")
    if args.renders == "off":
        os.environ["CABLES_VERSION_RENDERS"] = "off"
    from cables.store import db

    db.setup()
    from django.test import Client

    from cables.store.models import Cable
    from cables.web import links

    ids = list(Cable.objects.current().exclude(created__isnull=True)
               .values_list("canonical_id", "created"))
    if not ids:
        sys.exit(f"{args.db}: no cables (build it with bench/web.py or cables ingest)")
    random.Random(args.seed).shuffle(ids)
    paths = [links.cable_path(i, c) for i, c in ids[: args.pages]]
    client = Client()
    for path in paths[:5]:  # imports, template loading: not a page's cost
        client.get(path)
    if args.renders == "made":
        _make_renders()
    totals: dict[str, float] = defaultdict(float)
    if args.phases:
        _instrument(totals)

    forget = _forget_renders if args.renders == "fresh" else (lambda: None)
    forget()
    per_page: list[float] = []
    rounds = []
    for _ in range(args.rounds):
        forget()
        start_round = time.process_time()
        for path in paths:
            start = time.process_time()
            response = client.get(path)
            per_page.append((time.process_time() - start) * 1000)
            if response.status_code != 200:
                sys.exit(f"{path}: {response.status_code}")
        rounds.append((time.process_time() - start_round) / len(paths) * 1000)
    total = sum(per_page) / 1000
    print("rounds (ms/page):", " ".join(f"{r:.2f}" for r in rounds))
    p95 = statistics.quantiles(per_page, n=20)[-1]
    print(f"per page: median {statistics.median(per_page):.2f} ms  p95 {p95:.2f} ms  "
          f"({len(per_page)} pages, renders {args.renders})")
    if args.phases:
        for name, *_ in PHASES:
            spent = totals.get(name, 0.0)
            print(f"  {name:20} {spent / len(per_page) * 1000:6.2f} ms/page  {spent / total:5.1%}")
        rest = total - sum(spent for name, spent in totals.items() if not name.startswith(" "))
        print(f"  {'rest':20} {rest / len(per_page) * 1000:6.2f} ms/page  {rest / total:5.1%}")
    return 0


def _make_renders() -> None:
    """Every cable's render made, as ``cables render --jobs 1`` makes them, for the address the
    test client reaches the site by."""
    from cables.web import prerender, version_render

    version_render.forget_all()
    cpu, wall = time.process_time(), time.perf_counter()
    done = prerender.render_all("http://testserver", jobs=1)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"made before round one: rendered {done.rendered:,} in {wall:.1f} s, {cpu:.1f} s of CPU "
          f"({done.rendered / cpu:,.0f} renders/s of CPU, {cpu / max(done.rendered, 1) * 1000:.2f} "
          f"ms each); failed {done.failed}, not kept {done.not_kept}")


def _forget_renders() -> None:
    try:
        from cables.web.version_render import forget_all
    except ImportError:
        return
    forget_all()


if __name__ == "__main__":
    sys.exit(main())
