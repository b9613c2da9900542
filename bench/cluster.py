"""Requests/s and p95 of the public site's arrangement (deploy/cluster): one `cables serve`
instance against two behind nginx, with comment posts in the mix and the replica killed half-way;
comments accepted against stored.

Starts `deploy/cluster` in a temporary folder on free loopback ports (a PostgreSQL primary and
its streaming replica, two instances, nginx), ingests --corpus into the primary with
`deploy/cluster ingest` (the 6,712-page mirror by default), and loads it with bench/web.py's
load generator (the same closed-loop clients, kinds of request and comment posts: see its
docstring), for each way the instances reach PostgreSQL (--pooling: straight, and through
pgbouncer's transaction pooling):

- one instance: the load sent to app1's own port, nginx and app2 idle;
- two instances behind nginx: the load sent to nginx; half-way through the measured time the
  replica is killed (PostgreSQL's immediate stop), and reads go to the primary from then on.
  It is started again after the phase and caught up before the next.

Each phase starts with the instances restarted on empty page caches (the cost of rendering is
part of what is measured, as right after an ingest). Prints one table per phase (bench/web.py's:
requests, requests/s, p50/p95/p99/max, errors), then comments accepted (a 302 back to the cable)
against stored (rows of the primary's web_comment carrying the post's token), which must be
equal, then `uptime`. Exits non-zero on any error or a comment lost or stored twice. Not run by
CI; about 5 minutes on 2 cores.

    python bench/cluster.py
    python bench/cluster.py --corpus ../shared/corpus/builds/cablegate-201011301701.tar.xz --duration 10
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from cables.store.pgserver import free_port_run

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEPLOY = ROOT / "deploy" / "cluster"
CORPUS = ROOT.parent / "shared" / "corpus"


def bench_web():
    """bench/web.py as a module: its load generator, kinds of request and report."""
    spec = importlib.util.spec_from_file_location("bench_web", HERE / "web.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_web"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class Cluster:
    def __init__(self, folder: Path):
        self.dir = folder

    def run(self, *args: str, quiet: bool = True) -> str:
        done = subprocess.run([sys.executable, str(DEPLOY), "--dir", str(self.dir), *args],
                              capture_output=quiet, text=True)
        if done.returncode != 0:
            sys.exit(f"deploy/cluster {' '.join(args)} failed ({done.returncode}):\n"
                     f"{(done.stdout or '')[-2000:]}\n{(done.stderr or '')[-2000:]}")
        return done.stdout or ""

    def status(self) -> dict:
        return json.loads(self.run("status", "--json"))

    def restart_apps(self, pooling: bool) -> None:
        """The instances (and nginx) started anew on empty page caches, straight to PostgreSQL
        or through pgbouncer."""
        apps = [name for name in self.status()["components"] if name.startswith("app")]
        self.run("stop", *apps, "nginx")
        for app in apps:
            shutil.rmtree(self.dir / app / "pages", ignore_errors=True)
        self.run("start", "--pgbouncer" if pooling else "--no-pgbouncer")
        if not pooling and "pgbouncer" in self.status()["components"]:
            self.run("stop", "pgbouncer")

    def wait_for_replica(self) -> None:
        from cables.store.pgserver import LocalPostgres

        found = self.status()["components"]
        primary = LocalPostgres(self.dir / "primary", found["primary"]["port"])
        LocalPostgres(self.dir / "replica", found["replica"]["port"]).wait_for_replay(primary)


def measure(web, port: int, mix, args, kill: Cluster | None):
    """Warm-up, then the measured run against ``port``; ``kill``: the replica killed half-way."""
    asyncio.run(web.load("127.0.0.1", port, mix, args.clients, args.warmup, args.seed, None,
                         args.timeout))
    import resource

    results = web.Results()
    cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    timer = None
    if kill is not None:
        timer = threading.Timer(args.duration / 2, kill.run, ("stop", "--now", "replica"))
        timer.start()
    started = time.perf_counter()
    asyncio.run(web.load("127.0.0.1", port, mix, args.clients, args.duration, args.seed + 1000,
                         results, args.timeout))
    seconds = time.perf_counter() - started
    cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu
    if timer is not None:
        timer.join()
    return results, seconds, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS / "cablegate-site-2011-04-25.tar.xz")
    ap.add_argument("--routes", type=Path, default=CORPUS / "ids" / "route2name.csv")
    ap.add_argument("--known-ids", type=Path, default=CORPUS / "ids" / "cable2month.csv.gz")
    ap.add_argument("--clients", type=int, default=20, help="concurrent clients [20]")
    ap.add_argument("--duration", type=float, default=30, help="seconds measured a phase [30]")
    ap.add_argument("--warmup", type=float, default=5, help="seconds not counted [5]")
    ap.add_argument("--mix", default="cable=50,browse=25,search=25")
    ap.add_argument("--comments", type=float, default=10, metavar="PCT",
                    help="percent of comment posts [10]")
    ap.add_argument("--workers", type=int, default=2, help="workers per instance [2]")
    ap.add_argument("--threads", type=int, default=None,
                    help="threads per worker [the server's default]")
    ap.add_argument("--server", choices=("granian", "gunicorn"), default="granian",
                    help="the instances' HTTP server, as deploy/cluster's --server [granian]")
    ap.add_argument("--pooling", choices=("both", "direct", "pgbouncer"), default="both")
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--seed", type=int, default=2010)
    args = ap.parse_args()

    web = bench_web()
    folder = Path(tempfile.mkdtemp(prefix="cables-bench-cluster-"))
    folder.chmod(0o755)  # PostgreSQL runs as another user when we are root
    cluster = Cluster(folder / "site")
    ok = True
    try:
        print("Starting the cluster and ingesting the corpus…", file=sys.stderr, flush=True)
        cluster.run("start", "--base-port", str(free_port_run(23)), "--workers", str(args.workers),
                    "--server", args.server,
                    *(["--threads", str(args.threads)] if args.threads else []), "--no-access-log")
        cluster.run("ingest", "--routes", str(args.routes), "--known-ids", str(args.known_ids),
                    str(args.corpus))
        cluster.wait_for_replica()
        found = cluster.status()
        from cables.store import db

        db.setup(found["databases"]["primary"])
        kinds, comments = web.build_kinds(args.seed)
        from django.db import connections

        from cables.store.models import Cable
        from cables.web.server import default_threads

        cables = Cable.objects.count()
        connections.close_all()
        for kind in kinds.values():  # bench/web.py's targets are for one instance on SQLite
            kind.target_p95_ms = None
        mix = web.parse_mix(args.mix, kinds, args.comments)
        nginx = found["components"]["nginx"]["port"]
        app1 = found["components"]["app1"]["port"]
        ways = {"both": [False, True], "direct": [False], "pgbouncer": [True]}[args.pooling]
        for pooling in ways:
            way = "through pgbouncer (transaction pooling)" if pooling else "straight to PostgreSQL"
            for label, port, kill in (("one instance", app1, None),
                                      ("two instances behind nginx, the replica killed half-way",
                                       nginx, cluster)):
                cluster.restart_apps(pooling)
                load_before = os.getloadavg()[0]
                results, seconds, client_cpu = measure(web, port, mix, args, kill)
                print(f"\n== {label}, {way} ==")
                threads = args.threads or default_threads(args.server)
                print(f"{cables:,} cables; {args.server}, {args.workers} workers × {threads} "
                      f"threads an instance; {args.clients} clients for {seconds:.0f} s after "
                      f"{args.warmup:g} s of warm-up; mix {web.mix_text(mix)}; page caches empty "
                      f"at the start; load average {load_before:.1f} before, "
                      f"{os.getloadavg()[0]:.1f} after")
                # (client's CPU, None: the instances' CPU is not measured here)
                ok = web.report(results, mix, seconds, (client_cpu, None)) and ok
                if kill is not None:
                    cluster.run("start", "replica")
                    cluster.wait_for_replica()
        print()
        ok = comments.audit(found["databases"]["primary"]) and ok
        logs = "".join((cluster.dir / app / "serve.log").read_text(errors="replace")
                       for app in ("app1", "app2"))
        print(f"instances' logs: {logs.count('database replica unreachable')} reads answered "
              f"again from the primary after the replica failed, "
              f"{logs.count('Traceback')} tracebacks")
        if "Traceback" in logs:   # the last one's end: what went wrong, without the folder
            print("the last traceback ends:", *logs[logs.rindex("Traceback"):].splitlines()[-4:],
                  sep="\n  ")
    finally:
        cluster.run("stop", "--now")
        shutil.rmtree(folder, ignore_errors=True)
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
