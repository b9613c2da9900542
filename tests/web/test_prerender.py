"""``cables render`` (cables.web.prerender): every cable page's archive part rendered and kept
ahead of its first visit, so that the first visit reads it instead of rendering, and gives the
page a first visit renders itself, byte for byte but the CSRF token.

On a copy of the session's mirror archive (SQLite: the shared archive must not change), rendered
by the command on 2 processes, for ``http://testserver``, the address Django's test client
reaches the site by (the site is given no CABLES_SITE_URL: it takes the request's host, as
bench/web.py's server does). Each page is then visited in a process of its own with the render
function made to fail (:func:`cables.web.archive_part.parts_and_shown`): a page that had to be
rendered would be an error. Hard cases of the mirror: 06LAPAZ906 (a subject with ' and ", a
typo in ¶4 that the test's ingest corrects; no archived cable cites it or is cited by it),
08STATE85678 (cited by 17 archived cables: the cited-by list and the graph), 09ASTANA1541 (14 REF
ids known but not released), 08BUDAPEST807 (cites 08STATE85678 in its ¶1, whose words that page
quotes: the test's ingest corrects them too). And on PostgreSQL: the same three pages ingested,
rendered, visited.

Then a real ``cables ingest`` of the two corrected pages, with the reference tables the archive's
first ingest had: it keeps the renders of every cable but the two and those within two REF steps
of them (issue 15: an ingest had left them all behind, and ``cables render`` then made all again).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys

from pathlib import Path

import pytest

from conftest import KNOWN_IDS_CSV, ROUTES_CSV, page_path

HARD = ["06LAPAZ906", "08STATE85678", "09ASTANA1541"]
SITE = "http://testserver"
SUMMARY = re.compile(r"^rendered ([\d,]+), already kept ([\d,]+), failed ([\d,]+)", re.M)

# Visits each cable page of argv twice: with its kept render (rendering made to fail), then, its
# kept render deleted, rendered on first need (and kept again, so the archive is left as found).
VISIT = r"""
import json, os, re, sys
from cables.store import db
db.setup()
from django.test import Client
from cables.store.models import Cable
from cables.web import archive_part, links
from cables.web.version_render import VersionRender

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
client = Client()
render = archive_part.parts_and_shown

def refuse(request, cable, url):
    raise RuntimeError(f"{cable.canonical_id} rendered on its visit")

def page(path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return TOKEN.sub('name="csrfmiddlewaretoken"', response.content.decode())

out = {}
for ref in sys.argv[1:]:
    cable = Cable.objects.get(canonical_id=ref)
    path = links.cable_path(cable.canonical_id, cable.created)
    kept = VersionRender.objects.filter(cable_id=cable.pk, version_id=cable.latest_version_id).exists()
    archive_part.parts_and_shown = refuse
    try:
        from_kept = page(path)
    except RuntimeError as error:
        from_kept = str(error)
    archive_part.parts_and_shown = render
    VersionRender.objects.filter(cable_id=cable.pk).delete()
    out[ref] = {"kept_before": kept, "from_kept": from_kept, "first_need": page(path),
                "kept_after": VersionRender.objects.filter(cable_id=cable.pk).exists()}
print(json.dumps(out))
"""

# `cables render` with the render of one cable (argv[1]) made to raise; the rest of argv: the CLI's.
FAILING = r"""
import sys
from cables.cli import main, render_cmd

opened = render_cmd.open_archive

def open_and_break_one(args):
    opened(args)   # Django is set up now (on the CLI's settings)
    from cables.web import archive_part
    render = archive_part.parts_and_shown

    def failing(request, cable, url):
        if cable.canonical_id == sys.argv[1]:
            raise ValueError("a page that cannot be rendered")
        return render(request, cable, url)

    archive_part.parts_and_shown = failing

render_cmd.open_archive = open_and_break_one
sys.exit(main(sys.argv[2:]))
"""


# The cable pages without a kept render the site would use (for SITE, under the archive's generation).
NOT_KEPT = r"""
import json
from cables.store import db
db.setup()
from cables.store import queries
from cables.web import archive_part, prerender, version_render
from cables.web.pagecache import archive_generation

request = prerender.request_for("http://testserver")
pages = [(cable, archive_part.page_url(request, cable))
         for cable in queries.cables_for_pages(prerender.cable_ids())]
used = version_render.current_renders(pages, archive_generation(request))
print(json.dumps(sorted(cable.canonical_id for cable, _ in pages if cable.pk not in used)))
"""

# Corrections a later release makes, as (reference id, the words in the mirror's page, corrected)
LAPAZ = ("06LAPAZ906", "puivotal political", "pivotal political")               # ¶4's typo
BUDAPEST = ("08BUDAPEST807", "delivered on August 11", "delivered on August 12")  # ¶1, which cites


def corrected_page(folder: Path, reference_id: str, wrong: str, right: str) -> Path:
    """The mirror's page of ``reference_id`` with ``wrong`` (once in it) made ``right``, written
    under ``folder`` where the mirror has it (cable/YEAR/MONTH/ID.html)."""
    original = page_path(reference_id)
    text = original.read_text(encoding="utf-8", errors="surrogateescape")
    assert text.count(wrong) == 1, (reference_id, wrong)
    corrected = folder / original.relative_to(original.parents[3])
    corrected.parent.mkdir(parents=True, exist_ok=True)
    corrected.write_text(text.replace(wrong, right), encoding="utf-8", errors="surrogateescape")
    return corrected


def _env(db: str) -> dict:
    return {**os.environ, "CABLES_DB": db, "CABLES_CACHE": "off", "CABLES_SEARCH_INDEX": "off"}


def _render(db: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cables", "render", "--db", db, "--site-url", SITE,
                           *extra], env=_env(db), capture_output=True, text=True, timeout=900)


def _summary(done: subprocess.CompletedProcess) -> tuple[int, int, int]:
    found = SUMMARY.search(done.stdout)
    assert found, (done.stdout, done.stderr)
    return tuple(int(n.replace(",", "")) for n in found.groups())


def _visit(db: str, refs) -> dict:
    done = subprocess.run([sys.executable, "-c", VISIT, *refs], env=_env(db), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _not_kept(db: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", NOT_KEPT], env=_env(db), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


def _citing(db: str, reference_id: str) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {ref for ref, in conn.execute(
            "SELECT DISTINCT c.canonical_id FROM store_referenceedge e JOIN store_cable c ON "
            "c.id = e.citing_id JOIN store_cable cited ON cited.id = e.cited_cable_id "
            "WHERE cited.canonical_id = ?", [reference_id])}


def _pages(db: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM store_cable WHERE latest_version_id IS NOT NULL"
                            ).fetchone()[0]


def _kept(db: str, refs) -> set[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT c.canonical_id FROM web_versionrender r JOIN store_cable c "
                            "ON c.id = r.cable_id AND c.latest_version_id = r.version_id").fetchall()
    return {ref for ref, in rows} & set(refs)


@pytest.fixture(scope="module")
def rendered(mirror_archive, tmp_path_factory):
    """A copy of the mirror archive after `cables render --jobs 2`, and what the command said."""
    target, _alias = mirror_archive("sqlite")
    copy = str(tmp_path_factory.mktemp("prerender") / "cables.db")
    with sqlite3.connect(target) as source, sqlite3.connect(copy) as dest:
        source.backup(dest)
    return copy, _render(copy, "--jobs", "2")


def test_the_command_renders_every_cable_page(rendered):
    db, done = rendered
    assert done.returncode == 0, done.stderr
    total = _pages(db)
    assert total > 6700
    assert _summary(done) == (total, 0, 0)
    assert _kept(db, HARD) == set(HARD)


def test_a_first_visit_reads_the_kept_render_and_is_the_page_rendered_on_first_need(rendered):
    db, _ = rendered
    pages = _visit(db, HARD)
    for ref in HARD:
        page = pages[ref]
        assert page["kept_before"], ref
        assert page["from_kept"] == page["first_need"], ref   # not rendered: no RuntimeError text
        assert f'<span class="ref-id">{ref}</span>' in page["from_kept"]
        assert page["kept_after"], ref
    assert "17 archived cables cite this one in their REF list." in pages["08STATE85678"]["from_kept"]
    assert pages["09ASTANA1541"]["from_kept"].count('<span class="status">not released</span>') == 14


def test_a_run_again_renders_nothing(rendered):
    db, _ = rendered
    again = _render(db, "--jobs", "1")
    assert again.returncode == 0, again.stderr
    assert _summary(again) == (0, _pages(db), 0)


def test_a_cable_whose_render_raises_is_reported_and_the_others_are_kept(rendered):
    db, _ = rendered
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM web_versionrender WHERE cable_id IN (SELECT id FROM store_cable "
                     f"WHERE canonical_id IN ({', '.join('?' * len(HARD))}))", HARD)
    assert _kept(db, HARD) == set()
    done = subprocess.run([sys.executable, "-c", FAILING, "08STATE85678", "render", "--db", db,
                           "--site-url", SITE, "--jobs", "2"], env=_env(db), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    assert _summary(done) == (2, _pages(db) - 3, 1)
    assert "08STATE85678: ValueError: a page that cannot be rendered" in done.stderr
    assert _kept(db, HARD) == {"06LAPAZ906", "09ASTANA1541"}
    assert _summary(_render(db)) == (1, _pages(db) - 1, 0)   # the archive as the other tests find it


def test_an_ingest_keeps_the_renders_of_the_cables_it_did_not_touch(rendered, tmp_path):
    """The corrected 06LAPAZ906 and 08BUDAPEST807 ingested as one release, each a source of its
    own, with --routes and --known-ids as the archive's first ingest had them (tables that add
    nothing now): right after, every cable page but 19 still has its render kept. Those 19 are the
    two, 08STATE85678 (08BUDAPEST807 cites it; its cited-by list quotes the corrected ¶1) and the
    16 other cables citing it (two REF steps from 08BUDAPEST807). A first visit of a page kept
    serves it (rendering made to fail) and is the page rendered fresh; one of the 19 is rendered,
    with the correction. The same ingest again changes nothing and keeps every render."""
    db, _ = rendered
    command = [sys.executable, "-m", "cables", "ingest",
               *(str(corrected_page(tmp_path, *fix)) for fix in (LAPAZ, BUDAPEST)),
               "--release", "corrected", "--routes", str(ROUTES_CSV),
               "--known-ids", str(KNOWN_IDS_CSV), "--db", db]
    ingest = subprocess.run(command, env=_env(db), capture_output=True, text=True, timeout=600)
    assert ingest.returncode == 0, ingest.stderr
    citing = _citing(db, "08STATE85678")
    assert len(citing) == 17 and "08BUDAPEST807" in citing
    near = {"06LAPAZ906", "08STATE85678", *citing}
    assert _not_kept(db) == near

    far = ["09ASTANA1541", "06BERN898", "08REYKJAVIK109"]
    assert not set(far) & near
    visited = ["08STATE85678", "08ROME1018", "06LAPAZ906"]
    pages = _visit(db, [*far, *visited])
    for ref in far:
        assert pages[ref]["kept_before"], ref
        assert pages[ref]["from_kept"] == pages[ref]["first_need"], ref  # not rendered, the same page
    assert pages["09ASTANA1541"]["from_kept"].count('<span class="status">not released</span>') == 14
    for ref in visited:
        assert pages[ref]["from_kept"] == f"{ref} rendered on its visit"
    assert "Ref talking points were delivered on August 12 to Vilmos Hamikus" in \
        pages["08STATE85678"]["first_need"]

    again = _render(db)   # the 16 others of the 19 (a visit kept its render)
    assert again.returncode == 0, again.stderr
    assert _summary(again) == (len(near) - len(visited), _pages(db) - len(near) + len(visited), 0)
    page = _visit(db, ["06LAPAZ906"])["06LAPAZ906"]
    assert page["kept_before"]
    assert page["from_kept"] == page["first_need"]
    assert "pivotal political" in page["from_kept"] and "puivotal" not in page["from_kept"]
    assert "History (2 versions)" in page["from_kept"]
    assert '<td><a href="/release/corrected/">corrected</a></td><td>text</td>' in page["from_kept"]

    again = subprocess.run(command, env=_env(db), capture_output=True, text=True, timeout=600)
    assert "Nothing changed" in again.stdout, (again.stdout, again.stderr)
    assert _summary(_render(db)) == (0, _pages(db), 0)   # every render kept


def test_on_postgresql(pg_server, tmp_path):
    """Three pages of the mirror in a new PostgreSQL archive: rendered by two processes, each
    page's first visit reads its render, a run again renders nothing; an ingest of the corrected
    06LAPAZ906 keeps the two others' renders."""
    db = pg_server.fresh_database(f"prerender_{os.getpid()}")
    ingest = subprocess.run([sys.executable, "-m", "cables", "ingest", *map(str, map(page_path, HARD)),
                             "--release", "three", "--db", db], env=_env(db), capture_output=True,
                            text=True, timeout=600)
    assert ingest.returncode == 0, ingest.stderr
    first = _render(db, "--jobs", "2", "--batch", "1")
    assert first.returncode == 0, first.stderr
    assert _summary(first) == (3, 0, 0)
    pages = _visit(db, HARD)
    for ref in HARD:
        assert pages[ref]["kept_before"], ref
        assert pages[ref]["from_kept"] == pages[ref]["first_need"], ref
        assert f'<span class="ref-id">{ref}</span>' in pages[ref]["from_kept"]
    assert _summary(_render(db, "--jobs", "2")) == (0, 3, 0)
    fixed = subprocess.run([sys.executable, "-m", "cables", "ingest",
                            str(corrected_page(tmp_path, *LAPAZ)), "--release", "corrected",
                            "--db", db], env=_env(db), capture_output=True, text=True, timeout=600)
    assert fixed.returncode == 0, fixed.stderr
    assert _summary(_render(db)) == (1, 2, 0)
