"""`cables serve` is the production set-up: gunicorn workers (or granian's, `--server granian`),
DEBUG off, WhiteNoise, security headers. Every test of a running site runs on both servers.

The server runs as a child process on an archive built with `cables ingest` (see live.py) and is
asked over real HTTP on loopback, the way a reader's browser or a proxy in front of it asks.
"""

from __future__ import annotations

import html
import re
import signal
import stat
import urllib.request
from pathlib import Path

import pytest

from conftest import cable

from . import live

pytestmark = pytest.mark.xdist_group(live.LIVE_GROUP)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module", params=["gunicorn", "granian"])
def server(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def site(folder, server):
    archive = live.build_archive(folder)
    site = live.start(archive, folder, 2, 4, "--server", server)
    yield site
    site.stop()


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_answers_with_the_production_server_s_workers_not_runserver(site, server):
    status, headers, body = site.get("/")
    assert status == 200
    assert headers["Server"].startswith(server)  # Django's runserver says WSGIServer
    assert b"<html" in body
    # the master forked the two workers asked for
    assert len(children(site.process.pid)) == 2
    # it says where to point a browser
    assert f"{site.url}/" in site.output()


def test_debug_is_off_a_404_is_our_page(site):
    status, headers, body = site.get("/no/such/page")
    page = body.decode()
    assert status == 404
    assert "<h1>Not found</h1>" in page and "There is no page at this address." in page
    # Django's debug 404 lists the URL patterns and says how to turn DEBUG off
    assert "URLconf" not in page and "DEBUG = True" not in page
    assert headers["Content-Type"].startswith("text/html")


def test_a_host_not_allowed_is_refused(site):
    status, _, body = site.get("/", headers={"Host": "attacker.example"})
    assert status == 400
    assert b"DisallowedHost" not in body and b"ALLOWED_HOSTS" not in body  # no debug page either


def test_security_headers_on_pages(site):
    for path in ("/", "/no/such/page"):
        _, headers, _ = site.get(path)
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_static_files_by_whitenoise_with_caching_headers(site):
    css = Path(__file__).resolve().parents[2] / "src/cables/web/static/web/style.css"
    status, headers, body = site.get("/static/web/style.css")
    assert status == 200
    assert body == css.read_bytes()
    assert headers["Content-Type"].startswith("text/css")
    cache = headers["Cache-Control"]
    assert "public" in cache and re.search(r"max-age=[1-9]\d*", cache)
    assert headers["X-Content-Type-Options"] == "nosniff"
    # a browser that has it asks again with its ETag and gets a 304 without the file
    status, _, body = site.get("/static/web/style.css", headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    status, _, _ = site.get("/static/web/no-such-file.css")
    assert status == 404


def test_head_has_the_headers_of_get_and_no_body(site):
    _, get_headers, get_body = site.get("/")
    status, headers, body = site.get("/", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) == len(get_body) == int(get_headers["Content-Length"])
    assert "no-body response" not in site.output()  # gunicorn had nothing to drop


def test_serves_the_ingested_archive(site):
    # 06ASTANA38 came from the blog page: its page, in the WikiLeaks scheme, shows its subject
    astana = cable("06ASTANA38")  # the blog page, parsed here
    status, _, body = site.get(f"/cable/{astana.created[:4]}/{astana.created[5:7]}/06ASTANA38.html")
    assert status == 200
    assert html.escape(astana.subject) in body.decode()
    # every mirror page ingested has its page in the WikiLeaks scheme, /cable/YYYY/MM/ID.html
    for ref in live.MIRROR_PAGES:
        year, month = live.page_path(ref).parts[-3:-1]
        status, _, _ = site.get(f"/cable/{year}/{month}/{ref}.html")
        assert status == 200, ref


def test_a_raw_quote_in_the_request_line(site, server):
    """A phrase search written by hand, quotes unencoded: gunicorn and Django take it; granian's
    HTTP parser refuses the request line (the reason it is not the default: README)."""
    status, _, body = site.get('/search?q="prime+minister"')
    assert status == (200 if server == "gunicorn" else 400)
    assert site.get("/search?q=%22prime+minister%22")[0] == 200   # as a browser sends it


def test_secret_key_file_beside_the_archive(site):
    key_file = site.db.with_name(site.db.name + ".secret")
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 50 and "cli-and-tests-only" not in key


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_stops_cleanly(folder, how, server):
    site = live.start(live.build_archive(folder), folder, 2, 4, "--server", server)
    workers = children(site.process.pid)
    assert len(workers) == 2
    assert site.get("/")[0] == 200
    assert site.stop(how) == 0
    assert not any(Path(f"/proc/{pid}").exists() and _state(pid) != "Z" for pid in workers)
    with pytest.raises(OSError):
        urllib.request.urlopen(site.url + "/", timeout=5)
    assert "Traceback" not in site.output()


def test_api_counts_are_written_when_the_server_stops(folder, server):
    """The API's rate counts are batched per worker (ratelimit.BATCHED): 7 requests, fewer than
    a batch, are written when the server is stopped, on both servers (a granian worker runs no
    atexit function: multiprocessing's finalizer writes them there)."""
    import sqlite3

    def counted() -> int:
        with sqlite3.connect(site.db) as archive:
            return archive.execute("SELECT coalesce(sum(count), 0) FROM web_ratecounter "
                                   "WHERE key LIKE 'api-address:%'").fetchone()[0]

    site = live.start(live.build_archive(folder), folder, 2, 4, "--server", server)
    before = counted()
    for _ in range(7):
        assert site.get("/api/v1/cables/06ASTANA38")[0] == 200
    assert site.stop() == 0
    assert counted() - before == 7 * 2      # the minute's window and the day's


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_pages_are_kept_in_a_folder_beside_the_archive(site):
    """The workers share one page cache on disk, named after the archive (cables.web.pagecache)."""
    assert site.get("/cable/2006/04/06ASTANA38.html")[0] == 200
    pages = site.db.with_name(site.db.name + ".pages")
    assert pages.is_dir() and any(pages.iterdir())
    assert f"pages kept in {pages}" in site.output()


def test_warm_visits_every_cable_page_once_and_stops_with_the_server(folder):
    import sqlite3
    import time

    archive = live.build_archive(folder)
    with sqlite3.connect(archive) as db:
        (shown,) = db.execute("SELECT count(*) FROM store_cable WHERE latest_version_id IS NOT NULL").fetchone()
    site = live.start(archive, folder, 1, 4, "--warm", "--cache", str(folder / "warm-pages"))
    helpers = children(site.process.pid)       # the worker and the warming process
    assert len(helpers) == 2
    deadline = time.monotonic() + 600          # a wait for the visits to end, not a speed check
    while "cables warm:" not in site.output() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert f"cables warm: {shown:,} of {shown:,} cable pages kept" in site.output(), site.output()
    assert "failed" not in site.output().split("cables warm:", 1)[1].splitlines()[0]
    assert site.stop() == 0
    assert not any(Path(f"/proc/{pid}").exists() and _state(pid) != "Z" for pid in helpers)
