"""Parsing on every core (cables.ingest.parallel): outcomes in input order, and the parsing
processes' priority lowered for ingest, whose writer is the bottleneck."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BLOG_PAGE, MIRROR_TAR, page_path, require

from cables.ingest.parallel import parse_documents
from cables.sources.documents import Document


def _niceness(cable) -> tuple[str, int]:
    """Run in the parsing process: the cable's id and that process's niceness."""
    return cable.reference_id, os.nice(0)


def _documents(ids: list[str]) -> list[Document]:
    return [Document(f"{i}.html", page_path(i).read_bytes()) for i in ids]


def test_parsing_processes_run_at_the_niceness_asked_in_input_order():
    ids = ["06BOGOTA3049", "09ISTANBUL269", "09THEHAGUE546", "07HAVANA5"] * 3
    docs = _documents(ids) + [Document("blog.txt", require(BLOG_PAGE).read_bytes())]
    outcomes = list(parse_documents(docs, jobs=2, batch_size=2, derive=_niceness, niceness=5))
    assert [o.name for o in outcomes] == [d.name for d in docs]
    extras = [e for o in outcomes for e in o.extras]
    assert [reference for reference, _ in extras] == ids + ["06ASTANA38"]
    assert {nice for _, nice in extras} == {min(os.nice(0) + 5, 19)}  # 19: the lowest


def test_without_niceness_the_parsing_processes_keep_the_callers_priority():
    outcomes = list(parse_documents(_documents(["06BOGOTA3049", "07HAVANA5"]), jobs=2,
                                    batch_size=1, derive=_niceness))
    assert {nice for o in outcomes for _, nice in o.extras} == {os.nice(0)}


def test_a_record_crosses_to_the_writer_whole():
    """What a parsing process sends back is pickled by record.quick_pickle: every part of the
    record (09BERLIN1167: REF mentions and uses in its layout; 06ASTANA38 from the blog page)
    comes back equal, with the derived values beside it."""
    from cables.ingest.run import StoreForm

    docs = _documents(["09BERLIN1167", "07MOSCOW1537"]) + [Document("blog.txt", require(BLOG_PAGE).read_bytes())]
    here = [parse_documents([d], jobs=1, derive=StoreForm("sqlite", ranking=True)) for d in docs]
    there = list(parse_documents(docs, jobs=2, batch_size=1, derive=StoreForm("sqlite", ranking=True)))
    for (mine,), theirs in zip([list(h) for h in here], there):
        assert theirs.ok and theirs == mine
        assert theirs.cables[0].layout is not None and theirs.cables[0].layout == mine.cables[0].layout
    assert there[0].cables[0].layout.mentions  # the hard case has REF mentions to carry


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists()
            and "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:1]}


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_the_parsing_processes_end_with_a_killed_ingest(tmp_path):
    """``kill -9`` of the ingest alone (not its process group, as the OOM killer does it): the
    parsing processes it started do not go on parsing the mirror for nobody."""
    source = str(require(MIRROR_TAR))
    ingest = subprocess.Popen([sys.executable, "-m", "cables", "ingest", source, "--jobs", "2",
                               "--db", str(tmp_path / "killed.db")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        parsers: set[int] = set()
        while len(parsers) < 2 and ingest.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            parsers = _children(ingest.pid)
        assert ingest.poll() is None and len(parsers) >= 2, "no parsing processes to orphan"
        os.kill(ingest.pid, signal.SIGKILL)
        ingest.wait()
        deadline = time.monotonic() + 60  # not a timing check: a bound on the wait
        while _alive(parsers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _alive(parsers) == set()
    finally:
        try:
            os.killpg(ingest.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
