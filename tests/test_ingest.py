"""`cables ingest` end to end, on SQLite and PostgreSQL: idempotence, kill -9, bad files,
references. Each test runs the real command in a subprocess against a new archive."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BLOG_PAGE, BUILD_TARS, FORMAT_TARS, KNOWN_IDS_CSV, ROUTES_CSV, page_path, require, unpack

FINAL_RELEASE = next((t for t in FORMAT_TARS if "final-release" in t.name), None)
BIG_BUILD = next((t for t in BUILD_TARS if t.name.startswith("build-201012221759")), None)


def cables(*args: str, db: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "cables", *args, "--db", db],
                            capture_output=True, text=True, timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(f"cables {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def ingest_json(*args: str, db: str, check: bool = True) -> list[dict]:
    return json.loads(cables("ingest", "--json", *args, db=db, check=check).stdout)


def archive_digest(db: str) -> dict:
    """Everything an ingest decides, in a comparable form: releases with their counts, and per
    cable its versions (number, hash, release), references and statistics."""
    releases = json.loads(cables("releases", "--json", db=db).stdout)
    for r in releases:
        r.pop("ingested")
    stats = json.loads(cables("stats", "--json", db=db).stdout)
    return {"releases": releases, "stats": stats}


def test_reingest_changes_nothing(archive_url):
    source = str(unpack(require(FINAL_RELEASE)))
    first = ingest_json(source, db=archive_url)[0]
    assert first["new"] > 0 and first["failed"] == 0
    before = archive_digest(archive_url)
    again = ingest_json(source, db=archive_url)[0]
    assert (again["new"], again["changed"], again["removed"]) == (0, 0, 0)
    assert again["unchanged"] == first["new"] + first["changed"]
    assert archive_digest(archive_url) == before
    plain = cables("ingest", source, db=archive_url).stdout
    assert "Nothing changed" in plain


def _stored_versions(db: str) -> int:
    """How many versions an archive holds, read while another process writes to it."""
    if "://" in db:
        import psycopg

        with psycopg.connect(db) as conn:
            try:
                return conn.execute("SELECT count(*) FROM store_cableversion").fetchone()[0]
            except psycopg.errors.UndefinedTable:  # not migrated yet
                return 0
    import sqlite3

    if not Path(db).exists():
        return 0
    with sqlite3.connect(db, timeout=30) as conn:
        try:
            return conn.execute("SELECT count(*) FROM store_cableversion").fetchone()[0]
        except sqlite3.OperationalError:  # not migrated yet
            return 0


def test_killed_ingest_then_rerun_equals_an_uninterrupted_one(archive_url, tmp_path):
    """kill -9 in the middle of an ingest, run it again: the same archive as without the kill."""
    source = str(require(BIG_BUILD))
    args = [sys.executable, "-m", "cables", "ingest", source, "--full", "--batch", "25", "--jobs", "1",
            "--db", archive_url]
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    deadline = time.monotonic() + 300
    while _stored_versions(archive_url) < 200 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is None, "the ingest ended before it could be killed"
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    stored = _stored_versions(archive_url)
    assert 0 < stored < 1869, stored

    rerun = ingest_json(source, "--full", db=archive_url)[0]
    assert rerun["new"] + rerun["unchanged"] == 1869 and rerun["changed"] == 0

    reference = str(tmp_path / "uninterrupted.db")
    ingest_json(source, "--full", db=reference)
    assert archive_digest(archive_url) == archive_digest(reference)


def test_bad_files_are_reported_and_the_rest_ingested(archive_url, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = ["06MOSCOW9533", "79TEHRAN8980", "06BOGOTA3049"]
    for ref in good:
        (folder / f"{ref}.html").write_bytes(page_path(ref).read_bytes())
    page = page_path("06LAPAZ417").read_bytes()
    (folder / "binary.html").write_bytes(bytes(range(256)) * 40)
    (folder / "empty.html").write_bytes(b"")
    (folder / "truncated.html").write_bytes(page[: page.index(b"<code><pre>")])
    (folder / "latin1.html").write_bytes(page_path("09RIYADH496").read_text("utf-8").encode("latin-1", "replace"))
    result = cables("ingest", "--json", str(folder), db=archive_url, check=False)
    assert result.returncode == 1
    report = json.loads(result.stdout)[0]
    failed = {Path(f["document"]).name: f["error"] for f in report["failures"]}
    assert set(failed) == {"binary.html", "empty.html", "truncated.html"}
    assert "binary" in failed["binary.html"] and "empty" in failed["empty.html"]
    assert report["new"] == len(good) + 1  # the Latin-1 page is read, with a warning
    for ref in good + ["09RIYADH496"]:
        shown = json.loads(cables("show", "--json", ref.lower(), db=archive_url).stdout)
        assert shown["canonical_id"] == ref and shown["versions"][0]["version"] == 1


def test_blog_page_references_known_but_not_released(archive_url):
    """06ASTANA38 cites 06ALMATY1450 and 06ASTANA33 (in the 251,287 known ids, not released
    here) and 06ASTANA5 (unknown)."""
    cables("ingest", str(require(BLOG_PAGE)), "--known-ids", str(require(KNOWN_IDS_CSV)),
           "--routes", str(require(ROUTES_CSV)), db=archive_url)
    refs = json.loads(cables("refs", "--json", "06astana038", db=archive_url).stdout)
    assert refs["cites"] == ["06ALMATY1450", "06ASTANA33", "06ASTANA5"]
    assert [r["status"] for r in refs["references"]] == ["known", "known", "unknown"]
    shown = json.loads(cables("show", "--json", "06ASTANA38", db=archive_url).stdout)
    assert shown["subject"] == "KAZAKHSTAN: AMBASSADOR DISCUSSES AIG AND TIP WITH JUSTICE MINISTER"


# Cables of the mirror and the archived cables citing them, found by reading their REF lines:
# 03ANKARA3694 ("REF: A. ANKARA 2521 ...") and 03ANKARA4278 cite 03ANKARA2521.
CITED_BY = {"03ANKARA2521": ["03ANKARA3694", "03ANKARA4278"]}


@pytest.mark.parametrize("cited, citing", CITED_BY.items())
def test_cited_by(archive_url, tmp_path, cited, citing):
    folder = tmp_path / "pages"
    folder.mkdir()
    for ref in [cited, *citing]:
        text = page_path(ref).read_text("utf-8")
        if ref != cited:  # the independent check: the citation is in the page's REF text
            serial = cited[len(cited.rstrip("0123456789")):]
            assert f"ANKARA {serial}" in text
        (folder / f"{ref}.html").write_text(text, "utf-8")
    cables("ingest", str(folder), db=archive_url)
    refs = json.loads(cables("refs", "--json", cited, db=archive_url).stdout)
    assert refs["cited_by"] == sorted(citing)
    for ref in citing:
        assert cited in json.loads(cables("refs", "--json", ref, db=archive_url).stdout)["cites"]


def test_show_of_an_unknown_id_is_a_clear_error(archive_url):
    cables("ingest", str(page_path("06MOSCOW9533")), db=archive_url)
    result = cables("show", "09NOWHERE1", db=archive_url, check=False)
    assert result.returncode == 1
    assert "no such cable" in result.stderr


def test_truncated_archive_keeps_what_could_be_read(archive_url, tmp_path):
    """A .tar.gz cut in the middle: its readable pages are stored, the archive is reported."""
    import tarfile

    full = tmp_path / "pages.tar.gz"
    refs = ["06MOSCOW9533", "79TEHRAN8980", "06BOGOTA3049", "06LAPAZ417", "09RIYADH496"]
    with tarfile.open(full, "w:gz") as tar:
        for ref in refs:
            tar.add(page_path(ref), arcname=f"cable/{ref}.html")
    data = full.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: int(len(data) * 0.7)])
    result = cables("ingest", "--json", str(cut), db=archive_url, check=False)
    assert result.returncode == 1
    report = json.loads(result.stdout)[0]
    assert any("unreadable archive" in f["error"] for f in report["failures"])
    assert 0 < report["new"] < len(refs)
    stats = json.loads(cables("stats", "--json", db=archive_url).stdout)
    assert stats["cables"] == report["new"]
