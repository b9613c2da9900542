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

A filter may also have an *index form* (:meth:`SearchFilter.index_form`): the same selection
in the ranking index (:mod:`.index`), as terms of a keyword field or ranges of an integer field,
with what each cable holds in that field (:meth:`SearchFilter.index_values`, or the filter's
related rows read by the index itself). A query whose filters all have one is answered by the
ranking index; one filter without (``origin:``, a substring of the origin's name) sends the query
to the SQL path.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
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

    # --- the ranking index (:mod:`.index`) ---
    index_field: ClassVar[str | None] = None  # the keyword or integer field of its index form

    def index_form(self, values: list[str]) -> IndexForm | None:
        """The checked ``values`` as the ranking index selects them; None: it cannot (the query
        goes to the SQL path)."""
        return None

    def index_values(self, cable: dict) -> list | None:
        """What a cable holds in :attr:`index_field`, from its store_cable row (a dict by column
        name); None when the column it reads is NULL (see :attr:`IndexForm.present`). Filters on
        related rows get theirs from those rows (:meth:`RelatedFilter.related_values`)."""
        return None


@dataclass(frozen=True)
class IndexForm:
    """A filter's values as the ranking index selects them: a cable holding any of ``terms`` in
    the keyword field ``field``, or (``ranges``) whose integer ``field`` lies in any of the
    half-open ranges ``[low, high)`` (None: unbounded). ``present``: negated, the filter also
    leaves out the cables whose column is NULL (:meth:`SearchFilter.index_values` None), as
    SQL's ``NOT (column …)`` does."""

    field: str
    terms: tuple[str, ...] = ()
    ranges: tuple[tuple[int | None, int | None], ...] = ()
    present: bool = False


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

    @property
    def index_field(self) -> str:  # type: ignore[override]
        return self.name

    def index_form(self, values: list[str]) -> IndexForm:
        """The values compared as the SQL compares them (``{value} IN (…)``), equal terms: the
        index holds, per cable, the very ``related.value`` of its rows (:meth:`related_values`)."""
        return IndexForm(self.name, terms=tuple(values))

    def related_values(self, cable_ids: list[int]) -> tuple[str, list]:
        """``SELECT cable, value`` of the related rows of ``cable_ids``: what the index holds."""
        r = self.related
        marks = ", ".join(["%s"] * len(cable_ids))
        return (f"SELECT {r.cable}, {r.value} FROM {r.source} WHERE {r.cable} IN ({marks}) "
                f"AND {r.value} IS NOT NULL", list(cable_ids))


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

    index_field = "classification_is"

    def index_form(self, values: list[str]) -> IndexForm:
        return IndexForm(self.index_field, terms=tuple(values), present=True)

    def index_values(self, cable: dict) -> list | None:
        """The values of this filter selecting the cable: its classification against each
        pattern, as SQLite's LIKE reads it (``%`` any run, ASCII letters in either case)."""
        value = cable.get("classification")
        if value is None:
            return None
        return [name for name, pattern in _CLASSIFICATION_PATTERNS.items() if _like(value, pattern)]

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


def _like(value: str, pattern: str) -> bool:
    return _like_regex(pattern).fullmatch(value) is not None


@lru_cache(maxsize=64)
def _like_regex(pattern: str) -> re.Pattern:
    """A LIKE pattern as a regex, made once (each indexed cable is matched against each pattern)."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("%")), re.I | re.S)


_DATE_TIME = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}))?)?)?")


def _civil_days(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a date of the proleptic Gregorian calendar."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def minutes(value: str | None) -> int | None:
    """A stored date (``2006-01-15T12:30``, or a part of it) as minutes since 1970: an integer
    the ranking index orders and compares as SQL orders these strings. None when it is not one."""
    m = _DATE_TIME.fullmatch(value or "")
    if m is None:
        return None
    y, mo, d, h, mi = (int(g) if g else 0 for g in m.groups())
    if not (1 <= (mo or 1) <= 12 and 1 <= (d or 1) <= 31 and h < 24 and mi < 60):
        return None
    return (_civil_days(y, mo or 1, d or 1) * 24 + h) * 60 + mi


def _period(value: str) -> tuple[int, int] | None:
    """The minutes ``[start, end)`` of a year, month or day as a filter names it; None for a
    day the calendar lacks (2006-02-31: the SQL compares it as a string, the SQL path answers)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        import datetime as dt

        try:
            day = dt.date(*parts)
        except ValueError:
            return None
        end = day + dt.timedelta(days=1)
        return minutes(day.isoformat()), minutes(end.isoformat())
    return minutes(value), minutes(next_date(value))


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

    @property
    def index_field(self) -> str:  # type: ignore[override]
        return self.column.split(".")[-1]

    def index_range(self, start: int, end: int) -> tuple[int | None, int | None]:
        """The range :meth:`one` selects, given the period's minutes ``[start, end)``."""
        return start, end

    def index_form(self, values: list[str]) -> IndexForm | None:
        ranges = []
        for v in values:
            period = _period(v)
            if period is None:
                return None
            ranges.append(self.index_range(*period))
        return IndexForm(self.index_field, ranges=tuple(ranges), present=True)

    def index_values(self, cable: dict) -> list | None:
        value = cable.get(self.index_field)
        if value is None:
            return None
        found = minutes(value)
        return [] if found is None else [found]


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

    def index_range(self, start: int, end: int) -> tuple[int | None, int | None]:
        return start, None


@register
class To(DateFilter):
    name, about, examples = "to", "created on or before", ("2006-06-30",)

    def one(self, value: str) -> tuple[str, list]:
        return f"{self.column} < %s", [next_date(value)]

    def index_range(self, start: int, end: int) -> tuple[int | None, int | None]:
        return None, end


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
