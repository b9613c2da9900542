"""Debris glued before the body by earlier tools is cut, and what it stated is kept as metadata."""

from __future__ import annotations

import pytest

from cables.parse.extract import extract
from cables.parse.preamble import CLASSIFICATION_LINE, strip_preamble

from conftest import page_path

# reference id, how its body starts on the site, expected metadata stated by the debris
CASES = [
    ("07BOGOTA1903", "id: 101791", {"reference_id": "07BOGOTA1903", "created": "3/23/2007 18:32",
                                    "origin": "Embassy Bogota", "classification": "SECRET//NOFORN"}),
    ("06MEXICO456", "50972", {"reference_id": "06MEXICO456", "created": "2006-01-27 20:41:00",
                              "origin": "Embassy Mexico", "classification": "CONFIDENTIAL"}),
    ("08MEXICO23", "136383,1/4/2008", {"reference_id": "08MEXICO23", "created": "1/4/2008 22:01",
                                       "origin": "Embassy Mexico",
                                       "classification": "UNCLASSIFIED//FOR OFFICIAL USE ONLY"}),
    ("02ANKARA8305", "Cable dated:", {"created": "2002-11-15 12:40"}),
    ("09LONDON333", "ID:190812 Cable dated:", {"created": "2009-02-06 13:05"}),
    ("00HARARE6677", "Wednesday, 29 November 2000", {}),
    ("06LONDON4338", "UK OPEN TO FINANCIAL", {"reference_id": "06LONDON4338", "classification": "SECRET",
                                              "created": "Fri Jun 16 10:23:00 2006"}),
    ("09KUWAIT110", "ID: 190648", {"classification": "SECRET//NOFORN", "origin": "Embassy Kuwait",
                                   "reference_id": "09KUWAIT110", "created": "2009-02-05 16:36:00"}),
    ("05LIMA3571", "Cable dated:2005-08-17T21:24:00]C O N F", {"created": "2005-08-17 21:24"}),
]


@pytest.mark.parametrize("reference_id, starts, stated", CASES, ids=[c[0] for c in CASES])
def test_debris_is_cut_before_the_classification_line(reference_id, starts, stated):
    body = extract(page_path(reference_id).read_text(encoding="utf-8"))[0].body
    assert body.lstrip().startswith(starts)
    rest, meta = strip_preamble(body)
    assert CLASSIFICATION_LINE.match(rest.lstrip()), rest[:80]
    assert meta == stated


def test_debris_tags_are_not_the_cables():
    """06MEXICO456's debris repeats the header and a TAGS line before the real body; the cleaned
    body starts at its classification line and keeps its own TAGS once."""
    body = extract(page_path("06MEXICO456").read_text(encoding="utf-8"))[0].body
    rest, _ = strip_preamble(body)
    assert rest.lstrip().startswith("C O N F I D E N T I A L SECTION 01 OF 03 MEXICO 000456")
    assert rest.count("TAGS:") == 1
    assert "VZCZC" not in rest


def test_a_body_that_starts_right_is_untouched():
    body = extract(page_path("06BOGOTA3049").read_text(encoding="utf-8"))[0].body
    assert strip_preamble(body) == (body, {})
