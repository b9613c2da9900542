"""Requests/s and p50/p95 latency of the reading room under load: cable, browse and search pages.

Starts `cables serve` on the 6,712-cable mirror archive (built with `cables ingest` of the mirror
.tar.xz into --db when that archive is missing or empty) on a free loopback port, and loads it with
--clients concurrent keep-alive clients (20) for --duration seconds (30), after a warm-up that is
not counted. Each client sends one request, waits for the whole answer, and sends the next: a
closed loop, like readers clicking. Requests are drawn from a weighted mix of kinds (--mix):

- cable:  the pages of random archived cables (`/cable/YYYY/MM/ID.html`);
- browse: index pages (origins, tags, dates, releases, classifications), and the pages of origins,
          tags, years, months, releases and classifications, first and later pages;
- search: a fixed list of 20 queries (words, phrases, prefixes, exclusions, filters, ids): the
          list of bench/search.py, so both benches measure the same queries.

Prints, per kind: requests, requests/s, p50/p95/p99/max latency, errors (any status other than
2xx/3xx, and socket errors: refused, reset, timed out, a malformed answer), with the targets beside
them: p95 <= 50 ms for cable pages, <= 150 ms for searches, and no error at all.

What it needs: the project installed (`make install`), the corpus in ../shared/corpus (or
--corpus/--db). Nothing else: the load generator is this process — a lean asyncio HTTP/1.1 client
(no third-party package, no `wrk`), about a tenth of a core for a few hundred requests/s, so it
does not starve the server on a 2-core machine; the table says how much CPU it used. Not run by CI.

    python bench/web.py                                # archive in $TMPDIR/cables-bench/mirror.db
    python bench/web.py --db cables.db --clients 50 --duration 60 --workers 3
    python bench/web.py --mix cable=1                  # cable pages only

A new kind of request (e.g. the discussion's comment posts, 10% of a mix) is one more entry in
KINDS: a `Kind` whose `make` returns `Request(method="POST", path=..., body=..., headers=...)`,
with whatever it needs (a CSRF cookie and token fetched once, the comment form's URL) prepared in
its `prepare`, which runs once against the live server before the load starts.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
DEFAULT_DB = Path(tempfile.gettempdir()) / "cables-bench" / "mirror.db"


# --- what to request ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Kind:
    """One kind of request of the mix: how to make one, its share, its p95 target (ms)."""

    name: str
    make: Callable[[random.Random], Request]
    target_p95_ms: float | None = None
    prepare: Callable[[str], None] | None = None  # runs once with the base URL, before the load


def search_queries() -> list[str]:
    """The 20 queries of bench/search.py (one list for both benches)."""
    spec = importlib.util.spec_from_file_location("bench_search", HERE / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.QUERIES)


def build_kinds(seed: int) -> dict[str, Kind]:
    """The kinds of request, their URLs drawn from the archive (Django is set up on it).

    Every URL is built by :mod:`cables.web.links`, the one place the site's URL scheme lives.
    """
    from django.db.models import Count

    from cables.store.models import Cable, Release, Tag
    from cables.web import links

    rng = random.Random(seed)
    cables = list(Cable.objects.current().exclude(created=None)
                  .values_list("canonical_id", "created"))
    if not cables:
        sys.exit("the archive holds no cable")
    cable_paths = [links.cable_path(cid, created) for cid, created in cables]

    origins = list(Cable.objects.current().exclude(origin=None).values("origin")
                   .annotate(n=Count("id")).order_by("-n").values_list("origin", "n"))
    tags = list(Tag.objects.annotate(n=Count("cable_tags")).filter(n__gt=0).order_by("-n")
                .values_list("code", "n"))
    months = sorted({created[:7] for _, created in cables})
    years = sorted({m[:4] for m in months})
    classifications = list(Cable.objects.current().exclude(classification=None)
                           .values_list("classification", flat=True).distinct())
    releases = list(Release.objects.ordered().values_list("name", flat=True))

    browse_paths = [
        "/browse/", "/origin/", "/tag/", "/date/", "/release/", "/classification/",
        *(links.origin_path(o) for o, _ in origins[:40]),
        *(links.origin_path(o) + "?page=2" for o, n in origins[:10] if n > 100),
        *(links.tag_path(t) for t, _ in tags[:40]),
        *(links.tag_path(t) + "?page=3" for t, n in tags[:10] if n > 200),
        *(links.month_path(m[:4], m[5:7]) for m in rng.sample(months, min(40, len(months)))),
        *(links.year_path(y) for y in years),
        *(links.release_path(r) for r in releases),
        *(links.release_path(r) + "?page=2" for r in releases),
        *(links.classification_path(c) for c in classifications),
    ]
    search_paths = [links.search_path(q) for q in search_queries()]

    def pick(paths: list[str]) -> Callable[[random.Random], Request]:
        return lambda r: Request(r.choice(paths))

    return {
        "cable": Kind("cable", pick(cable_paths), target_p95_ms=50),
        "browse": Kind("browse", pick(browse_paths)),
        "search": Kind("search", pick(search_paths), target_p95_ms=150),
        # "comment": Kind("comment", post_a_comment, prepare=fetch_csrf_token), see the docstring
    }


def parse_mix(text: str, kinds: dict[str, Kind]) -> list[tuple[Kind, float]]:
    mix = []
    for part in text.split(","):
        name, _, weight = part.partition("=")
        if name.strip() not in kinds:
            sys.exit(f"--mix: no kind {name.strip()!r} (kinds: {', '.join(kinds)})")
        mix.append((kinds[name.strip()], float(weight or 1)))
    return mix


# --- the load generator ------------------------------------------------------------------------

class BadResponse(Exception):
    pass


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    socket_errors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))


class Connection:
    """One keep-alive HTTP/1.1 connection: send a request, read the whole answer."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, req: Request) -> int:
        if self.writer is None:
            await self.open()
        head = [f"{req.method} {req.path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                "User-Agent: cables-bench", "Accept-Encoding: identity"]
        head += [f"{k}: {v}" for k, v in req.headers]
        if req.body or req.method == "POST":
            head.append(f"Content-Length: {len(req.body)}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + req.body)
        status_line = await self.reader.readline()
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise BadResponse(f"status line {status_line[:60]!r}")
        status = int(parts[1])
        length, chunked, close = None, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n"):
                break
            if not line:
                raise BadResponse("connection closed in the headers")
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value:
                chunked = True
            elif name == b"connection" and value == b"close":
                close = True
        if req.method == "HEAD" or status in (204, 304):
            pass
        elif chunked:
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length is not None:
            await self.reader.readexactly(length)
        else:  # the body runs to the end of the connection
            await self.reader.read()
            close = True
        if close:
            self.close()
        return status


async def client(host: str, port: int, mix: list[tuple[Kind, float]], rng: random.Random,
                 results: Results | None, stop_at: float, timeout: float) -> None:
    kinds = [k for k, _ in mix]
    weights = [w for _, w in mix]
    conn = Connection(host, port)
    while time.perf_counter() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        req = kind.make(rng)
        started = time.perf_counter()
        try:
            status = await asyncio.wait_for(conn.request(req), timeout)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, BadResponse,
                ValueError) as exc:
            conn.close()
            if results is not None:
                results.socket_errors[kind.name][type(exc).__name__] += 1
            await asyncio.sleep(0.05)  # a refused connection must not spin
            continue
        if results is not None:
            results.latencies[kind.name].append((time.perf_counter() - started) * 1000)
            results.statuses[kind.name][status] += 1
    conn.close()


async def load(host: str, port: int, mix, clients: int, seconds: float, seed: int,
               results: Results | None, timeout: float) -> None:
    stop_at = time.perf_counter() + seconds
    await asyncio.gather(*(client(host, port, mix, random.Random(seed + n), results, stop_at,
                                  timeout) for n in range(clients)))


# --- the server --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_archive(db: str, corpus: Path, routes: Path, known_ids: Path) -> None:
    """Ingest the mirror into ``db`` when it holds no cable yet (a SQLite path only)."""
    if "://" not in db and Path(db).exists():
        import sqlite3

        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                if conn.execute("SELECT count(*) FROM store_cable").fetchone()[0]:
                    return
        except sqlite3.Error:
            pass  # no schema yet: ingest
    elif "://" in db:
        return  # a PostgreSQL archive is prepared by whoever passes it
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    print(f"Ingesting {corpus} into {db} (once)…", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-m", "cables", "ingest", "--db", db, "--routes",
                           str(routes), "--known-ids", str(known_ids), str(corpus)])
    if done.returncode not in (0, 1):
        sys.exit(f"cables ingest failed with status {done.returncode}")


def start_server(db: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "cables", "serve", "--db", db, "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--threads", str(threads)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"cables serve exited {server.returncode}:\n{server.stderr.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("cables serve did not answer within 120 s")


def stop_server(server: subprocess.Popen) -> str:
    server.send_signal(signal.SIGTERM)
    try:
        _, errors = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        _, errors = server.communicate()
    return errors or ""


# --- the table ---------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]


def report(results: Results, mix, seconds: float, client_cpu: float) -> bool:
    """Print the table; True when every target is met."""
    header = (f"{'kind':<8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'p99 ms':>8} {'max ms':>8} {'errors':>7}  target")
    print(header)
    print("-" * len(header))
    all_ok = True
    names = [k.name for k, _ in mix]
    rows = [(name, results.latencies[name], results.statuses[name], results.socket_errors[name],
             next(k for k, _ in mix if k.name == name).target_p95_ms) for name in names]
    total_lat = [x for name in names for x in results.latencies[name]]
    total_status = sum((results.statuses[n] for n in names), Counter())
    total_sock = sum((results.socket_errors[n] for n in names), Counter())
    rows.append(("all", total_lat, total_status, total_sock, None))
    for name, lat, statuses, sock, target in rows:
        errors = sum(n for s, n in statuses.items() if not 200 <= s < 400) + sum(sock.values())
        if not lat:
            print(f"{name:<8} {0:>9} {'—':>8} {'—':>8} {'—':>8} {'—':>8} {'—':>8} {errors:>7}  "
                  f"no answer")
            all_ok = False
            continue
        p95 = percentile(lat, 0.95)
        verdicts = []
        if target is not None:
            met = p95 <= target
            verdicts.append(f"p95 ≤ {target:g} ms {'met' if met else 'MISSED'}")
            all_ok &= met
        verdicts.append("0 errors " + ("met" if errors == 0 else "MISSED"))
        all_ok &= errors == 0
        print(f"{name:<8} {len(lat):>9,} {len(lat) / seconds:>8.1f} {percentile(lat, 0.5):>8.1f} "
              f"{p95:>8.1f} {percentile(lat, 0.99):>8.1f} {max(lat):>8.1f} {errors:>7}  "
              f"{', '.join(verdicts)}")
    bad = {s: n for s, n in total_status.items() if not 200 <= s < 400}
    if bad or total_sock:
        print(f"errors: statuses {dict(sorted(bad.items()))}, socket {dict(total_sock)}")
    print(f"load generator CPU: {client_cpu / seconds * 100:.0f}% of one core")
    return all_ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(DEFAULT_DB),
                    help=f"archive (SQLite path or postgresql:// URL) [{DEFAULT_DB}]")
    ap.add_argument("--corpus", type=Path, default=CORPUS / "cablegate-site-2011-04-25.tar.xz",
                    help="what to ingest when --db is missing or empty [the mirror .tar.xz]")
    ap.add_argument("--routes", type=Path, default=CORPUS / "ids" / "route2name.csv")
    ap.add_argument("--known-ids", type=Path, default=CORPUS / "ids" / "cable2month.csv.gz")
    ap.add_argument("--clients", type=int, default=20, help="concurrent clients [20]")
    ap.add_argument("--duration", type=float, default=30, help="seconds measured [30]")
    ap.add_argument("--warmup", type=float, default=5, help="seconds of load not counted [5]")
    ap.add_argument("--mix", default="cable=50,browse=25,search=25",
                    help="kinds and weights [cable=50,browse=25,search=25]")
    ap.add_argument("--workers", type=int, default=None,
                    help="server worker processes [cables serve's default: 2 × cores + 1]")
    ap.add_argument("--threads", type=int, default=4, help="threads per worker [4]")
    ap.add_argument("--timeout", type=float, default=30, help="seconds before a request fails")
    ap.add_argument("--seed", type=int, default=2010)
    args = ap.parse_args()

    ensure_archive(args.db, args.corpus, args.routes, args.known_ids)
    from cables.store import db

    db.setup(args.db)
    kinds = build_kinds(args.seed)
    from django.db import connections

    from cables.store.models import Cable
    from cables.web.server import default_workers

    cables = Cable.objects.count()
    connections.close_all()
    mix = parse_mix(args.mix, kinds)
    workers = args.workers or default_workers()
    port = free_port()
    load_before = os.getloadavg()[0]
    server = start_server(args.db, port, workers, args.threads)
    try:
        for kind, _ in mix:
            if kind.prepare:
                kind.prepare(f"http://127.0.0.1:{port}")
        asyncio.run(load("127.0.0.1", port, mix, args.clients, args.warmup, args.seed, None,
                         args.timeout))
        results = Results()
        cpu_before = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
        started = time.perf_counter()
        asyncio.run(load("127.0.0.1", port, mix, args.clients, args.duration, args.seed + 1000,
                         results, args.timeout))
        seconds = time.perf_counter() - started
        client_cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu_before
    finally:
        server_log = stop_server(server)
    print(f"cables serve on {args.db} ({cables:,} cables), {workers} workers × {args.threads} "
          f"threads; {args.clients} clients for {seconds:.0f} s after {args.warmup:g} s of "
          f"warm-up; mix {args.mix}; {os.cpu_count()} cores shared by server and load generator; "
          f"load average {load_before:.1f} before the run (other work on the machine)")
    ok = report(results, mix, seconds, client_cpu)
    noise = [line for line in server_log.splitlines() if line.strip()
             and not line.startswith("The reading room:")]
    if noise:
        print("server said:\n  " + "\n  ".join(noise[-20:]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
