"""A version's hashes (:func:`cables.store.versions.fingerprint`) are the same for the same record
in every release of the software: an archive compares the hashes it holds with those of each
record ingested, so a byte more or less in the JSON they are computed from would make every cable
of every archive a new version. They are defined as sha256 of each half's JSON written by the
standard encoder (sorted keys, no spaces, ASCII); these tests hold the fingerprint, however it is
made, to that definition, on real cables and on records holding what JSON escapes."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cables.record import LAYOUT_FIELDS, SOURCE_FIELDS, TEXT_FIELDS, Paragraph, Tag
from cables.store import compression, versions
from conftest import cable


def normal(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def defined(record) -> tuple[str, str, str, str]:
    """(content hash, metadata hash, text hash, packed document) as defined."""
    data = record.to_json()
    unhashed = (*SOURCE_FIELDS, *LAYOUT_FIELDS)
    text = {k: data[k] for k in TEXT_FIELDS}
    metadata = {k: v for k, v in data.items() if k not in unhashed and k not in TEXT_FIELDS}
    raw = {k: data[k] for k in unhashed}
    metadata_hash, text_hash = sha256(normal(metadata)), sha256(normal(text))
    document = "[" + normal(metadata) + "," + normal(text) + "," + normal(raw) + "]"
    return sha256(metadata_hash + text_hash), metadata_hash, text_hash, document


def computed(record) -> tuple[str, str, str, str]:
    found = versions.fingerprint(record)
    return (found.content_hash, found.metadata_hash, found.text_hash,
            compression.decompress(found.packed).decode("ascii"))


# 06ASTANA38 (the blog copy: header, REF items), 06BOGOTA3049, 09BERLIN1167 (layout, uses);
# typographic quotes (89PANAMA8545), U+2028 (06MEXICO2220), Cyrillic (07MOSCOW2981): escaped
@pytest.mark.parametrize("reference_id", ["06ASTANA38", "06BOGOTA3049", "09BERLIN1167",
                                          "89PANAMA8545", "06MEXICO2220", "07MOSCOW2981"])
def test_a_real_cables_fingerprint_is_the_defined_one(reference_id):
    record = cable(reference_id)
    assert computed(record) == defined(record)


# What the JSON encoders escape: quote, backslash, controls, DEL, non-ASCII of the BMP and beyond
# (a surrogate pair), a lone surrogate, U+2028
ESCAPED = st.text(st.sampled_from('a "\\/\x00\x01\x1f\t\n\r\x08\x0c\x7f\x80é’\u2028\ud800😀'),
                  max_size=12)


@settings(max_examples=300, deadline=None)
@given(subject=ESCAPED, body=ESCAPED, tag=ESCAPED, signer=ESCAPED, raw=ESCAPED,
       number=st.integers(min_value=0, max_value=2**70))
def test_a_fingerprint_is_the_defined_one_whatever_the_text(subject, body, tag, signer, raw, number):
    record = dataclasses.replace(
        cable("06ASTANA38"), subject=subject, body=body, tags=(Tag(tag, "subject"),),
        signers=(signer,), paragraphs=(Paragraph(number, None, body),), body_raw=raw)
    assert computed(record) == defined(record)
