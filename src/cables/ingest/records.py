"""A record parsed already (a line of ``cables export --format jsonl``) made a Cable again.

The ingest takes such a line where it would parse a page (:func:`.parallel.parse_document`): the
record is rebuilt as it was written (:meth:`cables.record.Cable.from_json`), not parsed again —
see :mod:`cables.sources.records` for why. What the writer relies on is checked here, so that a
damaged or hand-edited line is reported with its reason like a page without a cable, and never
stored half-made: a JSON object, the record's two ids as text, the canonical one canonical.
"""

from __future__ import annotations

import json

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
        return Cable.from_json(data)
    except (TypeError, ValueError, AttributeError) as exc:
        raise ParseError(f"not a cable record: {exc}", source) from exc
