"""The six official builds, ingested in release order, give the release history that an
independent comparison of their pages computes here (README of the corpus: 290, 608, 873, 1,287,
1,546, 1,869 cables; text changes 10, 47, 27, 11, 4; metadata changes 23, 23, 49, 42, 72)."""

from __future__ import annotations

import html
import json
import re
import tarfile
from pathlib import Path

import pytest

from conftest import BUILD_TARS, require
from test_ingest import cables, ingest_json

PRE = re.compile(r"<pre>(.*?)</pre>", re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
TAG = re.compile(r"<[^>]+>")
# Where a cable's own text starts: what some builds put before it is debris of the site's
# tools, not a change of the cable (09KUWAIT110 gained a block of "ID:/ORIGIN:" lines).
CLASSIFICATION = re.compile(r"^[ \t]*(?:UNCLAS|C\s*O\s*N\s*F\s*I\s*D|S\s*E\s*C\s*R\s*E\s*T|LIMITED OFFICIAL)",
                            re.I | re.M)


def in_release_order(tars: list[Path]) -> list[Path]:
    """Builds ordered by the timestamp in their names (plain name order puts build-* first)."""
    return sorted(tars, key=lambda p: re.search(r"\d{12}", p.name).group())


def plain_view(page: str, cut_debris: bool = True) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(metadata cells, text of the <pre> blocks — from the classification line on, unless the
    comparison is the corpus README's plain one)."""
    start = page.find("<table class='cable'>")
    end = page.find("</table>", start)
    cells = tuple(" ".join(TAG.sub(" ", c).split()) for c in CELL.findall(page[start:end]))
    texts = [TAG.sub("", p).replace("&#x000A;", "\n") for p in PRE.findall(page, end)]
    body = texts[-1]
    m = CLASSIFICATION.search(body) if cut_debris else None
    texts[-1] = body[m.start():] if m else body
    return cells, tuple(t.rstrip() for t in texts)


def read_build(path: Path, cut_debris: bool = True) -> dict[str, tuple]:
    pages = {}
    with tarfile.open(path) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".html"):
                ref = Path(member.name).stem
                pages[ref] = plain_view(tar.extractfile(member).read().decode("utf-8"), cut_debris)
    return pages


def independent_history(builds: list[Path], cut_debris: bool = True) -> list[dict]:
    seen: dict[str, tuple] = {}
    history = []
    for build in builds:
        pages = read_build(build, cut_debris)
        new = [r for r in pages if r not in seen]
        changed = [r for r in pages if r in seen and pages[r] != seen[r]]
        text = [r for r in changed if pages[r][1] != seen[r][1]]
        meta = [r for r in changed if pages[r][0] != seen[r][0]]
        removed = [r for r in seen if r not in pages]
        history.append({"name": build.name.split(".")[0], "cables": len(pages), "new": len(new),
                        "changed": len(changed), "text": len(text), "metadata": len(meta),
                        "removed": len(removed)})
        seen.update(pages)
        for r in removed:
            del seen[r]
    return history


@pytest.fixture(scope="module")
def builds() -> list[Path]:
    tars = in_release_order([require(t) for t in BUILD_TARS])
    assert len(tars) == 6
    return tars


def test_the_comparison_reproduces_the_corpus_readme(builds):
    expected = independent_history(builds, cut_debris=False)
    assert [h["cables"] for h in expected] == [290, 608, 873, 1287, 1546, 1869]
    assert [h["text"] for h in expected[1:]] == [10, 47, 27, 11, 4]
    assert [h["metadata"] for h in expected[1:]] == [23, 23, 49, 42, 72]


def test_six_builds_give_the_release_history(builds, archive_url):
    expected = independent_history(builds)
    reports = ingest_json("--full", *map(str, builds), db=archive_url)
    assert [r["failed"] for r in reports] == [0] * 6
    releases = json.loads(cables("releases", "--json", db=archive_url).stdout)
    got = [{k: r[k] for k in ("name", "cables", "new", "changed", "removed")} for r in releases]
    want = [{k: h[k] for k in ("name", "cables", "new", "changed", "removed")} for h in expected]
    assert got == want


def test_a_build_missing_cables_marks_them_removed(builds, archive_url):
    """Ingested after the second build, the first (a full build) lacks 318 of its cables."""
    ingest_json("--full", str(builds[1]), db=archive_url)
    report = ingest_json("--full", "--release", "first-again", str(builds[0]), db=archive_url)[0]
    assert report["removed"] == 318
    stats = json.loads(cables("stats", "--json", db=archive_url).stdout)
    assert stats["removed"] == 318 and stats["current"] == 290


def test_diff_word_by_word_shows_the_redactions_lifted(builds, archive_url):
    """06MOSCOW9533: the second build re-wrapped its text (nearly every line differs) and named
    people the first had redacted. `cables diff --json` gives the words that changed: each
    deleted run is words of the first build's page, each inserted run words of the second's."""
    ingest_json("--full", str(builds[0]), str(builds[1]), db=archive_url)
    d = json.loads(cables("diff", "06MOSCOW9533", "--json", db=archive_url).stdout)
    old = " ".join(read_build(builds[0])["06MOSCOW9533"][1][-1].split())
    new = " ".join(read_build(builds[1])["06MOSCOW9533"][1][-1].split())
    runs = d["words"]["runs"]
    deleted = [r["text"] for r in runs if r["kind"] == "delete"]
    inserted = [r["text"] for r in runs if r["kind"] == "insert"]
    assert all(html.unescape(t) in html.unescape(old) for t in deleted)
    assert all(html.unescape(t) in html.unescape(new) for t in inserted)
    assert any("XXXXXX" in t for t in deleted) and any("Khalid" in t for t in inserted)
    changed_lines = sum(1 for line in d["text"] if line[:1] in "+-" and line[:3] not in ("+++", "---"))
    assert d["words"]["changed_words"] * 5 < changed_lines
    printed = cables("diff", "06MOSCOW9533", "--words", db=archive_url).stdout
    assert "[-XXXXXX-]" in printed and "{+Khalid+}" in printed
