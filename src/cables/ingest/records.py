"""A record parsed already (a line of ``cables export --format jsonl``) made a Cable again.

The ingest takes such a line where it would parse a page (:func:`.parallel.parse_document`): the
record is rebuilt as it was written (:meth:`cables.record.Cable.from_json`), not parsed again —
see :mod:`cables.sources.records` for why. What the writer relies on is checked here, so that a
damaged or hand-edited line is reported with its reason like a page without a cable, and never
stored half-made: a JSON object, the record's two ids as text, the canonical one canonical, and
every field of the type the record declares (a list of tags, not a number).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache

from ..ids import canonical_id, split_canonical_id
from ..parse import ParseError
from ..record import Cable


def record_from_line(line: str | bytes, source: str | None = None) -> Cable:
    """The record a JSONL line holds; ParseError (with the reason) when it holds none."""
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise ParseError(f"not a JSON record: {exc}", source) from exc
    if not isinstance(data, dict):
        raise ParseError("not a JSON record: a JSON object per line was expected", source)
    for key in ("reference_id", "canonical_id"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ParseError(f"not a cable record: no {key}", source)
    cid = data["canonical_id"]
    if canonical_id(cid) != cid or split_canonical_id(cid) is None:
        raise ParseError(f"not a cable record: {cid!r} is not a canonical reference id", source)
    try:
        record = Cable.from_json(data)
    except (TypeError, ValueError, AttributeError) as exc:
        raise ParseError(f"not a cable record: {exc}", source) from exc
    wrong = _wrong_field(record)
    if wrong:
        raise ParseError(f"not a cable record: {wrong} is not of its type", source)
    return record


def _wrong_field(value: object, hint: object = Cable, where: str = "") -> str | None:
    """The path of the first field of ``value`` that is not of the type its class declares."""
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, hint):
            return where or "the record"
        for name, field_hint in _hints(hint).items():
            found = _wrong_field(getattr(value, name), field_hint, f"{where}.{name}" if where else name)
            if found:
                return found
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        branches = typing.get_args(hint)
        return None if any(_wrong_field(value, b, where) is None for b in branches) else where
    if origin is tuple:
        if not isinstance(value, tuple):
            return where
        item = typing.get_args(hint)[0]
        return next((found for v in value if (found := _wrong_field(v, item, where + "[]"))), None)
    if hint is type(None):
        return None if value is None else where
    if isinstance(hint, type):
        return None if isinstance(value, hint) else where
    return None  # Any


@cache
def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)
