"""What the API answers, as pydantic models: the OpenAPI document is generated from these, and
every answer is validated against them on its way out (django-ninja), so the document cannot
drift from what is served.

The record (:class:`Record`) mirrors :meth:`cables.record.Cable.to_json` key for key (the README's
"JSON record" table says what each holds); everything else is the archive's read-side data
(:mod:`cables.store.queries`, :mod:`cables.store.browse`, :mod:`cables.search.service`) with the
addresses of related resources added.
"""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class Out(Schema):
    model_config = ConfigDict(populate_by_name=True)


class Error(Out):
    error: str = Field(description="what kind of problem: bad_query, invalid_request, not_found, "
                                   "rate_limited, method_not_allowed")
    detail: str = Field(description="the problem, in words for the person who sent the request")
    position: int | None = Field(None, description="for a bad query: where (from 0) in the query "
                                                   "text the problem is")


# --- the record -------------------------------------------------------------------------------

class Addressee(Out):
    route: str | None
    name: str
    precedence: str | None = None
    serial: str | None = None
    station: str | None = None


class ExecutiveOrder(Out):
    order: str | None
    decl: str | None = None
    decl_date: str | None = None


class RecordTag(Out):
    tag: str
    kind: str


class RecordReference(Out):
    label: str | None
    citation: str
    id: str | None
    kind: str


class Paragraph(Out):
    number: int
    marking: str | None
    text: str


class ClassifiedBy(Out):
    name: str | None
    title: str | None
    reasons: list[str] = []
    text: str = ""


class ParagraphSpan(Out):
    start: int
    text_start: int
    end: int


class Mention(Out):
    label: str | None
    start: int
    end: int


class Use(Out):
    start: int
    end: int


class Layout(Out):
    paragraphs: list[ParagraphSpan | None] = []
    mentions: list[Mention] = []
    uses: list[Use | None] = []


class Record(Out):
    """A cable as the parser read it (``cables parse --json``, ``cables show --json``)."""

    reference_id: str
    canonical_id: str
    created: str | None = None
    released: str | None = None
    classification: str | None = None
    origin: str | None = None
    transmission_id: str | None = None
    precedence: str | None = None
    dtg: str | None = None
    from_: Addressee | None = Field(None, alias="from")
    to: list[Addressee] = []
    info: list[Addressee] = []
    handling: list[str] = []
    eo: ExecutiveOrder | None = None
    tags: list[RecordTag] = []
    subject: str | None = None
    references: list[RecordReference] = []
    paragraphs: list[Paragraph] = []
    summary: str | None = None
    signers: list[str] = []
    classified_by: ClassifiedBy | None = None
    body: str = ""
    header_raw: str = ""
    body_raw: str = ""
    partial: bool = False
    articles: list[str] = []
    source_format: str | None = None
    warnings: list[str] = []
    layout: Layout | None = None


# --- cables -----------------------------------------------------------------------------------

class CableRow(Out):
    """A cable in a list: enough to show a line, and where the rest is."""

    id: str = Field(description="the canonical reference id")
    subject: str | None
    created: str | None
    origin: str | None
    classification: str | None
    url: str = Field(description="this cable in the API")
    page: str = Field(description="this cable's page in the reading room")


class CableList(Out):
    query: str
    sort: str
    total: int
    cables: list[CableRow]
    next_cursor: str | None = Field(description="pass as cursor= for the next page; null on the last")
    next: str | None = Field(description="the next page's address")


class Version(Out):
    version: int
    release: str | None
    change: Literal["new", "metadata", "text", "metadata+text"]
    content_hash: str
    stored: str
    source: str = Field(description="the file it was read from (and its member in an archive)")
    url: str


class Citation(Out):
    """A REF item of the cable: what it cites and where the cited id stands."""

    label: str | None
    citation: str
    id: str | None
    kind: str
    status: Literal["archived", "known", "unknown"] = Field(
        description="archived: in the archive; known: in the list of the collection's ids, not "
                    "released; unknown: neither")
    subject: str | None = Field(description="the cited cable's subject, when archived")
    url: str | None = Field(description="the cited cable in the API, when archived")


class RefItem(Out):
    label: str | None
    citation: str = Field(description="as the REF line writes it")


class CitedByItem(Out):
    id: str
    subject: str | None
    created: str | None
    origin: str | None
    url: str
    page: str
    citations: list[RefItem] = Field(description="its REF items naming this cable")
    paragraph: str | None = Field(description="the ¶ of the citing cable that uses the REF item "
                                              "(its number; 3-2 for the second ¶ numbered 3)")
    paragraph_page: str | None = Field(description="that ¶ on the citing cable's page")
    excerpt: str | None = Field(description="the words around the use")


class CitedBy(Out):
    total: int
    shown: int
    cables: list[CitedByItem] = Field(description="the first citing cables, oldest first")
    all: str = Field(description="every citing cable: the list of cables with ref=ID")


class TagOfCable(Out):
    code: str
    kind: str
    meaning: str | None


class CableDetail(Out):
    id: str
    url: str
    page: str
    first_release: str | None
    last_release: str | None
    removed_in: str | None = Field(description="the full release that no longer listed it")
    comments: int = Field(description="approved readers' comments (replies included)")
    tags: list[TagOfCable]
    record: Record = Field(description="the latest version's record, paragraphs included")
    versions: list[Version]
    cites: list[Citation]
    cited_by: CitedBy


class VersionDetail(Out):
    id: str
    version: int
    release: str | None
    change: str
    stored: str
    record: Record


class FieldChange(Out):
    field: str
    from_: Any = Field(alias="from")
    to: Any


class WordRun(Out):
    kind: Literal["equal", "delete", "insert", "skip"]
    text: str | None = None
    skipped: int | None = None


class WordChanges(Out):
    changed_words: int
    runs: list[WordRun]


class Diff(Out):
    """What changed between two versions: as ``cables diff --json`` prints it."""

    reference_id: str
    from_: int = Field(alias="from")
    to: int
    metadata: list[FieldChange]
    text_fields: list[FieldChange]
    text: list[str] = Field(description="the body's unified diff, line by line")
    words: WordChanges = Field(description="the body's changes word by word, whatever the line breaks")


# --- search -----------------------------------------------------------------------------------

class Hit(CableRow):
    snippet: str = Field(description="HTML: the paragraph's words around the match, escaped, the "
                                     "words found in <mark>")
    paragraph: int | None = Field(description="the ¶ the snippet comes from")
    score: float


class FacetRow(Out):
    value: str
    count: int
    filter: str | None = Field(description="the filter selecting exactly these cables, to add to q")


class Month(Out):
    month: str
    count: int


class SearchResult(Out):
    query: str
    sort: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetRow]]
    histogram: list[Month]
    next_cursor: str | None
    next: str | None


# --- the archive ------------------------------------------------------------------------------

class Release(Out):
    name: str
    order: int
    full: bool
    cables: int
    new: int
    changed: int
    removed: int
    source: str = Field(description="the file or folder it was ingested from (its name)")
    ingested: str


class TagCount(Out):
    code: str
    kind: str
    meaning: str | None
    cables: int
    cables_url: str = Field(description="its cables: the list of cables with tag=CODE")


class OriginCount(Out):
    origin: str | None
    cables: int
    cables_url: str | None = Field(description="its cables: the list of cables with origin=…")


class StationCount(Out):
    station: str = Field(description="the station part of ids (ASTANA in 06ASTANA38)")
    cables: int = Field(description="archived cables")
    known: int = Field(description="ids in the list of the collection's ids")
    not_released: int = Field(description="ids in that list that no archived cable has")
    unreleased: str = Field(description="those ids")


class KnownId(Out):
    id: str
    month: str | None


class Unreleased(Out):
    station: str
    total: int
    ids: list[KnownId]
    next_cursor: str | None
    next: str | None


class Index(Out):
    openapi: str
    docs: str
    endpoints: dict[str, str]
