"""Every page of the corpus parses: the mirror, every format fixture and every build.

Invariants checked on each record (feedparser's habit: one runner, an invariant on every result):
the core metadata is there, the body is not empty, the two-digit years went to the right century
(a DTG within a year of the creation date, a DECL date not before it: one cut-off, parse.grammar),
the record round-trips through JSON, and its layout places every paragraph, REF mention and use
where the body has it, the same whether the parser gave it or it was derived later for a record
packed without one.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from cables import Cable, ParseError, parse
from cables.ids import canonical_id
from cables.parse.layout import layout_of

from conftest import BUILD_TARS, FORMAT_TARS, MIRROR_TAR, full_context, require

ARCHIVES = [MIRROR_TAR, *FORMAT_TARS, *BUILD_TARS]


def _pages(archive: Path):
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".html"):
                yield member.name, tar.extractfile(member).read()


@pytest.mark.parametrize("archive", ARCHIVES, ids=lambda p: p.name)
def test_every_page_parses(archive: Path):
    require(archive)
    context = full_context()
    problems: list[str] = []
    pages = 0
    for name, data in _pages(archive):
        pages += 1
        try:
            cables = parse(data, source=name, context=context)
        except ParseError as exc:
            problems.append(f"{name}: ParseError {exc}")
            continue
        first = cables[0]
        if canonical_id(first.reference_id) != canonical_id(Path(name).stem):
            problems.append(f"{name}: first cable is {first.reference_id}")
        for cable in cables:
            problems.extend(f"{name}: {p}" for p in _invariant_breaks(cable))
    assert pages > 0, f"{archive} holds no pages"
    assert not problems, f"{len(problems)} problems in {pages} pages:\n" + "\n".join(problems[:50])


def _invariant_breaks(cable: Cable) -> list[str]:
    broken = []
    for name in ("reference_id", "created", "classification", "origin"):
        if not getattr(cable, name):
            broken.append(f"{cable.reference_id}: no {name}")
    if not cable.body.strip():
        broken.append(f"{cable.reference_id}: empty body")
    if cable.created and len(cable.created) < 10:
        broken.append(f"{cable.reference_id}: created {cable.created!r} is not ISO 8601")
    year = int(cable.created[:4]) if cable.created and cable.created[:4].isdigit() else None
    if year and cable.dtg and abs(int(cable.dtg[:4]) - year) > 1:
        broken.append(f"{cable.reference_id}: DTG {cable.dtg} far from created {cable.created}")
    if year and cable.eo and cable.eo.decl_date and int(cable.eo.decl_date[:4]) < year:
        broken.append(f"{cable.reference_id}: DECL date {cable.eo.decl_date} before created {cable.created}")
    again = Cable.from_json(json.loads(cable.dumps()))
    if again != cable:
        broken.append(f"{cable.reference_id}: JSON round trip changes the record")
    broken.extend(f"{cable.reference_id}: {p}" for p in _layout_breaks(cable))
    return broken


def _layout_breaks(cable: Cable) -> list[str]:
    body, layout = cable.body, cable.layout
    if layout is None or len(layout.paragraphs) != len(cable.paragraphs):
        return ["no place for each paragraph"]
    broken, cursor = [], 0
    for paragraph, span in zip(cable.paragraphs, layout.paragraphs):
        if span is None or not cursor <= span.start <= span.text_start <= span.end <= len(body):
            broken.append(f"¶ {paragraph.number} placed at {span}")
            break
        lead, text = body[span.start:span.text_start], body[span.text_start:span.end]
        if str(paragraph.number) not in lead:
            broken.append(f"¶ {paragraph.number}: its lead {lead!r} holds no number")
        written = "\n".join(line.rstrip() for line in text.split("\n"))
        if paragraph.text and paragraph.text not in (text, written):
            broken.append(f"¶ {paragraph.number}: {text[:40]!r} is not its text {paragraph.text[:40]!r}")
        cursor = span.end
    labels = {r.label for r in cable.references}
    for m in layout.mentions:
        if m.label is not None and (body[m.start:m.end] != m.label or m.label not in labels):
            broken.append(f"mention {m} is not of a REF label")
    if len(layout.uses) != len(cable.references):
        broken.append("not one use (or None) for each REF item")
    else:
        spans = [s for s in layout.paragraphs if s is not None]
        for reference, use in zip(cable.references, layout.uses):
            if use is not None and not any(s.text_start <= use.start < use.end <= s.end for s in spans):
                broken.append(f"the use {use} of {reference.citation!r} is in no paragraph's text")
    if layout_of(body, cable.paragraphs, cable.references) != layout:
        broken.append("the layout derived for a record packed without one differs (paragraphs, "
                      "mentions or uses)")
    return broken


def test_mirror_holds_the_documented_number_of_pages():
    """The README of the corpus promises 6,712 pages; a walker that misses some would hide it."""
    with tarfile.open(require(MIRROR_TAR)) as tar:
        pages = sum(1 for m in tar if m.isfile() and m.name.endswith(".html"))
    assert pages == 6712
