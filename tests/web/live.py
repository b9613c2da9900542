"""A live reading room for the end-to-end tests: `cables ingest` into a temporary archive, then
`cables serve` (gunicorn, the production server; granian with `--server granian`) on a free
loopback port.

Both are the real commands in child processes, as a reader's machine runs them. The archive holds
the first two official builds (cablegate-201011301701 and cablegate-201012020501, full builds: 26
cables changed by the second have two versions and a diff), the blog page 06ASTANA38 (release
"blog-06ASTANA38") and a few pages of the 6,712-page mirror, each ingested with the known-id list
and the routing table. The builds come first, so that their removal bookkeeping (a full build
marks removed what earlier releases had and it lacks) leaves the later pages alone.

The archive is built once per test process (the tests of test_serve.py and test_browser.py share
an xdist group, so one process builds it); each module starts its own server.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from conftest import (BLOG_PAGE, BUILD_TARS, KNOWN_IDS_CSV, MIRROR_TAR, ROUTES_CSV, page_path,
                      require)

FIRST_BUILDS = [t for t in BUILD_TARS if t.name.startswith(("cablegate-201011301701",
                                                            "cablegate-201012020501"))]
# Pages of the mirror, in the archive only through them (neither build has them): 09BERN122
# cites 09BERN98 in its REF list.
CITING, CITED = "09BERN122", "09BERN98"
MIRROR_PAGES = [CITING, CITED]
MIRROR_RELEASE = "cablegate-site-2011-04-25"
LIVE_GROUP = "live-site"  # the xdist group of the tests that use the live site

_archive: Path | None = None


def cables(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the `cables` command of this checkout (the interpreter running the tests)."""
    done = subprocess.run([sys.executable, "-m", "cables", *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"cables {' '.join(args)} exited {done.returncode}:\n"
                             f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done


def build_archive(folder: Path) -> Path:
    """The test archive in ``folder`` (built once per process; later calls return it)."""
    global _archive
    if _archive is not None:
        return _archive
    require(BLOG_PAGE)
    require(MIRROR_TAR)
    tables = ["--known-ids", str(require(KNOWN_IDS_CSV)), "--routes", str(require(ROUTES_CSV))]
    assert len(FIRST_BUILDS) == 2, f"the first two builds are missing: {FIRST_BUILDS}"
    db = str(folder / "live.db")
    cables("ingest", "--db", db, "--full", *tables, *map(str, FIRST_BUILDS))
    cables("ingest", "--db", db, "--release", "blog-06ASTANA38", *tables, str(BLOG_PAGE))
    cables("ingest", "--db", db, "--release", MIRROR_RELEASE, *tables,
           *(str(page_path(ref)) for ref in MIRROR_PAGES))
    _archive = Path(db)
    return _archive


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Site:
    """A running `cables serve`: its process (the server's main process), address and archive."""

    process: subprocess.Popen
    url: str
    db: Path
    log: Path

    def get(self, path: str, method: str = "GET", headers: dict | None = None):
        """(status, headers, body) of one request; no redirect is followed."""
        request = urllib.request.Request(self.url + path, method=method, headers=headers or {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def stop(self, how: signal.Signals = signal.SIGTERM) -> int:
        """SIGTERM to the master, as a service manager stops it (SIGINT: Ctrl-C); its status."""
        if self.process.poll() is None:
            self.process.send_signal(how)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"cables serve did not stop within 60 s of {how.name}")
        return self.process.returncode

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start(db: Path, folder: Path, workers: int = 2, threads: int = 4, *options: str) -> Site:
    """`cables serve` on ``db`` at a free loopback port; returns once it answers."""
    port = free_port()
    log = folder / f"serve-{port}.log"
    env = {k: v for k, v in os.environ.items() if k not in {"CABLES_DB", "CABLES_SECRET_KEY"}}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "cables", "serve", "--db", str(db), "--port", str(port),
             "--workers", str(workers), "--threads", str(threads), *options],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=folder,
        )
    site = Site(process, f"http://127.0.0.1:{port}", db, log)
    deadline = time.monotonic() + 120  # a wait for start-up, not an assertion on speed
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"cables serve exited {process.returncode}:\n{site.output()}")
        try:
            with urllib.request.urlopen(site.url + "/robots.txt", timeout=5):
                return site
        except OSError:
            time.sleep(0.2)
    site.stop()
    raise AssertionError(f"cables serve did not answer on {site.url}:\n{site.output()}")
