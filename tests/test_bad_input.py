"""Bad input never crashes: a record with warnings, or a ParseError naming the source and reason."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cables import ParseError, parse, parse_one

from conftest import page_path

ROBUST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROBUST
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_raise_nothing_but_parse_error(data: bytes):
    try:
        parse(data, source="fuzz")
    except ParseError:
        pass


@ROBUST
@given(st.text(max_size=4000))
def test_arbitrary_text_raises_nothing_but_parse_error(text: str):
    try:
        parse(text, source="fuzz")
    except ParseError:
        pass


CABLE_LIKE = st.lists(
    st.sampled_from([
        "VZCZCXRO1728", "PP RUEHDBU", "DE RUEHAST #0038/01 1140336", "P 240336Z APR 06",
        "FM USOFFICE ASTANA", "TO RUEHC/SECSTATE WASHDC PRIORITY 0116", "INFO", "UNCLAS SECTION 01 OF 02",
        "SIPDIS", "E.O. 12958: DECL:", "TAGS: PGOV", "SUBJECT: (C)", "REF: A) ALMATY 1450, B)", "1. (SBU)",
        "2.", "ASTANA 00000038  001.2 OF 002", "<pre>", "</pre>", "<table class='cable'>", "&#x000A;", "¶",
        "Reference ID Created Released Classification Origin", '"1","4/24/2006 3:36","', "\t", "\\", "",
        "TRACY", "2006-04-24 03:36\t06ASTANA38\t", "Classified By: x. Reason 1.4 (",
    ]),
    max_size=40,
).map("\n".join)


@ROBUST
@given(CABLE_LIKE)
def test_cable_shaped_garbage_raises_nothing_but_parse_error(text: str):
    """Random arrangements of real cable lines reach deep into every field reader."""
    try:
        for cable in parse(text, source="fuzz"):
            assert cable.reference_id
    except ParseError:
        pass


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x00\x01\x02\x03binary\x00" * 50, "binary"),
        (bytes(range(256)) * 8, "binary"),
        (b"just some words, no cable here", "reference id"),
    ],
)
def test_inputs_without_a_cable_raise_parse_error_naming_source_and_reason(data, reason):
    with pytest.raises(ParseError) as info:
        parse(data, source="bad.html")
    assert "bad.html" in str(info.value)
    assert reason in info.value.reason


def test_truncated_page_keeps_what_could_be_read():
    """A page cut in the middle of its body (09BAKU179 truncated) still gives its metadata."""
    data = page_path("06BOGOTA3049").read_bytes()
    cut = data[: data.index(b"</pre></code>", data.index(b"<code><pre>") + 20) + 4000]
    cable = parse_one(cut, source="truncated")
    assert cable.reference_id == "06BOGOTA3049"
    assert cable.classification
    assert cable.body


def test_page_cut_before_its_body_is_a_parse_error():
    data = page_path("06BOGOTA3049").read_bytes()
    with pytest.raises(ParseError):
        parse(data[: data.index(b"<code><pre>")], source="cut")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_single_byte_encodings_are_read_with_a_warning(encoding):
    """A page re-saved as Latin-1/cp1252 (09CONAKRY797 has non-ASCII text) still parses."""
    text = page_path("06MOSCOW9533").read_text(encoding="utf-8")
    data = text.encode(encoding, errors="replace")
    cable = parse_one(data, source=encoding)
    assert cable.reference_id == "06MOSCOW9533"
    assert any("UTF-8" in w for w in cable.warnings)
    assert "Dagestan" in cable.body


def test_mojibake_is_repaired_with_a_warning():
    """06MOSCOW9533 has curly quotes (Dagestan’s); read as cp1252 and re-encoded they become
    mojibake (Dagestanâ€™s), which is repaired."""
    text = page_path("06MOSCOW9533").read_text(encoding="utf-8")
    garbled = text.encode("utf-8").decode("cp1252", errors="replace")
    cable = parse_one(garbled, source="mojibake")
    assert "Dagestan’s" in cable.body
    assert "â€" not in cable.body
    assert any("mojibake" in w for w in cable.warnings)
