"""Cable texts from other public exports: a five-line metadata preamble before the raw text, the
same five lines alone, and texts converted from the PDF release (Latin-1, CRLF, ``¶`` as 0xB6).

The real cases are built at test time from mirror pages (nothing of the corpus is stored here):
the page's header and body written as an export writes them, with the export's gluing, must give
the page's record. The synthetic fixtures are cable-shaped text written for these tests.
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from dataclasses import replace

import pytest

from cables import ParseError, parse_one
from cables.parse.extract import extract
from cables.parse.preamble import strip_preamble
from cables.record import Cable

from conftest import full_context, page_path

# Old header without routes (79TEHRAN8980), five pages whose page lines get glued and a weekday
# debris line before the body (06MOSCOW9533), long INFO list (08TRIPOLI220), REF-heavy pages
# (06BOGOTA3049, 09RIYADH496), relative links (06LAPAZ417); a header ending "CIA WASHDC IMMEDIATE" (09CAIRO269) and "AMEMBASSY
# TUNIS" (86MADRID5480) glued to "S E C R E T …": the shapes behind the invented ids
# 09CIAWASHDCIMMEDIATESECRETCAIRO269 and 86AMEMBASSYTUNISSECRETMADRID5480.
CASES = ["79TEHRAN8980", "06MOSCOW9533", "08TRIPOLI220", "06BOGOTA3049", "09RIYADH496", "06LAPAZ417",
         "09CAIRO269", "86MADRID5480"]
FIELDS = ("canonical_id", "classification", "origin", "subject", "tags", "references", "paragraphs",
          "handling", "eo", "signers", "classified_by", "dtg", "from_", "to", "info", "body")
# A page line ("MOSCOW 00009533  002 OF 005") and the line break after it: the export glues the
# next page's first words to it.
_PAGE_LINE = re.compile(r"\n[ \t]*([A-Z][A-Z .'-]*[ \t]+\d{8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3})[ \t]*\n\s*")


def _as_export(page: str, record: Cable, offset: str = "+0100", stars: bool = False) -> str:
    """The page's cable as a text export writes it: five lines, then the header with its last
    line glued onto the serial line, and each page line glued onto the next page's text."""
    x = extract(page)[0]
    body, _ = strip_preamble(x.body)  # the page's own debris (06MOSCOW9533) is no part of a cable
    body = _PAGE_LINE.sub(lambda m: "\n" + m.group(1), body.lstrip())
    created = datetime.date.fromisoformat(record.created[:10])
    lines = [record.reference_id, record.subject or "",
             created.strftime(f"%a %b %d 00:00:00 {offset} %Y"), record.classification,
             ("** " if stars else "") + record.origin]
    return "\n".join(lines) + "\n" + x.header.strip("\n") + body


@pytest.mark.parametrize("reference_id", CASES)
def test_text_export_gives_the_page_record(reference_id):
    page = page_path(reference_id).read_text(encoding="utf-8")
    from_page = parse_one(page, context=full_context())
    export = _as_export(page, from_page, stars=reference_id == "06BOGOTA3049")
    if reference_id == "06MOSCOW9533":
        assert export.count(" OF 005") == 4 and not re.search(r" OF 005\n", export)  # glued
    cable_text = export.split("\n", 5)[5]
    assert not re.search(r"\n(?:UNCLAS|C O N F|CONFIDENTIAL|SECRET)", cable_text[:4000])  # glued
    from_export = parse_one(export.encode("utf-8"), source="export.txt", context=full_context())
    assert from_export.source_format == "text-export"
    assert from_export.reference_id == from_page.reference_id
    assert from_export.created == from_page.created[:10]  # the date as written; no time stated
    for name in FIELDS:
        assert getattr(from_export, name) == getattr(from_page, name), name
    assert from_export.warnings == from_page.warnings


# Synthetic exports (text written for this test, in the shape of the real ones).
SYNTHETIC = """\
01DHAHRAN412
SAUDI ARAMCO OPENS BIDS FOR COASTAL DESALINATION PLANT
Fri Feb 23 00:00:00 +0100 2001
UNCLASSIFIED
** Dhahran
R 221015Z FEB 01
FM AMCONSUL DHAHRAN
TO SECSTATE WASHDC 3310
INFO AMEMBASSY RIYADH 1775UNCLAS DHAHRAN 000412

E.O. 12958: N/A
TAGS: ECON, EINV, SA
SUBJECT: SAUDI ARAMCO OPENS BIDS FOR COASTAL DESALINATION PLANT

1. Saudi Aramco asked six firms to bid for a plant on the coast north of the
city. Two of them are American.
DHAHRAN 00000412  002 OF 002The award is expected in the summer.

2. Consulate will follow the tender.
JONES
"""


def test_synthetic_export_stars_offset_and_glued_lines():
    cable = parse_one(SYNTHETIC, source="01DHAHRAN412.txt")
    assert (cable.canonical_id, cable.created, cable.classification, cable.origin) == (
        "01DHAHRAN412", "2001-02-23", "UNCLASSIFIED", "Dhahran")
    # +0100 midnight is 2001-02-22T23:00 in UTC: the date stays the one written
    assert [a.name for a in cable.info] == ["AMEMBASSY RIYADH"]
    assert cable.body.startswith("UNCLAS DHAHRAN 000412")
    assert [t.tag for t in cable.tags] == ["ECON", "EINV", "SA"]
    assert [p.number for p in cable.paragraphs] == [1, 2]
    assert "00000412" not in cable.body
    assert cable.paragraphs[0].text.endswith("Two of them are American.\nThe award is expected in the summer.")
    assert cable.signers == ("JONES",)


@pytest.mark.parametrize("written, date", [
    ("Fri Feb 23 00:00:00 +0100 2001", "2001-02-23"),
    ("Mon Jan 01 00:00:00 -0500 2007", "2007-01-01"),
    ("Wed Dec 31 00:00:00 +1300 2008", "2008-12-31"),
    ("Tue Mar 06 14:25:00 -0500 2007", "2007-03-06T14:25"),
])
def test_export_date_is_read_as_written(written, date):
    cable = parse_one(SYNTHETIC.replace("Fri Feb 23 00:00:00 +0100 2001", written))
    assert cable.created == date


def test_the_stated_metadata_wins():
    text = SYNTHETIC.replace("SAUDI ARAMCO OPENS BIDS FOR COASTAL DESALINATION PLANT\nFri",
                             "Aramco desalination tender\nFri", 1)
    text = text.replace("\nUNCLASSIFIED\n", "\nUNCLASSIFIED//FOR OFFICIAL USE ONLY\n", 1)
    cable = parse_one(text)
    assert cable.subject == "Aramco desalination tender"
    assert cable.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


def test_a_glued_handling_word_stays_out_of_the_id():
    """A stated id garbled by the same gluing (``09CIAWASHDCIMMEDIATESECRETCAIRO269``) is read
    with its station, as the serial line glued after ``CIA WASHDC IMMEDIATE`` is."""
    text = SYNTHETIC.replace("01DHAHRAN412\n", "01CIAWASHDCIMMEDIATESECRETDHAHRAN412\n", 1)
    text = text.replace("INFO AMEMBASSY RIYADH 1775UNCLAS", "INFO CIA WASHDC IMMEDIATEUNCLAS")
    cable = parse_one(text)
    assert cable.canonical_id == "01DHAHRAN412"
    assert [a.name for a in cable.info] == ["CIA WASHDC"]
    assert cable.body.startswith("UNCLAS DHAHRAN 000412")


# --- metadata only ------------------------------------------------------------------------------

METADATA_ONLY = "01DHAHRAN412\nSAUDI ARAMCO OPENS BIDS\nFri Feb 23 00:00:00 +0100 2001\nUNCLASSIFIED\n** Dhahran\n"


@pytest.mark.parametrize("text", [METADATA_ONLY, METADATA_ONLY.rstrip("\n"), METADATA_ONLY + "\n\n  \n",
                                  METADATA_ONLY.replace("\n", "\r\n")])
def test_metadata_only_file_is_a_partial_record(text):
    cable = parse_one(text.encode("utf-8"), source="01DHAHRAN412.txt")
    assert cable.partial and cable.body == "" and cable.header_raw == ""
    assert (cable.canonical_id, cable.subject, cable.created, cable.classification, cable.origin) == (
        "01DHAHRAN412", "SAUDI ARAMCO OPENS BIDS", "2001-02-23", "UNCLASSIFIED", "Dhahran")
    assert cable.paragraphs == () and cable.references == () and cable.tags == ()
    assert any("metadata only" in w for w in cable.warnings)
    assert Cable.from_json(json.loads(cable.dumps())) == cable


def test_a_bare_id_line_is_still_no_cable():
    with pytest.raises(ParseError):
        parse_one(b"01DHAHRAN412\n", source="id.txt")


# --- texts converted from the PDF release ---------------------------------------------------------

@pytest.mark.parametrize("reference_id", ["06BOGOTA3049", "09RIYADH496"])
def test_pdf_conversion_latin1_crlf_pilcrow(reference_id):
    """The PDF release's text: Latin-1 bytes, CRLF line ends, ``¶`` (0xB6) before each
    paragraph number. Same paragraphs as the page."""
    page = page_path(reference_id).read_text(encoding="utf-8")
    from_page = parse_one(page, context=full_context())
    x = extract(page)[0]
    body = re.sub(r"(?m)^([ \t]*)(\d{1,2}\.)", "\\1¶\\2", x.body)
    text = (x.header.strip("\n") + "\n" + body).replace("\n", "\r\n")
    data = text.encode("latin-1", errors="replace")
    assert b"\r\n\xb61." in data or b"\xb61." in data
    from_pdf = parse_one(data, source="converted.txt", context=full_context())
    assert from_pdf.canonical_id == from_page.canonical_id
    assert [(p.number, p.marking, p.text) for p in from_pdf.paragraphs] == [
        (p.number, p.marking, p.text.encode("latin-1", "replace").decode("latin-1"))
        for p in from_page.paragraphs]
    assert any("UTF-8" in w for w in from_pdf.warnings)


# --- the command line takes such files and folders -------------------------------------------------

def _cables(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cables", *args], capture_output=True, text=True,
                          timeout=300)


def test_cli_parses_an_export_file_and_a_folder_of_them(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    page = page_path("06BOGOTA3049").read_text(encoding="utf-8")
    (folder / "06BOGOTA3049.txt").write_text(_as_export(page, parse_one(page)), encoding="utf-8")
    (folder / "01DHAHRAN412.txt").write_text(SYNTHETIC, encoding="utf-8")
    (folder / "01DHAHRAN999.txt").write_text(METADATA_ONLY.replace("412", "999"), encoding="utf-8")
    one = _cables("parse", "--json", str(folder / "01DHAHRAN412.txt"))
    assert one.returncode == 0, one.stderr
    assert json.loads(one.stdout)["canonical_id"] == "01DHAHRAN412"
    every = _cables("parse", "--json", str(folder))
    assert every.returncode == 0, every.stderr
    records = [json.loads(line) for line in every.stdout.splitlines()]
    assert [(r["canonical_id"], r["partial"]) for r in records] == [
        ("01DHAHRAN412", False), ("01DHAHRAN999", True), ("06BOGOTA3049", False)]


def test_ingest_takes_a_folder_of_exports(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "01DHAHRAN412.txt").write_text(SYNTHETIC, encoding="utf-8")
    (folder / "01DHAHRAN999.txt").write_text(METADATA_ONLY.replace("412", "999"), encoding="utf-8")
    db = str(tmp_path / "cables.db")
    result = _cables("ingest", "--json", str(folder), "--db", db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["new"] == 2
    again = json.loads(_cables("ingest", "--json", str(folder), "--db", db).stdout)[0]
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, 2)
    shown = json.loads(_cables("show", "--json", "01DHAHRAN999", "--db", db).stdout)
    assert shown["partial"] is True and shown["body"] == ""
    assert shown["subject"] == "SAUDI ARAMCO OPENS BIDS"
