"""A record's JSON (:meth:`cables.record.Cable.to_json`): the public record of README.md, and what
the version hashes of the archive are computed from (:mod:`cables.store.versions`), so it must
stay the same, key for key and in the same order, however it is made."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass, replace

import pytest

from cables.record import Cable, Tag
from conftest import cable


def plain(value):
    """The JSON data of a value as the record defines it, written out the slow and obvious way:
    a part (a dataclass) a dict of its fields in their order, a tuple a list."""
    if is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value


def expected(record: Cable) -> str:
    data = {("from" if f.name == "from_" else f.name): plain(getattr(record, f.name))
            for f in fields(record)}
    return json.dumps(data, ensure_ascii=False)


class Word(str):
    """A str of another class: its JSON is the string's."""


# Records with every kind of part: header addressees and references (06ASTANA38, the blog copy),
# layout with REF mentions and uses (09BERLIN1167), a corrupted page (07BERN881), Cyrillic
# (07MOSCOW2981), a partial extract (04BOGOTA11339)
@pytest.mark.parametrize("reference_id", ["06ASTANA38", "09BERLIN1167", "07BERN881", "07MOSCOW2981",
                                          "04BOGOTA11339"])
def test_a_records_json_is_its_fields_in_order(reference_id):
    record = cable(reference_id)
    assert json.dumps(record.to_json(), ensure_ascii=False) == expected(record)


def test_values_of_a_subclass_are_written_as_their_base_type():
    record = replace(cable("06ASTANA38"), subject=Word("A subject"),
                     tags=(Tag(Word("PREL"), "subject"),), handling=(Word("SIPDIS"),))
    assert json.dumps(record.to_json(), ensure_ascii=False) == expected(record)
    assert record.to_json()["tags"] == [{"tag": "PREL", "kind": "subject"}]
