"""06ASTANA38 as people met it on the web: a blog post quoting the cable. Every field checked.

The page (../shared/corpus/formats/blog-page/06ASTANA38.txt) wraps the cable in WordPress
boilerplate, flattens the metadata table into two lines and breaks an ``&#x000A;`` entity across
a line end inside paragraph 7.
"""

from __future__ import annotations

import json

import pytest

from cables import Cable
from cables.record import Addressee, ExecutiveOrder, Reference, Tag

from conftest import cable


@pytest.fixture(scope="module")
def astana() -> Cable:
    return cable("06ASTANA38")


def test_metadata(astana: Cable):
    assert astana.reference_id == "06ASTANA38"
    assert astana.canonical_id == "06ASTANA38"
    assert astana.created == "2006-04-24T03:36"
    assert astana.released == "2011-08-30T01:44"
    assert astana.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert astana.origin == "Embassy Astana"
    assert astana.source_format == "quoted"
    assert astana.partial is False


def test_transmission_header(astana: Cable):
    assert astana.transmission_id == "VZCZCXRO1728"
    assert astana.precedence == "P"
    assert astana.dtg == "2006-04-24T03:36Z"
    assert astana.from_ == Addressee("RUEHAST", "USOFFICE ASTANA", station="AMCONSUL ASTANA")
    assert astana.to == (
        Addressee("RUEHC", "SECSTATE WASHDC", "PRIORITY", "0116", "DEPT OF STATE WASHINGTON DC"),
    )
    assert astana.info == (
        Addressee("RUEHTA", "AMEMBASSY ALMATY", "PRIORITY", "0108", "AMEMBASSY ASTANA"),
        Addressee("RUCNCIS", "CIS COLLECTIVE", None, None, None),
        Addressee("RUEHBUL", "AMEMBASSY KABUL", None, "0024", "AMEMBASSY KABUL"),
        Addressee("RUEHVEN", "USMISSION USOSCE", None, "0048", "USMISSION USOSCE VIENNA AU"),
        Addressee("RUCPDOC", "DEPT OF COMMERCE WASHINGTON DC", None, None, "DEPT OF COMMERCE WASHINGTON DC"),
        Addressee("RUEHAST", "USOFFICE ASTANA", None, "0118", "AMCONSUL ASTANA"),
    )


def test_front_matter(astana: Cable):
    assert astana.handling == ("SIPDIS", "SENSITIVE")
    assert astana.eo == ExecutiveOrder("12958", "N/A", None)
    assert astana.tags == (
        Tag("EFIN", "subject"), Tag("KCRM", "program"), Tag("KDEM", "program"),
        Tag("PGOV", "subject"), Tag("PREL", "subject"), Tag("SMIG", "subject"),
        Tag("KZ", "geographic"),
    )
    assert astana.subject == "KAZAKHSTAN: AMBASSADOR DISCUSSES AIG AND TIP WITH JUSTICE MINISTER"
    assert astana.classified_by is None


def test_references(astana: Cable):
    """06ALMATY1450 and 06ASTANA33 are known ids; 06ASTANA5 is not, and keeps the cable's year."""
    assert astana.references == (
        Reference("A", "ALMATY 1450", "06ALMATY1450", "cable"),
        Reference("B", "ASTANA 33", "06ASTANA33", "cable"),
        Reference("C", "ASTANA 5", "06ASTANA5", "cable"),
    )


def test_paragraphs(astana: Cable):
    assert [p.number for p in astana.paragraphs] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert {p.marking for p in astana.paragraphs} == {"SBU"}
    assert astana.paragraphs[0].text.startswith("SUMMARY:  The Ambassador met with Minister of Justice")
    seventh = " ".join(astana.paragraphs[6].text.split())
    assert "amnesty for the New Year, which is currently being implemented. End note.)" in seventh
    assert astana.paragraphs[7].text.rstrip().endswith("prisoners and\nprison staff.")


def test_summary_signers_and_body(astana: Cable):
    assert astana.summary.startswith("The Ambassador met with Minister of Justice Zagipa Baliyeva")
    assert astana.summary.endswith("who previously worked on resolution of the AIG case.")
    assert astana.signers == ("TRACY",)
    assert "00000038" not in astana.body
    assert "&#x000A" not in astana.body
    assert astana.body.rstrip().endswith("TRACY")
    for boilerplate in ("Wikileaks", "Leave a Reply", "Trackback", "WordPress"):
        assert boilerplate not in astana.body


def test_json_form(astana: Cable):
    data = json.loads(astana.dumps())
    assert data["from"]["name"] == "USOFFICE ASTANA"
    assert data["to"][0] == {"route": "RUEHC", "name": "SECSTATE WASHDC", "precedence": "PRIORITY",
                             "serial": "0116", "station": "DEPT OF STATE WASHINGTON DC"}
    assert data["references"][0] == {"label": "A", "citation": "ALMATY 1450", "id": "06ALMATY1450",
                                      "kind": "cable"}
    assert data["eo"] == {"order": "12958", "decl": "N/A", "decl_date": None}
    assert Cable.from_json(data) == astana
