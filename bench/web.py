"""Requests/s and p50/p95 latency of the reading room under load: cable, browse and search pages.

Starts `cables serve` on an archive (--archive: the 6,712-cable mirror on SQLite by default,
`250k` the 250,000 synthetic cables on PostgreSQL; made once with `cables ingest` when missing,
reused after: see bench/archives.py) on a free loopback port, and loads it with --clients
concurrent keep-alive clients (20) for --duration seconds (30), after a warm-up that is not
counted (none when the cache starts empty, see below). Each client sends one request, waits for the whole answer, and sends the next: a
closed loop, like readers clicking. Requests are drawn from a weighted mix of kinds (--mix):

- cable:  the pages of archived cables (`/cable/YYYY/MM/ID.html`), drawn over every cable of the
          archive as --access says: `uniform` (each as likely) or `zipf` (a long tail: the
          cables in a random order of --seed, the k-th asked with a probability proportional to
          1/k^s, s = --zipf-exponent, 0.8 by default: the top of the 0.64–0.83 that Breslau et
          al. measured on web proxies' traces, "Web Caching and Zipf-like Distributions", 1999);
- browse: index pages (origins, tags, dates, releases, classifications), and the pages of origins,
          tags, years, months, releases and classifications, first and later pages;
- search: a fixed list of 20 queries (words, phrases, prefixes, exclusions, filters, ids): the
          list of bench/search.py, so both benches measure the same queries.
- api:    the JSON of archived cables (`/api/v1/cables/ID`: record, versions, references
          both ways, tags, comment count), as a script pulling cables would ask (drawn as the
          cable pages are).

The page cache (cables.web.pagecache) is part of what is measured, so the bench measures twice
(--cache both, the default up to 10,000 cables), one table each: `fresh` (the cache empty at the
start, so most cable pages are rendered on their first visit, as right after an ingest; the fixed
searches and browse pages are kept after theirs), then `warm` (every cable page visited once
first, as `cables serve --warm` does: a reading room's steady state). The difference is the cost
of rendering. Above 10,000 cables the default is `fresh` alone (visiting every page first would
take longer than the run). Empty at the start means: the server's page cache is a new, empty
folder; the cable pages kept rendered in the archive (cables.web.version_render, shared by the
instances) are deleted before the server starts; and no warm-up load runs before the measured
one (the first requests of each worker are measured too). What is not emptied: PostgreSQL's
buffers and the operating system's file cache, as on a site running for a while. With
`--renders made` the kept renders are deleted, then made again for every cable by `cables render`
before the server starts (as a site runs it right after an ingest; its time, CPU and count are
printed), so that a first visit reads its page's archive part instead of rendering it; the page
cache is still empty. The server is given its own address (`CABLES_SITE_URL`,
http://127.0.0.1:PORT, what the clients connect to and what it would take from their Host header
without it), and the renders are made for it: a render holds the site's address and is kept
under it. Each fresh table's header says which it was: renders deleted or made ahead. Beside the
table, the first visits of each kind (a page not asked before in the run: rendered, whatever
the share of repeats) with their p95, and the cable target of the fresh phase is issue 15's
for first visits, p95 <= 100 ms (the warm phase's 50 ms).

Prints, per kind: requests, requests/s, p50/p95/p99/max latency, errors (any status other than
2xx/3xx, and socket errors: refused, reset, timed out, a malformed answer), with the targets beside
them: p95 <= 50 ms for cable pages, <= 150 ms for searches, <= 20 ms for the API's cables, and no
error at all.

The API counts every request against its client's rate limit (300 a minute per address by
default, in the database): with the api kind in the mix the server is started with that limit
out of reach (`CABLES_DISCUSSION_LIMITS`, both windows kept), so each request still pays for its
count and none is refused. The warm phase also asks every cable's API answer once (answers are
kept per archive generation, like pages):

    python bench/web.py --mix api=1 --cache warm      # the API's cables alone, warm

What it needs: the project installed (`make install`), the corpus in ../shared/corpus (or
--corpus/--archive); for `250k`, PostgreSQL 15's binaries and bench/synthetic.py's dump. Nothing
else: the load generator is this process (bench/loadgen.py) — a lean asyncio HTTP/1.1 client
(no third-party package, no `wrk`), about a tenth of a core for a few hundred requests/s, so it
does not starve the server on a 2-core machine; the table says how much CPU it used. Not run by CI.

    python bench/web.py                                # archive in $TMPDIR/cables-bench/mirror.db
    python bench/web.py --archive 250k --access zipf   # issue 15: 250,000 cables, cache empty
    python bench/web.py --archive 250k --access zipf --renders made   # … after `cables render`
    python bench/web.py --archive /tmp/pg20k/ --corpus first-20000-rows.csv --access zipf
    python bench/web.py --archive cables.db --clients 50 --duration 60 --workers 3
    python bench/web.py --mix cable=1                  # cable pages only
    python bench/web.py --archive /tmp/mirror.db --comments 10   # 10 % comment posts, on a copy

With --comments PCT, PCT % of the requests are comment posts (the discussion's form), the rest the
read-only mix scaled down (`--comments 10`: cable=45,browse=22.5,search=22.5,comment=10):

- comment: a well-formed comment (name, e-mail, text; the honeypot left empty) posted to a random
           cable's form (`/cable/ID/comments`). Each client keeps a cookie jar as a browser does:
           before its first post it GETs a cable page (not counted) and keeps the `csrftoken`
           cookie and the form's `csrfmiddlewaretoken`; every answer's Set-Cookie is kept and sent
           back (the "comment waits" message cookie too). Only the 302/303 back to that cable's
           page counts as success (redirects are not followed; the comment id is kept when the
           Location ends in `#comment-N`, which a first comment never does: it waits for a
           moderator); any 4xx/5xx is an error, a 429 too.

  The rate limits are a feature, so the bench does not raise them (`CABLES_DISCUSSION_LIMITS`
  would): it starts the server with CABLES_TRUSTED_PROXIES=127.0.0.1 (the load
  generator is its "proxy") and each post says who posted in `X-Forwarded-For`: a reader of its
  own, an address of 127.0.0.0/8 other than 127.0.0.1 (a header only: every connection goes to
  127.0.0.1), with an e-mail address of its own, so no post meets a limit (6 per address and 4
  per e-mail in 10 minutes). The stored rows' addresses are checked to be those sent, which shows
  the header was believed.

  Nothing lost: every comment text carries a token unique to the post. After the run (server
  stopped) the bench reads web_comment and compares: every accepted post (warm-up included) must
  be stored once, on its cable, with its e-mail and address; it prints accepted / stored / missing
  and exits non-zero if any is missing or any request failed. The comment mix never writes into
  the archive given: it runs on a copy (SQLite's backup API, into a temporary directory removed
  afterwards); a PostgreSQL archive is refused with --comments. (The fresh phase does delete the
  archive's kept renders, before the copy: a cache, made again on need.)

The server gets a throw-away CABLES_SECRET_KEY, so no key file is left beside the archive.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import ipaddress
import itertools
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
TRUSTED_PROXY = "127.0.0.1"     # the load generator, as the server sees it with --comments


def bench_module(name: str):
    """Another script of bench/ as a module (bench/ is no package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


_loadgen = bench_module("loadgen")   # the clients and what they send, shared with bench/cluster.py
Request, Response, Session, Kind = _loadgen.Request, _loadgen.Response, _loadgen.Session, _loadgen.Kind
Results, Connection, BadResponse = _loadgen.Results, _loadgen.Connection, _loadgen.BadResponse
load, percentile = _loadgen.load, _loadgen.percentile


def search_queries() -> list[str]:
    """The 20 queries of bench/search.py (one list for both benches)."""
    return list(bench_module("search").QUERIES)


@dataclass(frozen=True)
class Access:
    """How the cable requests spread over the archive's cables: ``uniform``, or ``zipf`` with
    ``exponent`` s (the k-th most asked cable asked with a probability proportional to 1/k^s,
    the cables ranked in a random order of the seed)."""

    name: str = "uniform"
    exponent: float = 0.8

    def picker(self, items: list, seed: int) -> Callable[[random.Random], object]:
        if self.name == "uniform":
            return lambda rng: rng.choice(items)
        ranked = list(items)
        random.Random(seed).shuffle(ranked)
        cumulative = list(itertools.accumulate(k ** -self.exponent
                                               for k in range(1, len(ranked) + 1)))
        return lambda rng: rng.choices(ranked, cum_weights=cumulative)[0]

    def describe(self, count: int) -> str:
        if self.name == "uniform":
            return f"uniform over {count:,} cables"
        weights = [k ** -self.exponent for k in range(1, count + 1)]
        total = sum(weights)
        top = sum(weights[:100]) / total
        tail = sum(weights[count // 2:]) / total
        return (f"zipf over {count:,} cables, exponent {self.exponent:g} (seeded): the 100 most "
                f"asked get {top:.0%} of the cable requests, the least asked half {tail:.0%}")


FORM_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_ACTION = re.compile(rb'<form method="post" action="([^"]+)" class="comment-form">')
COMMENT_ID = re.compile(r"#comment-(\d+)$")
TOKEN = re.compile(r"bench-[0-9a-f]{8}-\d+")


@dataclass
class Post:
    """What one comment post sent, to find it in the archive afterwards."""

    cable: str           # canonical id
    page: str            # where a good post redirects
    email: str
    address: str
    origin: str          # http://127.0.0.1:PORT: a Location may be absolute
    comment_id: int | None = None

    @property
    def origin_page(self) -> str:
        return self.origin + self.page

    def is_row(self, row: tuple) -> bool:
        """Is this web_comment row (id, body, email, address, status, cable) the post as sent?"""
        comment_id, _, email, address, _, cable = row
        return ((email, address, cable) == (self.email, self.address, self.cable)
                and self.comment_id in (None, comment_id))


class CommentPosts:
    """The comment kind: well-formed posts from ever new readers, and the ledger of their fate.

    Each post gets a number from one counter for the whole run (warm-up included); the number
    makes its token (``bench-RUN-N``, in the text), its e-mail and its X-Forwarded-For address,
    so no two posts share an address or an e-mail and no rate limit is met.
    """

    FIRST_ADDRESS = int(ipaddress.IPv4Address("127.1.0.0"))   # up to 127.255.255.255

    def __init__(self, cables: list[tuple[str, str, str]]):
        self.cables = cables         # (canonical id, page path, form action path)
        self.run = secrets.token_hex(4)
        self.numbers = itertools.count(1)
        self.sent: dict[str, Post] = {}
        self.accepted: dict[str, Post] = {}
        self.unanswered: set[str] = set()      # no answer: stored or not, nobody was told
        self.refused: Counter = Counter()      # status → posts the server said no to

    def kind(self) -> Kind:
        return Kind("comment", self.make, label="comment post", setup=self.fetch_form,
                    check=self.check, failed=self.no_answer)

    async def fetch_form(self, session: Session, conn: Connection) -> None:
        """GET a cable page as a browser would before posting: keep its cookies and form token."""
        _, page, action = random.choice(self.cables)
        response = await conn.request(Request(page, headers=session.cookie_header()))
        session.keep_cookies(response)
        if response.status != 200:
            raise BadResponse(f"the cable page {page} answered {response.status}")
        token = FORM_TOKEN.search(response.body)
        form = FORM_ACTION.search(response.body)
        if token is None or form is None:
            raise BadResponse(f"no comment form on {page}")
        if form.group(1).decode().split("#")[0] != action:
            raise BadResponse(f"the form of {page} posts to {form.group(1)!r}, not {action}")
        if "csrftoken" not in session.cookies:
            raise BadResponse(f"{page} set no csrftoken cookie")
        session.form_token = token.group(1).decode()

    def make(self, rng: random.Random, session: Session) -> Request:
        number = next(self.numbers)
        cable, page, action = rng.choice(self.cables)
        token = f"bench-{self.run}-{number}"
        post = Post(cable, page, f"reader.{self.run}.{number}@example.org",
                    str(ipaddress.IPv4Address(self.FIRST_ADDRESS + number)), session.origin)
        text = (f"Load test comment {token} on {cable}.\n\nThe second paragraph reads as if "
                f"the *embassy* had [a source](https://example.org/{number}) in the ministry.")
        body = urlencode({
            "csrfmiddlewaretoken": session.form_token, "name": f"Bench reader {number}",
            "email": post.email, "website": "", "paragraph": "", "body": text, "parent": "",
            "homepage": "",   # the honeypot, left empty as people leave it
        }).encode()
        self.sent[token] = post
        return Request(action, method="POST", body=body, token=token, headers=(
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", session.origin), ("Referer", session.origin + page),
            ("X-Forwarded-For", post.address),
        ))

    def check(self, request: Request, response: Response) -> str | None:
        post = self.sent[request.token]
        if response.status not in (302, 303):
            self.refused[response.status] += 1
            return None if response.status >= 400 else f"comment answered {response.status}"
        location = response.header("location") or ""
        if location.split("#")[0] not in (post.page, post.origin_page):
            self.refused["bad redirect"] += 1
            return f"comment redirected to {location[:60]!r}"
        number = COMMENT_ID.search(location)
        post.comment_id = int(number.group(1)) if number else None
        self.accepted[request.token] = post
        return None

    def no_answer(self, request: Request) -> None:
        self.unanswered.add(request.token)

    def audit(self, db: str) -> bool:
        """Nothing lost: every accepted post is a row of web_comment, as sent. Prints the count.
        ``db``: the SQLite archive, or a postgresql:// URL (bench/cluster.py's primary)."""
        query = ("SELECT c.id, c.body, c.email, c.client_address, c.status, s.canonical_id "
                 "FROM web_comment c JOIN store_cable s ON s.id = c.cable_id WHERE c.body LIKE ?")
        if "://" in db:
            import psycopg

            with psycopg.connect(db) as conn:
                rows = [(*r[:3], str(r[3]), *r[4:]) for r in conn.execute(
                    query.replace("?", "%s"), (f"%bench-{self.run}-%",)).fetchall()]
        else:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                rows = conn.execute(query, (f"%bench-{self.run}-%",)).fetchall()
        stored: dict[str, list[tuple]] = defaultdict(list)
        for row in rows:
            for token in TOKEN.findall(row[1]):
                stored[token].append(row)
        missing = [t for t in self.accepted if t not in stored]
        twice = [t for t in self.accepted if len(stored.get(t, ())) > 1]
        wrong = [t for t, post in self.accepted.items()
                 if len(stored.get(t, ())) == 1 and not post.is_row(stored[t][0])]
        unasked = [t for t in stored if t not in self.sent]
        refused_but_stored = [t for t in stored if t in self.sent and t not in self.accepted
                              and t not in self.unanswered]
        statuses = Counter(r[4] for t in self.accepted for r in stored.get(t, ()))
        with_id = sum(1 for p in self.accepted.values() if p.comment_id is not None)
        print(f"comment posts (warm-up included): {len(self.sent):,} sent, "
              f"{len(self.accepted):,} accepted, "
              f"{sum(1 for t in self.accepted if t in stored):,} accepted and stored, "
              f"{len(missing)} missing")
        print(f"  {len(twice)} stored twice, {len(wrong)} stored wrong (cable, e-mail, address "
              f"or id), {len(refused_but_stored)} stored though refused, refused "
              f"{dict(self.refused) or 0}, {len(self.unanswered)} unanswered "
              f"({sum(1 for t in self.unanswered if t in stored)} of them stored); stored as "
              f"{dict(statuses) or '—'}, {with_id} redirected to #comment-N")
        for label, tokens in (("missing", missing), ("stored twice", twice),
                              ("stored wrong", wrong), ("not sent by this run", unasked),
                              ("stored though refused", refused_but_stored)):
            if tokens:
                print(f"  {label}: {', '.join(sorted(tokens)[:10])}")
        return not (missing or twice or wrong or unasked or refused_but_stored)


def build_kinds(seed: int, access: Access = Access()) -> tuple[dict[str, Kind], CommentPosts]:
    """The kinds of request, their URLs drawn from the archive (Django is set up on it); the
    cable pages and the API's cables as ``access`` spreads them over every cable.

    Every URL is built by :mod:`cables.web.links` (and the discussion's links), the one place the
    site's URL scheme lives.
    """
    from django.db.models import Count

    from cables.api import links as api_links
    from cables.store.models import Cable, Release, Tag
    from cables.web import links
    from cables.web.discussion.links import comment_form_path

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
    classifications = list(Cable.objects.current().exclude(classification=None).order_by()
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
    api_paths = [api_links.cable(cid) for cid, _ in cables]
    comments = CommentPosts([(cid, path, comment_form_path(cid).split("#")[0])
                             for (cid, _), path in zip(cables, cable_paths)])

    def pick(paths: list[str], spread: Access = Access()) -> Callable[[random.Random, Session],
                                                                      Request]:
        draw = spread.picker(paths, seed)
        return lambda r, session: Request(draw(r))

    kinds = {
        "cable": Kind("cable", pick(cable_paths, access), target_p95_ms=50),
        "browse": Kind("browse", pick(browse_paths)),
        "search": Kind("search", pick(search_paths), target_p95_ms=150),
        "api": Kind("api", pick(api_paths, access), target_p95_ms=20, label="api cable"),
        "comment": comments.kind(),
    }
    return kinds, comments


def parse_mix(text: str, kinds: dict[str, Kind],
              comments_pct: float = 0) -> list[tuple[Kind, float]]:
    """The kinds and weights of --mix; with --comments PCT the others share the rest of 100."""
    mix = []
    for part in text.split(","):
        name, _, weight = part.partition("=")
        if name.strip() not in kinds:
            sys.exit(f"--mix: no kind {name.strip()!r} (kinds: {', '.join(kinds)})")
        mix.append((kinds[name.strip()], float(weight or 1)))
    if comments_pct:
        if not 0 < comments_pct < 100:
            sys.exit("--comments: a percentage above 0 and below 100")
        rest = [(k, w) for k, w in mix if k.name != "comment"]
        total = sum(w for _, w in rest)
        mix = [(k, w * (100 - comments_pct) / total) for k, w in rest]
        mix.append((kinds["comment"], comments_pct))
    return mix


def mix_text(mix: list[tuple[Kind, float]]) -> str:
    return ",".join(f"{k.name}={w:g}" for k, w in mix)


# --- the server --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_archive(db: str, folder: Path) -> str:
    """A copy of a SQLite archive for a run that writes (SQLite's online backup: consistent even
    while another process writes the original, which is opened read-only)."""
    copy = folder / Path(db).name
    source = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return str(copy)


PHASES = {"fresh": "fresh: empty at the start, as right after an ingest",
          "warm": "warm: every cable page kept, the steady state (`cables serve --warm`)"}


def warm_cache(base_url: str, pages: bool = True, api: bool = False):
    """Every cable page visited once (cables.web.warm, what `cables serve --warm` runs), and with
    ``api`` every cable's API answer; a mix without pages (``api=1``) visits only the answers."""
    from django.db import connections

    from cables.web.warm import cable_paths, warm

    paths = cable_paths() if pages else []
    if api:
        from cables.api import links as api_links
        from cables.store.models import Cable

        paths += [api_links.cable(cid) for cid in Cable.objects.filter(latest_version__isnull=False)
                  .values_list("canonical_id", flat=True)]
    connections.close_all()
    what = " and ".join(w for w, on in (("cable pages", pages), ("API answers", api)) if on)
    print(f"Visiting the {len(paths):,} {what} once (--cache warm)…", file=sys.stderr, flush=True)
    return warm(base_url, paths, connections=2)


def start_server(db: str, port: int, workers: int, threads: int, kind: str,
                 env: dict[str, str] | None = None) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "cables", "serve", "--db", db, "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--threads", str(threads),
         "--server", kind],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CABLES_SECRET_KEY": secrets.token_urlsafe(40), **(env or {})},
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


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and every process under it, read from
    /proc: the server's master and workers, whose figure moves much less with the machine's other
    work than latency does (0.0 where /proc is missing)."""
    stats: dict[int, tuple[int, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = entry.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        stats[int(entry.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    tree, total = {pid}, 0.0
    while True:
        grown = tree | {p for p, (parent, _) in stats.items() if parent in tree}
        if grown == tree:
            break
        tree = grown
    for p in tree:
        total += stats.get(p, (0, 0.0))[1]
    return total


def stop_server(server: subprocess.Popen) -> str:
    server.send_signal(signal.SIGTERM)
    try:
        _, errors = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        _, errors = server.communicate()
    return errors or ""


# --- the table ---------------------------------------------------------------------------------

def report(results: Results, mix, seconds: float, cpu: tuple[float, float | None],
           targets: dict[str, float] | None = None) -> bool:
    """Print the table; True when every target is met. ``targets``: p95 targets (ms) of this
    phase in place of the kinds' own, by kind name."""
    header = (f"{'kind':<12} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'p99 ms':>8} {'max ms':>8} {'errors':>7}  target")
    print(header)
    print("-" * len(header))
    all_ok = True
    names = [k.name for k, _ in mix]
    rows = [(k.title, results.latencies[k.name], results.statuses[k.name],
             results.socket_errors[k.name], (targets or {}).get(k.name, k.target_p95_ms))
            for k, _ in mix]
    total_lat = [x for name in names for x in results.latencies[name]]
    total_status = sum((results.statuses[n] for n in names), Counter())
    total_sock = sum((results.socket_errors[n] for n in names), Counter())
    rows.append(("all", total_lat, total_status, total_sock, None))
    for name, lat, statuses, sock, target in rows:
        errors = sum(n for s, n in statuses.items() if not 200 <= s < 400) + sum(sock.values())
        if not lat:
            print(f"{name:<12} {0:>9} {'—':>8} {'—':>8} {'—':>8} {'—':>8} {'—':>8} "
                  f"{errors:>7}  no answer")
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
        print(f"{name:<12} {len(lat):>9,} {len(lat) / seconds:>8.1f} "
              f"{percentile(lat, 0.5):>8.1f} {p95:>8.1f} {percentile(lat, 0.99):>8.1f} "
              f"{max(lat):>8.1f} {errors:>7}  {', '.join(verdicts)}")
    bad = {s: n for s, n in total_status.items() if not 200 <= s < 400}
    if bad or total_sock:
        print(f"errors: statuses {dict(sorted(bad.items()))}, socket or wrong answer "
              f"{dict(total_sock)}")
    firsts = [f"{k.title} {len(results.first[k.name]):,} of {len(results.latencies[k.name]):,}"
              + (f" (p95 {percentile(results.first[k.name], 0.95):.1f} ms)"
                 if results.first[k.name] else "") for k, _ in mix if k.name != "comment"]
    if any(results.first[k.name] for k, _ in mix):
        print(f"first visits (an address not asked before in the run): {', '.join(firsts)}")
    client_cpu, server_cpu = cpu
    answered = sum(len(lat) for lat in results.latencies.values())
    server = ("not measured" if server_cpu is None else
              f"{server_cpu:.1f} s, {server_cpu * 1000 / max(answered, 1):.2f} ms a request")
    print(f"load generator CPU: {client_cpu / seconds * 100:.0f}% of one core; server CPU (its "
          f"processes, not PostgreSQL's): {server}")
    return all_ok


FRESH_TARGETS = {"cable": 100}   # issue 15: first visits, the cache empty at the start
WARM_UP_SECONDS = 5
WARM_BY_DEFAULT_UP_TO = 10_000    # cables: above, visiting every page first takes too long


def forget_kept_renders() -> int:
    """The cable pages kept rendered in the archive (cables.web.version_render), deleted: the
    fresh phase starts with none. Returns how many there were."""
    from django.db import connections

    from cables.web.version_render import VersionRender, forget_all

    kept = VersionRender.objects.count()
    forget_all()
    connections.close_all()
    return kept


def current_renders() -> int:
    """How many cable pages have a render kept under the archive's generation (made for the
    address of the run that made them: give its --port, or the server renders them again)."""
    from django.db import connections

    from cables.store import generation
    from cables.web.version_render import count_current

    found = count_current(generation.current())
    connections.close_all()
    return found


@dataclass
class MadeRenders:
    """What `cables render` did before the server started, and what it cost."""

    summary: str        # its last line: rendered N, already kept M, failed K
    seconds: float
    cpu: float          # its processes' CPU time, user and system
    rendered: int

    def __str__(self) -> str:
        rate = f", {self.rendered / self.seconds:,.0f} renders/s" if self.seconds and self.rendered else ""
        return (f"`cables render` {self.summary} in {self.seconds:.0f} s ({self.cpu:.0f} s of CPU "
                f"over its processes{rate})")


def make_renders(db: str, site_url: str) -> MadeRenders:
    """Every cable page's archive part rendered and kept by `cables render` (every core), for the
    address the server's pages will show, before it starts; timed."""
    print(f"Rendering every cable page's archive part (`cables render --site-url {site_url}`)…",
          file=sys.stderr, flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cables", "render", "--db", db,
                           "--site-url", site_url], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = next((line for line in reversed(done.stdout.splitlines())
                    if line.startswith("rendered ")), "")
    if done.returncode != 0 or not summary:
        print(f"cables render exited {done.returncode}: {summary}\n{done.stderr[-2000:]}",
              file=sys.stderr, flush=True)
    count = re.match(r"rendered ([\d,]+)", summary)
    rendered = int(count.group(1).replace(",", "")) if count else 0
    return MadeRenders(summary or f"failed (exit status {done.returncode})", seconds,
                       after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, rendered)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", "--db", dest="archive", default="mirror",
                    metavar="mirror|250k|FOLDER/|PATH|URL",
                    help="the archive served: mirror (SQLite, $TMPDIR/cables-bench/mirror.db), "
                         "250k (the 250,000 synthetic cables on PostgreSQL), a PostgreSQL "
                         "server's folder, a SQLite path or a postgresql:// URL; made when "
                         "missing, reused after (bench/archives.py) [mirror]")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="what to ingest when the archive is missing or empty [250k: "
                         "$TMPDIR/cables-synthetic-250000.csv, others: the mirror .tar.xz]")
    ap.add_argument("--routes", type=Path, default=CORPUS / "ids" / "route2name.csv")
    ap.add_argument("--known-ids", type=Path, default=CORPUS / "ids" / "cable2month.csv.gz")
    ap.add_argument("--access", choices=["uniform", "zipf"], default="uniform",
                    help="how cable (and API) requests spread over every cable [uniform]")
    ap.add_argument("--zipf-exponent", type=float, default=Access.exponent, metavar="S",
                    help=f"--access zipf: the k-th most asked cable weighs 1/k^S [{Access.exponent:g}]")
    ap.add_argument("--clients", type=int, default=20, help="concurrent clients [20]")
    ap.add_argument("--duration", type=float, default=30, help="seconds measured [30]")
    ap.add_argument("--warmup", type=float, default=None,
                    help=f"seconds of load not counted [{WARM_UP_SECONDS}; none in the fresh "
                         "phase: it would fill the cache]")
    ap.add_argument("--mix", default="cable=50,browse=25,search=25",
                    help="kinds and weights [cable=50,browse=25,search=25]; kinds: cable, "
                         "browse, search, api, comment")
    ap.add_argument("--comments", type=float, default=0, metavar="PCT",
                    help="percent of comment posts, the --mix sharing the rest [0: read only]; "
                         "runs on a copy of the archive")
    ap.add_argument("--workers", type=int, default=None,
                    help="server worker processes [cables serve's default for --server]")
    ap.add_argument("--threads", type=int, default=None,
                    help="threads per worker [cables serve's default for --server]")
    ap.add_argument("--server", choices=("gunicorn", "granian"), default="gunicorn",
                    help="cables serve --server: the HTTP server [gunicorn, cables serve's]")
    ap.add_argument("--timeout", type=float, default=30, help="seconds before a request fails")
    ap.add_argument("--seed", type=int, default=2010)
    ap.add_argument("--cache", default=None, metavar="both|fresh|warm|DIR|memory|off",
                    help="the server's page cache: fresh (an empty directory made for the run "
                         "and removed after it, the archive's kept renders deleted, no warm-up: "
                         "every page is rendered on its first visit, as after an ingest), warm "
                         "(the same, then every cable page visited once before the warm-up, as "
                         "`cables serve --warm` does: the steady state), both (fresh, then warm, "
                         "one table each), a directory (kept across runs), memory (each worker "
                         f"its own) or off [both up to {WARM_BY_DEFAULT_UP_TO:,} cables, fresh above]")
    ap.add_argument("--renders", choices=["deleted", "made", "kept"], default="deleted",
                    help="the cable pages' archive parts kept rendered in the archive, at the start "
                         "of the fresh phase: deleted (every first visit renders its page's), "
                         "made (deleted, then made again by `cables render` before the server "
                         "starts, timed: a first visit reads its page's), or kept as they are "
                         "(made by an earlier run or `cables render --site-url "
                         "http://127.0.0.1:PORT`: give that --port; their count is printed) [deleted]")
    ap.add_argument("--port", type=int, default=None,
                    help="the server's port [a free one]: the renders of --renders kept were made "
                         "for one address")
    args = ap.parse_args()
    if args.zipf_exponent <= 0:
        sys.exit("--zipf-exponent: a number above 0 (the larger, the longer the head)")

    archives = bench_module("archives")
    archive = archives.open_archive(args.archive, args.corpus, args.routes, args.known_ids)
    try:
        return run(args, archive)
    finally:
        archive.close()


def run(args: argparse.Namespace, archive) -> int:
    from cables.store import db

    from django.db import DatabaseError

    db.setup(archive.db)
    try:
        db.migrate()  # as every `cables` command does: an archive of an older version is brought up
    except DatabaseError as exc:
        sys.exit(f"--archive {archive.described}: {exc}".strip())
    access = Access(args.access, args.zipf_exponent)
    kinds, comments = build_kinds(args.seed, access)
    from django.db import connections

    from cables.store.models import Cable
    from cables.web.server import default_threads, default_workers

    cables = Cable.objects.count()
    drawn = Cable.objects.current().exclude(created=None).count()
    connections.close_all()
    mix = parse_mix(args.mix, kinds, args.comments)
    posting = any(k is kinds["comment"] for k, _ in mix)
    asking_api = any(k is kinds["api"] for k, _ in mix)
    if posting and archive.is_postgres:
        sys.exit("comment posts write: run them on a SQLite archive (the bench copies it), "
                 "not on a PostgreSQL one")
    cache = args.cache or ("both" if cables <= WARM_BY_DEFAULT_UP_TO else "fresh")
    workers = args.workers or default_workers(args.server)
    threads = args.threads or default_threads(args.server)
    phases = {"both": ["fresh", "warm"], "fresh": ["fresh"], "warm": ["warm"]}.get(cache, [cache])
    if args.renders == "made" and phases[0] != "fresh":
        sys.exit("--renders made: for the fresh phase (--cache fresh or both)")
    port = args.port or free_port()
    scratch = Path(tempfile.mkdtemp(prefix="cables-bench-web-"))
    served, env = archive.db, {}
    env["CABLES_CACHE"] = (str(scratch / "pages") if cache in ("both", "fresh", "warm")
                           else cache)
    # The site's address as the server gives it to its pages: the key of the renders made ahead
    # and in their links; the load generator connects to it (Host: 127.0.0.1:PORT), which is what
    # the server would take without it.
    base = f"http://127.0.0.1:{port}"
    env["CABLES_SITE_URL"] = base
    try:
        # before a copy is made, so that it has none either (they are a cache: made again on need)
        forgotten = (forget_kept_renders() if phases[0] == "fresh" and args.renders != "kept"
                     else None)
        made = make_renders(archive.db, base) if args.renders == "made" else None
        kept = current_renders() if args.renders == "kept" else None
        if posting:
            print(f"Copying {archive.db} (the comment posts go into the copy)…", file=sys.stderr,
                  flush=True)
            served = copy_archive(archive.db, scratch)
            env["CABLES_TRUSTED_PROXIES"] = TRUSTED_PROXY
        if asking_api:   # counted, never refused (see the module's docstring)
            env["CABLES_DISCUSSION_LIMITS"] = json.dumps({"api-address": [[10**12, 60], [10**12, 86400]]})
        server = start_server(served, port, workers, threads, args.server, env)
        runs = []
        seen: set[str] = set()
        try:
            for kind, _ in mix:
                if kind.prepare:
                    kind.prepare(base)
            for phase in phases:
                pages = any(k is not kinds["api"] for k, _ in mix)
                warmed = warm_cache(base, pages, asking_api) if phase == "warm" else None
                warmup = (args.warmup if args.warmup is not None
                          else 0 if phase == "fresh" else WARM_UP_SECONDS)
                load_before = os.getloadavg()[0]
                if warmup:
                    asyncio.run(load("127.0.0.1", port, mix, args.clients, warmup, args.seed,
                                     None, args.timeout, seen))
                results = Results()
                cpu_before = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
                server_before = process_tree_cpu(server.pid)
                started = time.perf_counter()
                asyncio.run(load("127.0.0.1", port, mix, args.clients, args.duration,
                                 args.seed + 1000, results, args.timeout, seen))
                seconds = time.perf_counter() - started
                client_cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu_before
                server_cpu = process_tree_cpu(server.pid) - server_before
                runs.append((phase, warmed, warmup, load_before, os.getloadavg()[0], results,
                             seconds, (client_cpu, server_cpu)))
        finally:
            server_log = stop_server(server)
        ok = True
        for phase, warmed, warmup, load_before, load_after, results, seconds, cpu in runs:
            renders = ("" if phase != "fresh" or (forgotten is None and kept is None)
                       else f"; {kept:,} cable renders kept from before (`cables render`)"
                       if kept is not None
                       else "; cable renders made ahead by `cables render`" if made
                       else "; cable renders deleted, each made on its first visit")
            print(f"\n== page cache {PHASES.get(phase, phase)}{renders} ==")
            print(f"cables serve on {archive.described}{' (a copy)' if posting else ''} "
                  f"({cables:,} cables), {args.server}: {workers} workers × {threads} threads; "
                  f"{args.clients} clients for {seconds:.0f} s after "
                  f"{f'{warmup:g} s of warm-up' if warmup else 'no warm-up'}; mix {mix_text(mix)}; "
                  f"{os.cpu_count()} cores shared by server and load generator; load average "
                  f"{load_before:.1f} before the run (other work on the machine), "
                  f"{load_after:.1f} at its end (the run's own included)")
            print(f"cable requests: {access.describe(drawn)}")
            if phase == "fresh" and forgotten is not None:
                print(f"empty at the start: a new page cache folder, {forgotten:,} kept renders "
                      "deleted from the archive, no warm-up")
            if phase == "fresh" and made is not None:
                print(f"renders made before the server started: {made}")
            if warmed is not None:
                print(f"warmed first: {warmed.ok:,} pages or answers visited in {warmed.seconds:.0f} s "
                      f"(2 at a time), {len(warmed.failed)} failed")
            ok = report(results, mix, seconds, cpu,
                        FRESH_TARGETS if phase == "fresh" else None) and ok
        if posting:
            ok &= comments.audit(served)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    noise = [line for line in server_log.splitlines() if line.strip()
             and not line.startswith("The reading room:")]
    if noise:
        print("server said:\n  " + "\n  ".join(noise[-20:]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
