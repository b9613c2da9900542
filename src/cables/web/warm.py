"""Visit every cable page once through the running server, so each is kept before its first reader.

After an ingest every page is new to the page cache (:mod:`.pagecache`): the first visit of each
renders it, twenty times the cost of the visits after. ``cables serve --warm`` runs this module in
a process beside the server, which asks for every cable page over loopback, one at a time (a
worker's thread at most, so readers keep the rest), newest cables first; the bench calls
:func:`warm` to measure a reading room in its steady state. Visiting through HTTP, not rendering
in-process, keeps the pages exactly those readers get: same server, same keys.

    python -m cables.web.warm http://127.0.0.1:8000 [--db ARCHIVE] [--connections N]
"""

from __future__ import annotations

import argparse
import http.client
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit


def cable_paths() -> list[str]:
    """Every cable page's canonical path, the newest cables first."""
    from ..store.models import Cable
    from .links import cable_path

    rows = (Cable.objects.filter(latest_version__isnull=False).order_by("-created", "-id")
            .values_list("canonical_id", "created"))
    return [cable_path(ref, created) for ref, created in rows.iterator(chunk_size=5000)]


@dataclass
class Visits:
    ok: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False  # the server went away (refused a connection): the rest not asked


def warm(base_url: str, paths: Iterable[str], connections: int = 1, host: str | None = None,
         timeout: float = 60) -> Visits:
    """GET each path from ``base_url`` (keep-alive, ``connections`` at a time); a page that fails
    is counted with its reason and the rest go on. ``host``: the Host header, when the site's
    name is not the address connected to."""
    address = urlsplit(base_url)
    local = threading.local()
    visits = Visits()
    lock = threading.Lock()

    def visit(path: str) -> None:
        if visits.stopped:
            return
        for attempt in (1, 2):  # a keep-alive connection the server closed: once more, anew
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = http.client.HTTPConnection(address.hostname, address.port,
                                                               timeout=timeout)
            try:
                conn.request("GET", path, headers={"Host": host} if host else {})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                local.conn = None
                if attempt == 2:
                    with lock:
                        visits.failed.append((path, f"{type(error).__name__}: {error}"))
                        visits.stopped |= isinstance(error, ConnectionRefusedError)
                continue
            with lock:
                if response.status == 200:
                    visits.ok += 1
                else:
                    visits.failed.append((path, f"HTTP {response.status}"))
            return

    started = time.perf_counter()
    with ThreadPoolExecutor(max(1, connections)) as pool:
        for _ in pool.map(visit, paths):
            pass
    visits.seconds = time.perf_counter() - started
    return visits


def wait_for(base_url: str, seconds: float = 120) -> bool:
    """Whether the server at ``base_url`` answers within ``seconds``."""
    address = urlsplit(base_url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection(address.hostname, address.port, timeout=2).connect()
            return True
        except OSError:
            time.sleep(0.3)
    return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base_url", help="the server, e.g. http://127.0.0.1:8000")
    ap.add_argument("--connections", type=int, default=1, help="pages asked for at once [1]")
    ap.add_argument("--host", default=None, help="Host header [the address connected to]")
    ap.add_argument("--db", default=None, help="the archive served [CABLES_DB or ./cables.db]")
    args = ap.parse_args(argv)
    from ..store import db

    db.setup(args.db)
    paths = cable_paths()
    from django.db import connections

    connections.close_all()
    if not wait_for(args.base_url):
        print(f"cables warm: {args.base_url} did not answer", file=sys.stderr)
        return 1
    visits = warm(args.base_url, paths, args.connections, args.host)
    print(f"cables warm: {visits.ok:,} of {len(paths):,} cable pages kept in {visits.seconds:.0f} s"
          + ("; stopped: the server went away" if visits.stopped else "")
          + (f"; {len(visits.failed):,} failed, the first: {visits.failed[0][0]} "
             f"({visits.failed[0][1]})" if visits.failed else ""), file=sys.stderr, flush=True)
    return 1 if visits.failed else 0


if __name__ == "__main__":
    sys.exit(main())
