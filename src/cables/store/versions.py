"""When is a parsed record a new version of a cable, what changed, and how a version is stored.

A record splits into its *text* (the body and what is read only from it: paragraphs, summary,
signers) and its *metadata* (every other field: dates, classification, header, tags, subject,
references…). Keys that depend on how the cable reached us rather than on the cable are left out
of the hashes: ``header_raw``/``body_raw`` (the page or CSV row as written), ``source_format``
and ``warnings``. The split is :mod:`cables.record`'s (``TEXT_FIELDS``, ``SOURCE_FIELDS``), the
one the diff of two versions lists its fields by. The record's ``layout`` (where its paragraphs
and REF mentions stand in the body: derived from the text, ``LAYOUT_FIELDS``) is not hashed
either: it is packed with the source fields. So the same cable read from the site page and from the CSV dump is one version,
a redaction in the body is a ``text`` change, a corrected classification a ``metadata`` change.

``metadata_hash`` and ``text_hash`` = sha256 of each half's normalised JSON (sorted keys, ASCII);
``content_hash`` = sha256 of the two; equal hash, same version.

A version is stored whole and compressed (:func:`pack`): the Zstandard-compressed JSON array
``[metadata, text, raw]`` of the record's three parts (raw: the source and layout fields), the
first two being the very strings the hashes were computed from (serialised once). The whole record, with ``body``, ``body_raw`` and
``header_raw``, is one ~5 KB blob instead of ~26 KB of JSON and text columns; :func:`unpack` gives
the record back. Ingest fingerprints and packs in the parsing processes (all pure Python, no
Django), off the writer's critical path.

Archives written before Zstandard hold zlib blobs: :func:`unpack` tells the two apart by their
first bytes, and the hashes never depended on the compression, so such an archive reads and
re-ingests as before (its versions stay as they were; new ones are Zstandard).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from typing import Any

import orjson

from ..record import LAYOUT_FIELDS, SOURCE_FIELDS, TEXT_FIELDS, Cable, quick_pickle
from . import compression

# The packing runs once per cable in the parsing processes, where it competes with the parser.
# On 1,500 mirror cables (26 KB of JSON each): zlib level 2 took 0.17 ms a cable for 5.8 KB;
# Zstandard level 3 takes 0.06 ms for 5.0 KB, and unpacks in 0.02 ms instead of 0.06.
COMPRESSION_LEVEL = 3

NEW, METADATA, TEXT, BOTH = "new", "metadata", "text", "metadata+text"
_UNHASHED = (*SOURCE_FIELDS, *LAYOUT_FIELDS)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Fingerprint:
    packed: bytes          # the whole record, compressed: see pack() / unpack()
    content_hash: str
    metadata_hash: str
    text_hash: str


def fingerprint(cable: Cable) -> Fingerprint:
    """The hashes of a record and its packed form (one JSON serialisation serves both)."""
    data = cable.to_json()
    text = {k: data[k] for k in TEXT_FIELDS}
    metadata = {k: v for k, v in data.items() if k not in _UNHASHED and k not in text}
    raw = {k: data[k] for k in _UNHASHED if k in data}
    text_json, metadata_json = _normal(text), _normal(metadata)
    metadata_hash, text_hash = _sha256(metadata_json), _sha256(text_json)
    return Fingerprint(
        packed=_compress(metadata_json, text_json, _normal(raw)),
        content_hash=_sha256((metadata_hash + text_hash).encode("ascii")),
        metadata_hash=metadata_hash,
        text_hash=text_hash,
    )


def pack(cable: Cable) -> bytes:
    return fingerprint(cable).packed


def unpack(packed: bytes) -> dict[str, Any]:
    """The record JSON (as ``Cable.to_json`` gives it) of a packed version."""
    packed = bytes(packed)
    if packed[:4] == compression.MAGIC:
        data = compression.decompress(packed)
    else:  # an archive written before Zstandard
        data = zlib.decompress(packed)
    metadata, text, raw = json.loads(data)
    return {**metadata, **text, **raw}


def unpack_record(packed: bytes) -> Cable:
    return Cable.from_json(unpack(packed))


def change_kind(previous: tuple[str, str] | None, current: Fingerprint) -> str:
    """``new``, ``metadata``, ``text`` or ``metadata+text``; ``previous`` = (metadata, text) hashes."""
    if previous is None:
        return NEW
    metadata_changed = previous[0] != current.metadata_hash
    text_changed = previous[1] != current.text_hash
    if metadata_changed and text_changed:
        return BOTH
    return TEXT if text_changed else METADATA


def _compress(metadata_json: bytes, text_json: bytes, raw_json: bytes) -> bytes:
    document = b"[" + metadata_json + b"," + text_json + b"," + raw_json + b"]"
    return compression.compress(document, COMPRESSION_LEVEL)


def _normal(value: Any) -> bytes:
    """The normalised JSON of a record's part that its hash is computed from: sorted keys, no
    spaces, ASCII (``json.dumps(value, sort_keys=True, separators=(",", ":"))``, what every
    version in an archive was hashed by: a byte more or less would make every cable a new version).

    orjson writes it 2.5x as fast, byte for byte the same whenever what it writes is ASCII
    without DEL (0x7f), which the standard encoder escapes (``\\u007f``) and orjson does not: it
    escapes the same characters (quote, backslash, controls: ``\\n`` and the like, else
    ``\\u001f``) the same way; a record holds no floats, which the two write differently.
    Anything else (about one mirror cable in ten has a typographic quote) and whatever orjson
    refuses (a lone surrogate, an integer over 64 bits) is written by the standard encoder."""
    try:
        found = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        if found.isascii() and b"\x7f" not in found:
            return found
    except orjson.JSONEncodeError:
        pass
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("ascii")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
