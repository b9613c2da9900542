"""The archive by station: the posts ids are made of (``ASTANA`` in ``06ASTANA38``), how many of
their cables the archive holds, how many the known-id list names, and which of those were never
released.

Read-side, like :mod:`.queries` and :mod:`.browse`. A station is the letters of a canonical id
between its two-digit year and its serial (:func:`cables.ids.split_canonical_id`), so the counts
group on that part of the id in SQL (``rtrim(substr(id, 3), digits)``, the same on both
backends); ``using`` None reads where the request reads (:func:`.routing.read_alias`); one
station's ids are read through the known-id table's primary key, one range per
year (``06ASTANA0`` ≤ id < ``06ASTANA:``, the character after the digits), never by scanning
the 250,000 known ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections

from ..ids import ID_STATIONS, full_year, split_canonical_id
from .routing import read_alias

_STATION_OF = "rtrim(substr({column}, 3), '0123456789')"


@dataclass(frozen=True)
class StationCount:
    station: str
    cables: int          # archived
    known: int           # in the known-id list
    not_released: int    # in the list, not archived


def station_counts(using: str | None = None) -> list[StationCount]:
    """Every station that some archived cable or known id has, by name. Three grouped reads
    (cables, known ids, known ids without a cable): a few hundred milliseconds on the full list,
    so callers keep the answer (the API's responses are kept per archive generation)."""
    of_cable = _STATION_OF.format(column="c.canonical_id")
    of_known = _STATION_OF.format(column="k.canonical_id")
    with connections[using or read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT {of_cable}, count(*) FROM store_cable c GROUP BY 1")
        cables = dict(cursor.fetchall())
        cursor.execute(f"SELECT {of_known}, count(*) FROM store_knownid k GROUP BY 1")
        known = dict(cursor.fetchall())
        cursor.execute(f"SELECT {of_known}, count(*) FROM store_knownid k WHERE NOT EXISTS "
                       "(SELECT 1 FROM store_cable c WHERE c.canonical_id = k.canonical_id) GROUP BY 1")
        missing = dict(cursor.fetchall())
    names = sorted(s for s in set(cables) | set(known) if s)
    return [StationCount(s, cables.get(s, 0), known.get(s, 0), missing.get(s, 0)) for s in names]


def is_station(station: str, using: str | None = None) -> bool:
    """Whether ``station`` (upper case) names a post of the ids: one the ids' grammar knows, or
    one some archived cable's id has (an archive of another collection)."""
    if station in ID_STATIONS:
        return True
    if not station.isalpha() or not station.isascii():
        return False
    with connections[using or read_alias()].cursor() as cursor:
        condition, params = _ranges("canonical_id", station)
        cursor.execute(f"SELECT 1 FROM store_cable WHERE {condition} LIMIT 1", params)
        return cursor.fetchone() is not None


@dataclass(frozen=True)
class KnownId:
    reference_id: str
    month: str | None    # YYYY-MM, when the list gives it


def not_released(station: str, using: str | None = None) -> list[KnownId]:
    """The ids of ``station`` in the known-id list that no archived cable has, oldest first (by
    year, then serial): the cables the collection had and nobody has seen."""
    condition, params = _ranges("k.canonical_id", station)
    with connections[using or read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT k.canonical_id, k.month FROM store_knownid k WHERE ({condition}) "
                       "AND NOT EXISTS (SELECT 1 FROM store_cable c WHERE c.canonical_id = k.canonical_id)",
                       params)
        rows = cursor.fetchall()
    found = []
    for reference_id, month in rows:
        parts = split_canonical_id(reference_id)
        if parts is not None and parts[1] == station:
            found.append(((full_year(parts[0]), parts[2]), KnownId(reference_id, month or None)))
    return [known for _, known in sorted(found, key=lambda pair: pair[0])]


def _ranges(column: str, station: str) -> tuple[str, list[str]]:
    """``column`` holds an id of ``station``: one primary-key range per two-digit year."""
    years = [f"{year:02d}" for year in range(100)]
    condition = " OR ".join([f"({column} >= %s AND {column} < %s)"] * len(years))
    return condition, [bound for y in years for bound in (f"{y}{station}0", f"{y}{station}:")]
