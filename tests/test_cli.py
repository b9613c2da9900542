"""The `cables` command end to end, through its real entry point (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import BLOG_PAGE, ROUTES_CSV, page_path, require

CABLES = [sys.executable, "-m", "cables"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CABLES, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_help_lists_subcommands():
    result = run("--help")
    assert result.returncode == 0
    assert "parse" in result.stdout


def test_parse_json_prints_one_object_per_cable():
    result = run("parse", "--json", "--routes", str(require(ROUTES_CSV)), str(require(BLOG_PAGE)),
                 str(page_path("79TEHRAN8980")))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["reference_id"] for r in records] == ["06ASTANA38", "79TEHRAN8980"]
    assert records[0]["classification"] == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


def test_corrupted_page_yields_every_cable_it_carries():
    """07BERN881 (final site) carries its own row and 07TBILISI2290's."""
    result = run("parse", "--json", str(page_path("07BERN881")))
    ids = [json.loads(line)["reference_id"] for line in result.stdout.splitlines()]
    assert ids[0] == "07BERN881"
    assert "07TBILISI2290" in ids


def test_bad_files_are_reported_and_the_rest_parsed(tmp_path: Path):
    (tmp_path / "a_empty.html").write_bytes(b"")
    (tmp_path / "b_binary.html").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "c_good.html").write_bytes(page_path("06MOSCOW9533").read_bytes())
    result = run("parse", str(tmp_path))
    assert result.returncode == 1
    assert "a_empty.html: empty input" in result.stderr
    assert "b_binary.html: binary data" in result.stderr
    assert result.stdout.startswith("06MOSCOW9533\t2006-08-31T06:06\tCONFIDENTIAL\tEmbassy Moscow")


def test_missing_path_is_an_error():
    result = run("parse", "/nonexistent/cables")
    assert result.returncode == 1
    assert "no such file or directory" in result.stderr


def test_summary_of_an_archive(tmp_path: Path):
    """An archive is read without unpacking; the summary counts what it holds."""
    import tarfile

    archive = tmp_path / "two.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for ref in ("06MOSCOW9533", "79TEHRAN8980"):
            tar.add(page_path(ref), arcname=f"cable/{ref}.html")
    result = run("parse", "--summary", "--jobs", "1", str(archive))
    assert result.returncode == 0, result.stderr
    assert "2 cables from 2 documents" in result.stdout
    assert "1979" in result.stdout and "Embassy Moscow" in result.stdout


def test_summary_as_json():
    result = run("parse", "--summary", "--json", "--jobs", "1", str(page_path("06MOSCOW9533")),
                 str(page_path("79TEHRAN8980")))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["documents"], summary["cables"], summary["failed"]) == (2, 2, 0)
    assert summary["by_year"] == {"1979": 1, "2006": 1}
    assert summary["by_origin"] == {"Embassy Moscow": 1, "Embassy Tehran": 1}


def test_an_archive_that_cannot_be_opened_is_a_clear_error_not_a_traceback(tmp_path: Path):
    """No server at the address, a folder that does not exist, a file that is no database; a
    password in the URL is never printed."""
    page = str(require(BLOG_PAGE))
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_bytes(b"these are notes, not an SQLite database\n" * 200)
    cases = [
        (["ingest", "--db", "postgresql://cables:s3cret@127.0.0.1:1/cables", page], "127.0.0.1"),
        (["stats", "--db", str(tmp_path / "missing" / "cables.db")], "unable to open database"),
        (["search", "--db", str(not_a_database), "iran"], "not a database"),
    ]
    results = [run(*args) for args, _ in cases]
    for (args, reason), result in zip(cases, results):
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("cables: cannot open the archive "), result.stderr
        assert reason in result.stderr and "Traceback" not in result.stderr
        assert "s3cret" not in result.stderr
    assert "postgresql://cables:***@127.0.0.1:1/cables" in results[0].stderr
    served = run("serve", "--db", str(not_a_database), "--port", "8799", cwd=tmp_path)
    assert served.returncode == 2 and "Traceback" not in served.stderr
    assert served.stderr.startswith(f"cables: cannot open the archive {not_a_database}: ")
