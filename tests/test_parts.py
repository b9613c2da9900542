"""The parser's quick builders of the record's small parts (parse/parts.py) give the record types."""

from __future__ import annotations

import dataclasses

import pytest

from cables.parse import parts
from cables.record import Addressee, Paragraph, ParagraphSpan


@pytest.mark.parametrize(
    ("build", "cls", "values"),
    [
        (parts.paragraph, Paragraph, (3, "SBU", "The minister said so.")),
        (parts.paragraph, Paragraph, (1, None, "")),
        (parts.paragraph_span, ParagraphSpan, (120, 130, 420)),
        (parts.addressee, Addressee, ("RUEHC", "SECSTATE WASHDC", "PRIORITY", "0116", "Washington")),
        (parts.addressee, Addressee, (None, "AMEMBASSY LONDON", None, None, None)),
    ],
)
def test_parts_built_quickly_are_the_record_types(build, cls, values) -> None:
    """Equal to the dataclass built the usual way, same hash and repr, still frozen."""
    quick, usual = build(*values), cls(*values)
    assert type(quick) is cls
    assert quick == usual and hash(quick) == hash(usual) and repr(quick) == repr(usual)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(quick, dataclasses.fields(cls)[0].name, values[0])


def test_every_field_is_set() -> None:
    """A builder per type with all its fields: a field added to the record fails here first."""
    assert [f.name for f in dataclasses.fields(Paragraph)] == ["number", "marking", "text"]
    assert [f.name for f in dataclasses.fields(ParagraphSpan)] == ["start", "text_start", "end"]
    assert [f.name for f in dataclasses.fields(Addressee)] == ["route", "name", "precedence", "serial",
                                                               "station"]
