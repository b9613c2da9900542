"""When is a parsed record a new version of a cable, and what changed: hashes of its two halves.

A record splits into its *text* (the body and what is read only from it: paragraphs, summary,
signers) and its *metadata* (every other field: dates, classification, header, tags, subject,
references…). Keys that depend on how the cable reached us rather than on the cable are left out:
``header_raw``/``body_raw`` (the page or CSV row as written), ``source_format`` and ``warnings``.
So the same cable read from the site page and from the CSV dump is one version, a redaction
in the body is a ``text`` change, a corrected classification a ``metadata`` change.

``content_hash`` = sha256 of the normalised JSON of both halves; equal hash, same version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..record import Cable

VOLATILE_KEYS = frozenset({"header_raw", "body_raw", "source_format", "warnings"})
TEXT_KEYS = ("body", "paragraphs", "summary", "signers")
# Stored as columns of their own, not inside CableVersion.record.
COLUMN_KEYS = frozenset({"body", "header_raw", "body_raw"})

NEW, METADATA, TEXT, BOTH = "new", "metadata", "text", "metadata+text"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    record: dict[str, Any]      # the JSON to store (without the COLUMN_KEYS)
    content_hash: str
    metadata_hash: str
    text_hash: str


def fingerprint(cable: Cable) -> Fingerprint:
    data = cable.to_json()
    text = {k: data[k] for k in TEXT_KEYS}
    metadata = {k: v for k, v in data.items() if k not in VOLATILE_KEYS and k not in text}
    text_json, metadata_json = _normal(text), _normal(metadata)
    return Fingerprint(
        record={k: v for k, v in data.items() if k not in COLUMN_KEYS},
        content_hash=_sha256(metadata_json + "\n" + text_json),
        metadata_hash=_sha256(metadata_json),
        text_hash=_sha256(text_json),
    )


def change_kind(previous: tuple[str, str] | None, current: Fingerprint) -> str:
    """``new``, ``metadata``, ``text`` or ``metadata+text``; ``previous`` = (metadata, text) hashes."""
    if previous is None:
        return NEW
    metadata_changed = previous[0] != current.metadata_hash
    text_changed = previous[1] != current.text_hash
    if metadata_changed and text_changed:
        return BOTH
    return TEXT if text_changed else METADATA


def _normal(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
