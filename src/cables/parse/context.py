"""Reference tables the parser is given: routing indicators and the universe of known ids.

They are inputs a user points the tool at (``sources.tables`` loads them from files); the parser
never reads files itself. Without them everything works, less enriched: routes stay undecoded and
REF citations resolve by the citing cable's year alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate

from ..ids import canonical_station, full_year, split_canonical_id

Reach = Mapping[tuple[int, str], tuple[int, ...]]


@dataclass(frozen=True)
class ParseContext:
    routes: Mapping[str, str] = field(default_factory=dict)
    """Routing indicator → station name (``RUEHC`` → ``SECSTATE WASHDC``)."""
    known_ids: Set[str] = frozenset()
    """Canonical reference ids known to exist (released or not)."""
    serial_reach: Reach = field(default_factory=dict)
    """(year, station) → how far its serials had run by the end of each month (see
    :func:`serial_reach`); empty when the known ids came without their months."""

    @cached_property
    def route_stations(self) -> frozenset[str]:
        """The stations the routing table names, as ids spell them (``AMEMBASSY TUNIS`` →
        ``TUNIS``): stations known beyond those of the ids. Made on first use: only an input
        whose id is read from its text, or whose id names an unknown station, asks."""
        return frozenset(map(canonical_station, self.routes.values()))


def serial_reach(months: Mapping[str, int | None]) -> dict[tuple[int, str], tuple[int, ...]]:
    """(year, station) → twelve numbers: the highest serial of that station's known ids dated
    that month or before, from ``{canonical id: month}`` (``cable2month.csv``, canonicalised).

    Serials run up through a year, so this says whether a station had reached a serial by a
    date: ``STATE 70837`` cited in September 2009 is of 2009 (the Department was past 90,000 by
    then), ``BRASILIA 855`` cited in April 2009 of 2008 (Brasilia had reached about 530).
    """
    highest: dict[tuple[int, str], list[int]] = {}
    for ref, month in months.items():
        if not month or not 1 <= month <= 12:
            continue
        parsed = split_canonical_id(ref)
        if parsed is None:
            continue
        row = highest.setdefault((full_year(parsed[0]), parsed[1]), [0] * 12)
        row[month - 1] = max(row[month - 1], parsed[2])
    return {key: tuple(accumulate(row, max)) for key, row in highest.items()}


EMPTY_CONTEXT = ParseContext()
