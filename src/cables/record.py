"""The parsed cable: frozen dataclasses and their JSON form. No I/O here.

The record is immutable so that a parsed cable can be shared between threads, cached, hashed and
compared across releases without anyone mutating it behind our back. Every part round-trips
through :func:`Cable.to_json` / :func:`Cable.from_json`; the JSON keys are the public contract
documented in README.md ("The JSON record").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, TypeVar


_Class = TypeVar("_Class", bound=type)


def quick_pickle(cls: _Class) -> _Class:
    """A frozen slots dataclass whose pickled state is read and set by its field names, found
    once: the ``__getstate__``/``__setstate__`` ``dataclass`` gives such a class call
    ``fields()`` at every instance. Ingest pickles every record in its parsing processes and
    unpickles it in the writer's process (a record is a few dozen of these objects): there that
    call was a tenth of the time the writer's process held the GIL over the mirror. The state is
    the same sequence of values, in the same order."""
    names = tuple(f.name for f in fields(cls))
    setter = object.__setattr__

    def __getstate__(self: Any) -> list:
        return [getattr(self, name) for name in names]

    def __setstate__(self: Any, state: list) -> None:
        for name, value in zip(names, state):
            setter(self, name, value)

    setattr(cls, "__getstate__", __getstate__)
    setattr(cls, "__setstate__", __setstate__)
    return cls


@quick_pickle
@dataclass(frozen=True, slots=True)
class Addressee:
    """One line of a FM/TO/INFO block: ``RUEHC/SECSTATE WASHDC PRIORITY 0116``.

    ``route`` is the routing indicator (``None`` in old headers that have none), ``name`` the
    station as written, ``station`` the name the routing table gives for ``route`` (when a table
    was given and knows it).
    """

    route: str | None
    name: str
    precedence: str | None = None
    serial: str | None = None
    station: str | None = None


@quick_pickle
@dataclass(frozen=True, slots=True)
class ExecutiveOrder:
    """The E.O. line: ``E.O. 12958: DECL: 08/30/2016`` → order 12958, decl as written, date."""

    order: str | None
    decl: str | None = None
    decl_date: str | None = None


@quick_pickle
@dataclass(frozen=True, slots=True)
class Tag:
    """A TAGS entry and its kind: geographic, subject, program, organisation or person."""

    tag: str
    kind: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Reference:
    """A REF item: ``A) ALMATY 1450`` → label A, citation, resolved id, kind ``cable``.

    Non-cable references (e-mail, telcon, memo…) keep their citation with ``id`` None.
    """

    label: str | None
    citation: str
    id: str | None
    kind: str


def short_label(label: str | None) -> str | None:
    """A REF item's label as the text names it (``A``, ``1``, ``AB``: up to three letters or
    digits), or None for an item without one. The page anchors such an item by its label, and the
    body's ``Ref A`` can point at it."""
    if not label:
        return None
    label = label.strip()
    return label if 1 <= len(label) <= 3 and label.isascii() and label.isalnum() else None


@quick_pickle
@dataclass(frozen=True, slots=True)
class Paragraph:
    """A numbered paragraph with its classification marking (``SBU``, ``C``, ``S/NF``…)."""

    number: int
    marking: str | None
    text: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class ClassifiedBy:
    """``Classified By: Ambassador John Ordway, Reasons 1.4 (b) and (d)``."""

    name: str | None
    title: str | None
    reasons: tuple[str, ...] = ()
    text: str = ""


@quick_pickle
@dataclass(frozen=True, slots=True)
class ParagraphSpan:
    """Where a numbered paragraph stands in ``body`` (offsets in characters): its number line
    starts at ``start``, its text runs from ``text_start`` to ``end``. What lies between ``start``
    and ``text_start`` is the lead as written (``4.  (SBU) ``)."""

    start: int
    text_start: int
    end: int


@quick_pickle
@dataclass(frozen=True, slots=True)
class Mention:
    """Where the body names a REF item: ``body[start:end]`` is its label (``B`` in ``REFS A AND
    B``), or, with ``label`` None, a bare ``REFTEL`` that can only mean the cable's one REF item."""

    label: str | None
    start: int
    end: int


@quick_pickle
@dataclass(frozen=True, slots=True)
class Use:
    """Where a numbered paragraph first uses a REF item: ``body[start:end]`` is what names it
    (``Ref B``, ``PARIS 921``, a bare ``REFTEL``, a plural ``reftels``). The "cited by" excerpts
    of the cited cable's page and the snippets of an id searched show the text around it."""

    start: int
    end: int


@quick_pickle
@dataclass(frozen=True, slots=True)
class Layout:
    """Where things stand in the body, so that a page shows the body without reading it again.

    ``paragraphs`` holds one span per entry of ``Cable.paragraphs`` (None for a paragraph that
    could not be placed); ``mentions`` the REF labels named in the paragraphs and the text between
    them, in order; ``uses`` one entry per entry of ``Cable.references``: where a numbered
    paragraph first uses that item (None where none does). Derived from ``body``, ``paragraphs``
    and ``references`` alone: it is left out of the version hashes (``LAYOUT_FIELDS``).
    """

    paragraphs: tuple[ParagraphSpan | None, ...] = ()
    mentions: tuple[Mention, ...] = ()
    uses: tuple[Use | None, ...] = ()

    def paragraph_holding(self, offset: int) -> int | None:
        """The index of the paragraph whose text holds ``offset`` of the body, None if none does
        (where a page or a snippet finds the paragraph of a use)."""
        for index, span in enumerate(self.paragraphs):
            if span is not None and span.text_start <= offset < span.end:
                return index
        return None

    @classmethod
    def from_plain(cls, value: dict[str, Any]) -> Layout:
        return cls(
            paragraphs=tuple(None if p is None else ParagraphSpan(**p) for p in value.get("paragraphs", ())),
            mentions=tuple(Mention(**m) for m in value.get("mentions", ())),
            uses=tuple(None if u is None else Use(**u) for u in value.get("uses", ())),
        )


@quick_pickle
@dataclass(frozen=True, slots=True)
class Cable:
    """One cable as parsed. Field names are the JSON keys (``from_`` is written ``from``)."""

    reference_id: str
    canonical_id: str
    created: str | None = None
    released: str | None = None
    classification: str | None = None
    origin: str | None = None
    transmission_id: str | None = None
    precedence: str | None = None
    dtg: str | None = None
    from_: Addressee | None = None
    to: tuple[Addressee, ...] = ()
    info: tuple[Addressee, ...] = ()
    handling: tuple[str, ...] = ()
    eo: ExecutiveOrder | None = None
    tags: tuple[Tag, ...] = ()
    subject: str | None = None
    references: tuple[Reference, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    summary: str | None = None
    signers: tuple[str, ...] = ()
    classified_by: ClassifiedBy | None = None
    body: str = ""
    header_raw: str = ""
    body_raw: str = ""
    partial: bool = False
    articles: tuple[str, ...] = ()
    source_format: str | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)
    layout: Layout | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object of this record (plain dicts, lists and strings)."""
        return {key: _to_plain(getattr(self, name)) for name, key in _json_names(type(self))}

    def dumps(self, **kwargs: Any) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Cable:
        """Rebuild a record from :meth:`to_json` output (unknown keys are ignored)."""
        values: dict[str, Any] = {}
        for name, key in _json_names(cls):
            if key in data:
                values[name] = _from_plain(name, data[key])
        return cls(**values)


# --- what a field is about ---------------------------------------------------------------------
# One split of the record's fields, used wherever a field's kind matters: the version hashes
# (store.versions: a change of the text and a change of the metadata are told apart) and the
# diff of two versions (store.queries: which fields are listed as metadata, which as text).

TEXT_FIELDS = ("body", "paragraphs", "summary", "signers")
"""The cable's text: the body and what is read from it alone. A redaction or a new reading of the
signature is a ``text`` change."""

SOURCE_FIELDS = ("header_raw", "body_raw", "source_format", "warnings")
"""How the cable reached us rather than what it says: the page or CSV row as written, its format,
what was odd about it. The same cable read from two sources differs only here, so these fields
are left out of the version hashes."""

LAYOUT_FIELDS = ("layout",)
"""Where the paragraphs and REF mentions stand in the body: a function of the text and the
references, kept for the pages, never hashed (a cable whose text and metadata did not change is
the same version, whatever the parser's layout of it). Records packed before it existed have none
(see :mod:`cables.ingest.layout`)."""


def _json_key(name: str) -> str:
    return "from" if name == "from_" else name


_PART_TYPES: dict[str, type] = {
    "from_": Addressee,
    "to": Addressee,
    "info": Addressee,
    "eo": ExecutiveOrder,
    "tags": Tag,
    "references": Reference,
    "paragraphs": Paragraph,
    "classified_by": ClassifiedBy,
    "layout": Layout,
}


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def _to_plain(value: Any) -> Any:
    """A field's value as JSON data: a part (a dataclass) a dict in its fields' order, a tuple a
    list. Ingest makes the JSON of every record it fingerprints (in the parsing processes, beside
    the parser): a type looked up in a set and the parts' field names found once per class take
    half the time ``isinstance`` and ``fields()`` at each value took (0.08 to 0.04 ms a mirror
    cable)."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is tuple:
        return [v if type(v) in _PLAIN_TYPES else _to_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)):  # a subclass of one
        return value
    if isinstance(value, tuple):
        return [_to_plain(v) for v in value]
    return {name: _to_plain(getattr(value, name)) for name, _key in _json_names(kind)}


def _from_plain(name: str, value: Any) -> Any:
    part = _PART_TYPES.get(name)
    if isinstance(value, list):
        if part is None:
            return tuple(value)
        return tuple(_make_part(part, v) for v in value)
    if part is not None and isinstance(value, dict):
        return _make_part(part, value)
    return value


_JSON_NAMES: dict[type, tuple[tuple[str, str], ...]] = {}


def _json_names(kind: type) -> tuple[tuple[str, str], ...]:
    """A dataclass's fields as (name, JSON key), once per class: a cable page reads a record or
    more on its first visit, and ``fields()`` asked for each of its parts was a third of that.
    (A dict, not ``functools.cache``: mypy, which compiles the parser, takes a dataclass's class
    for unhashable and refused the call.)"""
    names = _JSON_NAMES.get(kind)
    if names is None:
        names = _JSON_NAMES[kind] = tuple((f.name, _json_key(f.name)) for f in fields(kind))
    return names


@cache
def _field_names(kind: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(kind))


def _make_part(part: type, value: dict[str, Any]) -> Any:
    if part is Layout:
        return Layout.from_plain(value)
    known = _field_names(part)
    kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in value.items() if k in known}
    return part(**kwargs)


# Every other field (its JSON key): dates, classification, header, tags, subject, references…
METADATA_FIELDS = tuple(
    key for key in (_json_key(f.name) for f in fields(Cable))
    if key not in TEXT_FIELDS and key not in SOURCE_FIELDS and key not in LAYOUT_FIELDS
)
