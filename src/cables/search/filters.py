"""The filters of the query language (``tag:PGOV``, ``from:2006-01`` …): one small class each,
registered by name.

Everything about a filter is decided in its class: its name and help (which the CLI's
``cables search --help``, the search page and the README's table show), how a typed value is
checked and normalised (a :class:`QueryError` naming the filter and the value when it can select
nothing), the condition it puts on a cable ``c`` of store_cable, and, for the filters the search
page offers as facets, the facet's title, its rows' order and how a row is written back as a
filter. These parts sat in five files (query.py, sql.py, service.py, the search view, the CLI)
that had to be kept in step by hand; a new filter is now one class here, registered the way an
add-on would register one.

Values reach the database as parameters (``%s``) only; the SQL text is each class's own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from ..ids import canonical_id, is_valid_id
from .errors import QueryError

REGISTRY: dict[str, "SearchFilter"] = {}
PLANNED = {"person": "person: is not supported yet (planned); search the name as words instead"}
UNKNOWN = "unknown"  # a facet's row for cables without the value: no filter selects it

_LETTER_OR_DIGIT = re.compile(r"[^\W_]", re.U)
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/&@+-]*")


def register(cls: type["SearchFilter"]) -> type["SearchFilter"]:
    """Class decorator: an instance of ``cls`` answers for the filter ``cls.name``."""
    REGISTRY[cls.name] = cls()
    return cls


def filter_named(name: str) -> "SearchFilter":
    return REGISTRY[name]


def facet_filters() -> list["SearchFilter"]:
    """The filters offered as facets, in the order the search page and the JSON show them."""
    return sorted((f for f in REGISTRY.values() if f.facet_title), key=lambda f: f.facet_rank)


def plain_value(value: str) -> str | None:
    """A filter value as the query language reads it: bare when plain, else in quotes (None when
    no value of the language can hold it)."""
    if '"' in value or not value.strip():
        return None
    return value if _PLAIN_VALUE.fullmatch(value) else f'"{value}"'


def facet_filter(name: str, value: str) -> str | None:
    """The filter a facet row stands for, or None when no filter selects exactly it."""
    spec = REGISTRY.get(name)
    if spec is None or not value or value == UNKNOWN:
        return None
    return spec.written(value)


class SearchFilter:
    """One ``name:value`` filter. Several values of one filter are alternatives (OR)."""

    name: ClassVar[str]
    about: ClassVar[str]                 # what it selects, for people
    examples: ClassVar[tuple[str, ...]]  # values as typed, the first the one error messages cite
    facet_title: ClassVar[str | None] = None
    facet_rank: ClassVar[int] = 0
    words: ClassVar[bool] = False        # searches words (part of the full-text query), no condition

    @property
    def written_examples(self) -> list[str]:
        return [f"{self.name}:{e}" for e in self.examples]

    @property
    def help(self) -> str:
        """``about: name:example or name:example``, as the search page and the CLI list it."""
        return f"{self.about}: {' or '.join(self.written_examples)}"

    def check(self, value: str) -> str:
        """The value as the condition compares it; QueryError when it can select nothing."""
        if not value:
            raise QueryError(f"{self.name}: needs a value")
        if not _LETTER_OR_DIGIT.search(value):
            raise QueryError(f"{self.name}:{value} holds no letter or digit")
        return self.normalise(value)

    def normalise(self, value: str) -> str:
        return value

    def condition(self, values: list[str], probe: bool = False) -> tuple[str, list]:
        """The values as one condition on ``c`` (store_cable) and its parameters."""
        raise NotImplementedError(f"{self.name}: has no condition of its own")

    def written(self, value: str) -> str | None:
        """The filter selecting exactly the cables of a facet row holding ``value``."""
        plain = plain_value(value)
        return None if plain is None else f"{self.name}:{plain}"

    def facet_rows(self, counts: Counter, limit: int) -> list[tuple[str, int]]:
        """The most frequent values first, ties by value, at most ``limit``."""
        return sorted(counts.items(), key=lambda row: (-row[1], row[0]))[:limit]


def _any(clauses: list[str]) -> str:
    return clauses[0] if len(clauses) == 1 else "(" + " OR ".join(clauses) + ")"


# --- filters on related rows --------------------------------------------------------------------------

@dataclass(frozen=True)
class Related:
    """Rows related to cables: where they are, their cable, the value filtered on; ``once``: a
    cable holds a value once (no DISTINCT needed to list the cables of one value)."""

    source: str
    cable: str
    value: str
    once: bool = False


class RelatedFilter(SearchFilter):
    """A filter on rows related to cables (tags, releases, citations, paragraphs).

    Written ``c.id IN (SELECT … WHERE <indexed column> IN …)``: SQLite runs a correlated
    subquery once per candidate cable (250,000 for a filter alone), while the ``IN`` list is built
    once from the index. With ``probe``, a correlated ``EXISTS`` instead: for a filter matching
    most cables (tag:PGOV, 145,452 of 250,000) sorted by date, the newest cables tested one by
    one fill a page at once, where the list takes 100 ms.
    """

    related: ClassVar[Related]

    def rows(self, values: list) -> str:
        """``FROM … WHERE <value> IN (%s, …)``: the related rows holding one of ``values``."""
        r = self.related
        return f"FROM {r.source} WHERE {r.value} IN ({', '.join(['%s'] * len(values))})"

    def condition(self, values: list[str], probe: bool = False) -> tuple[str, list]:
        cable, rows = self.related.cable, self.rows(values)
        if probe:
            return f"EXISTS (SELECT 1 {rows} AND {cable} = c.id)", list(values)
        return f"c.id IN (SELECT {cable} {rows})", list(values)


@register
class Tag(RelatedFilter):
    name, about, examples = "tag", "a TAGS code", ("PGOV",)
    facet_title, facet_rank = "Tag", 1
    related = Related("store_cabletag ct JOIN store_tag t ON t.id = ct.tag_id", "ct.cable_id", "t.code",
                      once=True)

    def normalise(self, value: str) -> str:
        return value.upper()


# --- the sending post -----------------------------------------------------------------------------------

# The distinct origins by a skip scan of the origin index: one index seek per origin (a few
# hundred), where SELECT DISTINCT reads every entry of the index (250,000).
DISTINCT_ORIGINS = (
    "WITH RECURSIVE skip(v) AS (SELECT min(origin) FROM store_cable UNION ALL "
    "SELECT (SELECT min(origin) FROM store_cable WHERE origin > skip.v) FROM skip WHERE skip.v IS NOT NULL) "
    "SELECT v FROM skip WHERE v IS NOT NULL"
)


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@register
class Origin(SearchFilter):
    name, about, examples = "origin", "the sending post, by station or origin name", ("astana",)
    facet_title, facet_rank = "Origin", 0

    def condition(self, values: list[str], probe: bool = False) -> tuple[str, list]:
        # Matched against the few hundred distinct origins, then looked up by index; a routing
        # indicator matches the sending station. A value naming an origin exactly
        # (origin:"Embassy Paris", as a facet writes it) means that origin only; otherwise any
        # origin containing it (origin:paris).
        clauses, params = [], []
        for v in values:
            clauses.append(f"(c.origin IN (SELECT o.v FROM ({DISTINCT_ORIGINS}) o WHERE CASE "
                           f"WHEN EXISTS (SELECT 1 FROM ({DISTINCT_ORIGINS}) x WHERE lower(x.v) = %s) "
                           "THEN lower(o.v) = %s ELSE lower(o.v) LIKE %s ESCAPE '\\' END) "
                           "OR c.id IN (SELECT a.cable_id FROM store_addressee a "
                           "WHERE a.route = %s AND a.role = 'from'))")
            params += [v.lower(), v.lower(), "%" + _like_escape(v.lower()) + "%", v.upper()]
        return _any(clauses), params

    def written(self, value: str) -> str | None:
        """Always quoted: the whole name selects that origin only (``origin:paris`` would also
        select every origin containing it)."""
        return None if plain_value(value) is None else f'origin:"{value}"'


# --- classification ---------------------------------------------------------------------------------------

_CLASSIFICATION_PATTERNS = {
    "unclassified": "UNCLASSIFIED%", "unclas": "UNCLASSIFIED%", "confidential": "CONFIDENTIAL%",
    "secret": "SECRET%", "noforn": "%NOFORN%", "fouo": "%FOR OFFICIAL USE ONLY%",
    "for official use only": "%FOR OFFICIAL USE ONLY%", "sbu": "%FOR OFFICIAL USE ONLY%",
}


@register
class Classification(SearchFilter):
    name, examples = "classification", ("secret",)
    about = "a level (secret, confidential, unclassified) or caveat (noforn, fouo)"
    facet_title, facet_rank = "Classification", 2

    def normalise(self, value: str) -> str:
        if value.lower() not in _CLASSIFICATION_PATTERNS:
            raise QueryError(f"classification:{value} is not a classification (unclassified, "
                             f"confidential, secret, noforn)")
        return value.lower()

    def condition(self, values: list[str], probe: bool = False) -> tuple[str, list]:
        return (_any(["c.classification LIKE %s"] * len(values)),
                [_CLASSIFICATION_PATTERNS[v] for v in values])

    def written(self, value: str) -> str | None:
        """Filters selecting exactly one stored classification.

        ``classification:secret`` matches every level starting with SECRET, SECRET//NOFORN
        included, so the caveats the query language knows (NOFORN, FOR OFFICIAL USE ONLY) are
        required when the level has them and excluded when it has not: ``SECRET`` is
        ``classification:secret -classification:noforn -classification:fouo``.
        """
        parts = (value or "").upper().split("//")
        level = parts[0].strip().lower()
        if level not in {"unclassified", "confidential", "secret"}:
            return None
        caveats = {c.strip() for c in parts[1:]}
        known = {"NOFORN": "noforn", "FOR OFFICIAL USE ONLY": "fouo"}
        if caveats - set(known):
            return None
        out = [f"classification:{level}"]
        out += [f"{'' if word in caveats else '-'}classification:{name}" for word, name in known.items()]
        return " ".join(out)


# --- dates --------------------------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_YEAR = re.compile(r"^\d{4}$")


def next_date(value: str) -> str:
    """The first date after a year, month or day written ``2006``, ``2006-01``, ``2006-01-31``
    (ISO strings compare as dates)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + 1:04d}"
    if len(parts) == 2:
        y, m = parts
        return f"{y + m // 12:04d}-{m % 12 + 1:02d}"
    return value + "T99"  # after every time of that day


class DateFilter(SearchFilter):
    """A year, month or day (``2006``, ``2006-01``, ``2006-01-15``) against a date column;
    ``span`` compares the column with it as a whole period, else ``op`` with its start or end."""

    column: ClassVar[str] = "c.created"

    def normalise(self, value: str) -> str:
        if not _DATE.match(value):
            raise QueryError(f"{self.name}:{value} is not a date (write 2006, 2006-01 or 2006-01-15)")
        parts = [int(p) for p in value.split("-")]
        if len(parts) > 1 and not 1 <= parts[1] <= 12 or len(parts) > 2 and not 1 <= parts[2] <= 31:
            raise QueryError(f"{self.name}:{value} is not a date")
        return value

    def one(self, value: str) -> tuple[str, list]:
        """In the period ``value`` names."""
        return f"({self.column} >= %s AND {self.column} < %s)", [value, next_date(value)]

    def condition(self, values: list[str], probe: bool = False) -> tuple[str, list]:
        clauses, params = [], []
        for v in values:
            clause, more = self.one(v)
            clauses.append(clause)
            params += more
        return _any(clauses), params


@register
class Year(DateFilter):
    name, about, examples = "year", "year of creation", ("2006",)
    facet_title, facet_rank = "Year", 3

    def normalise(self, value: str) -> str:
        if not _YEAR.match(value):
            raise QueryError(f"year:{value} is not a year (write year:2006)")
        return value

    def written(self, value: str) -> str | None:
        return f"year:{value}" if value.isdigit() and len(value) == 4 else None

    def facet_rows(self, counts: Counter, limit: int) -> list[tuple[str, int]]:
        """The most frequent years, shown in time order."""
        return sorted(super().facet_rows(counts, limit), key=lambda row: row[0])


@register
class From(DateFilter):
    name, about, examples = "from", "created on or after", ("2006-01", "2006-01-15")

    def one(self, value: str) -> tuple[str, list]:
        return f"{self.column} >= %s", [value]


@register
class To(DateFilter):
    name, about, examples = "to", "created on or before", ("2006-06-30",)

    def one(self, value: str) -> tuple[str, list]:
        return f"{self.column} < %s", [next_date(value)]


@register
class Released(DateFilter):
    name, about, examples = "released", "released on the site that year, month or day", ("2011-08",)
    column = "c.released"


# --- releases, citations, words, markings ------------------------------------------------------------------

@register
class Release(RelatedFilter):
    name, about, examples = "release", "new or changed in a release", ("NAME",)
    related = Related("store_cableversion v JOIN store_release r ON r.id = v.release_id", "v.cable_id", "r.name")


@register
class Ref(RelatedFilter):
    name, about, examples = "ref", "cables citing an id", ("06ALMATY1450",)
    related = Related("store_referenceedge e", "e.citing_id", "e.cited_id")

    def normalise(self, value: str) -> str:
        canonical = canonical_id(value)
        if not is_valid_id(canonical):
            raise QueryError(f"ref:{value} is not a reference id (like 06ALMATY1450)")
        return canonical


@register
class Subject(SearchFilter):
    """Words of the subject line: part of the full-text query (:mod:`.query` makes them words
    and phrases marked subject-only), so it has no condition of its own."""

    name, about, examples = "subject", "words of the subject only", ('"human rights"',)
    words = True


@register
class Marking(RelatedFilter):
    name, about, examples = "marking", "a paragraph marking", ("S", "C/NF")
    related = Related("store_paragraph p", "p.cable_id", "upper(p.marking)")

    def normalise(self, value: str) -> str:
        return value.upper()
