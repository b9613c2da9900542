"""The public site's arrangement, `deploy/cluster`, on loopback: a PostgreSQL primary and its
streaming replica, two `cables serve` instances, nginx in front — started by the script itself,
filled with `deploy/cluster ingest` of the first official build (cablegate-201011301701: 290
cables), then read and commented through nginx while its databases fail.

- the replica killed in the middle of concurrent reads and comment posts: no read fails, and
  every comment the site accepted (its 302) is stored once;
- the primary stopped: cable pages still come (from the replica), a comment gets the 503 page
  and is not stored, what was accepted before is still there when the primary is back, and the
  next comment is accepted by the same instances (not restarted);
- read your writes: with the replica's replay paused (so it lags for as long as the test
  wants), the reader who just commented finds their comment on the page they are sent back
  to, while another reader is shown the replica's page without it.

Needs PostgreSQL 15's server binaries (pg_basebackup included) and nginx (Debian's packages,
which .ci/run installs): skipped outside CI when missing, failed under CI=true.
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from cables.store.pgserver import free_port_run
from conftest import BUILD_TARS, IN_CI, ROOT, require, setup_django

pytestmark = pytest.mark.xdist_group("cluster")  # one process: the tests share one cluster

DEPLOY = ROOT / "deploy" / "cluster"
FIRST_BUILD = next((t for t in BUILD_TARS if t.name.startswith("cablegate-201011301701")), None)
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
READERS, READS_EACH = 6, 50
READS_AFTER_KILL_EACH = READS_EACH // 4   # reads each reader makes with the replica gone, at least
COMMENTERS, COMMENTS_EACH = 3, 10


def _missing() -> str | None:
    from cables.store.pgserver import find_binaries

    binaries = find_binaries()
    if binaries is None or not (binaries / "pg_basebackup").exists():
        return "PostgreSQL's server binaries with pg_basebackup (apt-get install postgresql-15)"
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        return "nginx (apt-get install nginx)"
    return None


class Cluster:
    def __init__(self, folder: Path):
        self.dir = folder
        env = dict(os.environ)
        env.setdefault("PYTHONPATH", str(ROOT / "src"))
        env.pop("CABLES_DB", None)
        env.pop("CABLES_DB_REPLICA", None)
        self.env = env

    def run(self, *args: str) -> str:
        done = subprocess.run([sys.executable, str(DEPLOY), "--dir", str(self.dir), *args],
                              capture_output=True, text=True, env=self.env, timeout=300)
        assert done.returncode == 0, (f"deploy/cluster {' '.join(args)} exited {done.returncode}"
                                      f":\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def status(self) -> dict:
        import json

        return json.loads(self.run("status", "--json"))

    @property
    def url(self) -> str:
        return self.status()["url"]

    def servers(self):
        from cables.store.pgserver import LocalPostgres

        found = self.status()["components"]
        return (LocalPostgres(self.dir / "primary", found["primary"]["port"]),
                LocalPostgres(self.dir / "replica", found["replica"]["port"]))

    def sql(self, server, query: str, params=()) -> list:
        import psycopg

        with psycopg.connect(server.url, autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def app_pids(self) -> list[str]:
        return [(self.dir / f"app{n}" / "pid").read_text() for n in (1, 2)]

    def logs(self) -> str:
        return "".join((self.dir / f"app{n}" / "serve.log").read_text(errors="replace")
                       for n in (1, 2))


@pytest.fixture(scope="module")
def cluster():
    missing = _missing()
    if missing:
        if IN_CI:
            pytest.fail(f"the cluster test needs {missing} in CI")
        pytest.skip(f"not installed here: {missing}")
    require(FIRST_BUILD)
    setup_django()
    # not pytest's tmp_path: PostgreSQL runs as another user, who must reach the folder
    folder = Path(tempfile.mkdtemp(prefix="cables-cluster-"))
    folder.chmod(0o755)
    site = Cluster(folder / "site")
    try:
        site.run("start", "--base-port", str(free_port_run(23)))
        site.run("ingest", "--full", str(FIRST_BUILD))
        primary, replica = site.servers()
        replica.wait_for_replay(primary)
        yield site
    finally:
        site.run("stop", "--now")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def running(cluster):
    """The cluster with every component running and the replica caught up."""
    cluster.run("start")
    primary, replica = cluster.servers()
    replica.wait_for_replay(primary)
    return cluster


@pytest.fixture(scope="module")
def cable_pages(cluster) -> list[tuple[str, str]]:
    """(canonical id, page path) of every cable, as the site links them."""
    from cables.web.links import cable_path

    primary, _ = cluster.servers()
    rows = cluster.sql(primary, "SELECT canonical_id, created FROM store_cable "
                                "WHERE latest_version_id IS NOT NULL ORDER BY canonical_id")
    assert len(rows) == 290
    return [(cid, cable_path(cid, created)) for cid, created in rows]


# --- a browser of our own ---------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One reader: a cookie jar, a client address (X-Forwarded-For, believed from nginx), no
    redirect followed."""

    def __init__(self, base: str, address: str = "192.0.2.1"):
        self.base, self.address = base, address
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, Message, str]:
        """Status, headers (any case, as HTTP's are: granian sends them in lower case) and text."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body,
                                         headers={"X-Forwarded-For": self.address})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")

    def comment(self, page: str, cable: str, text: str, email: str) -> tuple[int, Message, str]:
        """The comment form of ``page`` filled and posted as a person would."""
        status, _, html = self.request(page)
        assert status == 200, (page, status)
        token = FORM_TOKEN.search(html)
        assert token, f"no comment form on {page}"
        return self.request(f"/cable/{cable}/comments", {
            "csrfmiddlewaretoken": token.group(1), "name": "Cluster Reader", "email": email,
            "website": "", "paragraph": "", "parent": "", "homepage": "", "body": text})


def _stored(cluster, token_prefix: str) -> dict[str, int]:
    primary, _ = cluster.servers()
    rows = cluster.sql(primary, "SELECT body FROM web_comment WHERE body LIKE %s",
                       [f"%{token_prefix}%"])
    counts: dict[str, int] = {}
    for (body,) in rows:
        for token in re.findall(re.escape(token_prefix) + r"-\d+-\d+", body):
            counts[token] = counts.get(token, 0) + 1
    return counts


# --- the tests ---------------------------------------------------------------------------------

# In this order: the replica is killed last, so that the first tests find every instance
# reading from it (an instance that saw it fail reads the primary for a while).

def test_the_instances_run_granian_behind_nginx(running, cable_pages):
    """The public arrangement's server (deploy/cluster's default): an instance asked directly
    says so; through nginx the page comes back (nginx hides the upstream's name)."""
    components = running.status()["components"]
    cable, page = cable_pages[7]
    for app in ("app1", "app2"):
        status, headers, html = Browser(f"http://127.0.0.1:{components[app]['port']}").request(page)
        assert status == 200 and headers["Server"].startswith("granian"), (app, headers["Server"])
    status, headers, through_nginx = Browser(running.url).request(page)
    assert status == 200 and not headers["Server"].startswith("granian")
    assert f'<span class="ref-id">{cable}</span>' in html
    assert f'<span class="ref-id">{cable}</span>' in through_nginx


def test_the_ingest_renders_every_page_ahead_for_the_site_s_address(running, cable_pages):
    """`deploy/cluster ingest` runs `cables render` for nginx's address: a cable page's first
    visit through nginx reads its kept render (a render for another address would be made and
    kept in its place, under another key)."""
    primary, _ = running.servers()
    cables, renders = running.sql(primary, "SELECT (SELECT count(*) FROM store_cable WHERE "
                                           "latest_version_id IS NOT NULL), "
                                           "(SELECT count(*) FROM web_versionrender)")[0]
    assert cables == len(cable_pages) and renders == cables
    cable, page = cable_pages[3]
    kept = ("SELECT v.key, v.generation FROM web_versionrender v JOIN store_cable c "
            "ON c.id = v.cable_id WHERE c.canonical_id = %s")
    before = running.sql(primary, kept, [cable])
    status, _, html = Browser(running.url).request(page)
    assert status == 200 and f'<span class="ref-id">{cable}</span>' in html
    assert running.sql(primary, kept, [cable]) == before


def test_the_reader_who_commented_reads_the_primary_others_the_replica(running, cable_pages):
    cluster = running
    primary, replica = cluster.servers()
    base = cluster.url
    cable, page = cable_pages[42]
    run = f"ryw-{secrets.token_hex(4)}"
    email = f"{run}@example.org"
    author = Browser(base, "203.0.113.20")
    assert author.comment(page, cable, f"First, {run}-0-0.", email)[0] == 302
    # a moderator approves it: the author's next comments are shown at once
    cluster.sql(primary, "UPDATE web_comment SET status = 'approved', moderated = now() "
                         "WHERE email = %s", [email])
    replica.wait_for_replay(primary)
    cluster.sql(replica, "SELECT pg_wal_replay_pause()")
    try:
        status, headers, _ = author.comment(page, cable, f"Second, {run}-1-0.", email)
        assert status == 302
        shown = re.search(r"#comment-(\d+)$", headers["Location"])
        assert shown, headers["Location"]
        anchor = f'id="comment-{shown.group(1)}"'
        assert anchor in author.request(page)[2]                    # pinned to the primary
        assert anchor not in Browser(base, "203.0.113.21").request(page)[2]  # the replica's
    finally:
        cluster.sql(replica, "SELECT pg_wal_replay_resume()")
    replica.wait_for_replay(primary)
    assert anchor in Browser(base, "203.0.113.22").request(page)[2]


def test_primary_down_pages_from_the_replica_comments_503_then_writes_resume(running,
                                                                             cable_pages):
    cluster = running
    base = cluster.url
    run = f"down-{secrets.token_hex(4)}"
    (cable, page), (other_cable, other_page) = cable_pages[7], cable_pages[123]
    before = Browser(base, "203.0.113.1")
    status, _, _ = before.comment(page, cable, f"Before the outage, {run}-0-0.",
                                  f"{run}-0@example.org")
    assert status == 302
    pids = cluster.app_pids()

    cluster.run("stop", "--now", "primary")
    reader = Browser(base, "203.0.113.2")
    for _, path in cable_pages[:20]:
        status, _, html = reader.request(path)
        assert status == 200, path
    writer = Browser(base, "203.0.113.3")
    status, headers, html = writer.comment(other_page, other_cable, f"During the outage, "
                                           f"{run}-1-0.", f"{run}-1@example.org")
    assert status == 503
    assert headers.get("Retry-After")
    assert "Your comment could not be saved" in html
    assert f"During the outage, {run}-1-0." in html   # given back to copy

    cluster.run("start", "primary")
    assert cluster.app_pids() == pids                   # the instances were not restarted
    after = Browser(base, "203.0.113.4")
    status, headers, _ = after.comment(other_page, other_cable, f"After the outage, {run}-2-0.",
                                       f"{run}-2@example.org")
    assert status == 302, status
    assert _stored(cluster, run) == {f"{run}-0-0": 1, f"{run}-2-0": 1}


def test_replica_killed_mid_run_no_read_fails_and_every_accepted_comment_is_stored_once(
        running, cable_pages):
    cluster = running
    base = cluster.url
    _, replica = cluster.servers()
    run = f"cluster-{secrets.token_hex(4)}"
    errors: list[str] = []
    accepted: list[str] = []
    reads_done = 0
    reads_after_kill = 0
    killed = threading.Event()
    kill_now = threading.Event()
    lock = threading.Lock()
    paths = [page for _, page in cable_pages] + ["/", "/search?q=minister", "/tag/PREL/"]

    def reader(n: int) -> None:
        nonlocal reads_done, reads_after_kill
        rng = random.Random(n)
        browser = Browser(base, f"192.0.2.{10 + n}")
        done = mine_after_kill = 0
        # its share of reads, and then on until it has read enough with the replica gone (a
        # stop that takes long must not leave the reads after it too few to mean anything)
        while (done < READS_EACH or mine_after_kill < READS_AFTER_KILL_EACH) \
                and done < 4 * READS_EACH:
            done += 1
            mine_after_kill += killed.is_set()
            path = rng.choice(paths)
            try:
                status = browser.request(path)[0]
            except OSError as exc:
                status = f"{type(exc).__name__}: {exc}"
            with lock:
                reads_done += 1
                reads_after_kill += killed.is_set()
                if status != 200:
                    errors.append(f"GET {path}: {status}")
                if reads_done == READERS * READS_EACH // 3:
                    kill_now.set()

    def commenter(n: int) -> None:
        rng = random.Random(100 + n)
        for i in range(COMMENTS_EACH):
            cable, page = rng.choice(cable_pages)
            token = f"{run}-{n}-{i}"
            # a reader of its own for each comment: the rate limits count per address and e-mail
            browser = Browser(base, f"198.51.100.{1 + n * COMMENTS_EACH + i}")
            try:
                status, headers, _ = browser.comment(page, cable, f"A comment, {token}.",
                                                     f"{token}@example.org")
            except (OSError, AssertionError) as exc:
                status, headers = f"{type(exc).__name__}: {exc}", {}
            with lock:
                if status == 302 and headers.get("Location", "").split("#")[0].endswith(page):
                    accepted.append(token)
                else:
                    errors.append(f"POST comment {token}: {status}")

    threads = ([threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
               + [threading.Thread(target=commenter, args=(n,)) for n in range(COMMENTERS)])
    for thread in threads:
        thread.start()
    kill_now.wait(timeout=300)
    # the instances were reading the replica: their threads keep connections to it
    readers_on_replica = cluster.sql(
        replica, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'cables' "
                 "AND backend_type = 'client backend' AND pid <> pg_backend_pid()")[0][0]
    cluster.run("stop", "--now", "replica")
    killed.set()
    for thread in threads:
        thread.join(timeout=300)

    assert readers_on_replica > 0
    assert errors == []
    assert reads_after_kill >= READERS * READS_AFTER_KILL_EACH
    assert len(accepted) == COMMENTERS * COMMENTS_EACH
    stored = _stored(cluster, run)
    assert {t: n for t, n in stored.items() if n != 1} == {}
    assert sorted(stored) == sorted(accepted)
    # the reads the replica's death broke were answered again from the primary, and said so
    assert "database replica unreachable" in cluster.logs()


def test_a_pid_file_naming_another_process_signals_nothing(tmp_path):
    """A pid file left by an instance that died names, once the pid is used again, some other
    process: `deploy/cluster stop` must not signal it. Here a process group leader of our own
    (as a PostgreSQL server started by pg_ctl is), named by an instance's and pgbouncer's files."""
    import importlib.machinery
    import importlib.util
    import signal

    loader = importlib.machinery.SourceFileLoader("deploy_cluster", str(DEPLOY))
    spec = importlib.util.spec_from_loader("deploy_cluster", loader)
    script = importlib.util.module_from_spec(spec)
    loader.exec_module(script)
    other = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        for name, group in (("pid", True), ("pgbouncer.pid", False)):
            (tmp_path / name).write_text(f"{other.pid}\n")
            assert not script._pid_alive(tmp_path / name)
            assert not script._kill(tmp_path / name, signal.SIGTERM, group=group)
        assert other.poll() is None, "the other process was signalled"
    finally:
        other.kill()
        other.wait()
