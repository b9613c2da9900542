"""CPU per kept API answer, in process: what one `/api/v1/cables/ID` GET costs the server once its
answer is in the page cache, and the SQL it runs.

bench/web.py measures latency under load, which on a shared machine moves with everything else
running; CPU time per request does much less. This asks --requests answers of random archived
cables (each asked once first, so all are kept) through Django's test client (its own overhead,
a few tenths of a millisecond, is included) with the page cache on disk as `cables serve` keeps
it, and prints the CPU milliseconds per GET and the queries one GET runs. `--profile` adds
cProfile's 40 costliest functions (cumulative).

    python bench/api_request.py --db /tmp/cables-bench/mirror.db

The API's rate limit is raised for the run (`CABLES_DISCUSSION_LIMITS`), its counting kept: the
counts are written into --db (as any API request of a served archive would).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DB = Path(tempfile.gettempdir()) / "cables-bench" / "mirror.db"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(DEFAULT_DB), help=f"archive [{DEFAULT_DB}]")
    ap.add_argument("--cables", type=int, default=300, help="cables drawn at random [300]")
    ap.add_argument("--rounds", type=int, default=5, help="times each is asked, measured [5]")
    ap.add_argument("--seed", type=int, default=2010)
    ap.add_argument("--profile", action="store_true", help="print cProfile's costliest functions")
    args = ap.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="cables-bench-api-")
    os.environ["CABLES_CACHE"] = str(Path(scratch.name) / "pages")
    os.environ.setdefault("CABLES_SECRET_KEY", "bench-" + "x" * 50)
    unlimited = [[10**12, 60], [10**12, 86400]]
    os.environ["CABLES_DISCUSSION_LIMITS"] = json.dumps({"api-address": unlimited})
    from cables.store import db

    db.setup(args.db)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cables.api import links
    from cables.store.models import Cable

    ids = list(Cable.objects.filter(latest_version__isnull=False)
               .values_list("canonical_id", flat=True).order_by("canonical_id"))
    if not ids:
        sys.exit(f"{args.db}: no archived cable (ingest the mirror first: bench/web.py does)")
    paths = [links.cable(i) for i in random.Random(args.seed).sample(ids, min(args.cables, len(ids)))]
    client = Client()
    for path in paths:   # made once and kept
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path}: {response.status_code} {response.content[:300]!r}")

    def ask() -> None:
        for _ in range(args.rounds):
            for path in paths:
                assert client.get(path).status_code == 200, path

    load = os.getloadavg()[0]
    cpu, wall = time.process_time(), time.perf_counter()
    ask()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = args.rounds * len(paths)
    print(f"{n:,} kept API answers: {cpu / n * 1000:.3f} ms CPU per GET, {wall / n * 1000:.3f} ms "
          f"wall (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)")
    with CaptureQueriesContext(connection) as queries:
        client.get(paths[0])
    print(f"queries per GET: {len(queries)}")
    for query in queries:
        print("  " + query["sql"][:150])
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(ask)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    scratch.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
