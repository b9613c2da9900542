"""What a cable page shows of the archive, rendered once per version and kept in the archive's
database, so that a page nobody asked for since the last release costs a lookup, not a render.

The page cache (:mod:`.pagecache`) keeps rendered parts per instance and loses them all at every
write of an ingest (its keys hold the archive's generation). A render kept here is shared by every
instance of the site and outlives an ingest for every cable the ingest did not touch:

- a render is kept under the archive's generation it was made in (:mod:`cables.store.generation`;
  or under the earlier one whose renders that generation uses, see below), the cable's latest
  version, its releases (first, last, removed in: a release moves them on for unchanged cables
  too), the site's address and the code's version (:data:`.pagecache.CODE_VERSION`); any of them
  different, the render is not used. So a write this module is not told about leaves no render
  older than the data;
- around each write of ``cables ingest`` (the reference tables loaded when they add anything,
  the release opened, each batch, the release finished), :class:`Carry` lets the archive's new
  generation use the renders of the one the write replaced, except those the write may have
  changed: those of the cables it changed (a batch's new versions; a full release's removals,
  though only a cable's own page says it was removed), and every render that shows one of them
  or is within two REF steps of one (a page shows the cables it cites, those citing it and its
  reference graph, two steps either way: a new cable citing an archived one is in no render yet,
  but two REF steps from those it will appear in). A render records the ids it shows
  (:class:`RenderUse`), which finds the pages that showed a cable by a REF item the new version
  dropped, and those listing an id the known-id list now holds as "not released". A write that
  changes the station names pages show (a routing table, or the names learned from cables)
  carries nothing. Opening a release changes no page: a page names the releases its cable and
  its versions are in, never the archive's others.
- carrying costs what the write changed, not what is kept: the renders stay under the generation
  they were made in, and :class:`CarriedGeneration` says which generation's renders the archive's
  present one uses (rewriting the generation of every kept render took ~44 µs a render on the
  mirror: some 11 s a write at 250,000 renders, and an ingest writes once a batch).

Filled on first visit, by ``cables serve --warm`` (visits over HTTP) or ahead of any visit by
``cables render`` (:mod:`.prerender`); ``CABLES_VERSION_RENDERS=off`` turns it off.
What is kept is what the page shows for every reader: the discussion, the CSRF token and the
reader's messages stay outside it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable

from django.db import DatabaseError, connections, models, transaction

from ..store import compression, generation
from ..store.routing import PRIMARY, read_alias
from .pagecache import CODE_VERSION, archive_generation

CHUNK = 500
RENDER_LEVEL = 1


class VersionRender(models.Model):
    """A cable's page as the archive gives it, rendered (one row per cable: its latest render)."""

    cable_id = models.BigIntegerField(primary_key=True)
    version_id = models.BigIntegerField()
    key = models.CharField(max_length=64)  # code, site address, releases (see _key)
    generation = models.CharField(max_length=64, db_index=True)
    parts = models.BinaryField()

    class Meta:
        app_label = "web"


class CarriedGeneration(models.Model):
    """An archive generation whose kept renders are those kept under an earlier one
    (``renders_of``): the writes between them changed none of the renders left there
    (:class:`Carry`). A generation without a row uses the renders kept under itself."""

    generation = models.CharField(max_length=64, primary_key=True)
    renders_of = models.CharField(max_length=64)

    class Meta:
        app_label = "web"


class RenderUse(models.Model):
    """A cable id a kept render shows (its references, the cables citing it, its graph)."""

    render_cable_id = models.BigIntegerField(db_index=True)
    shows = models.CharField(max_length=64, db_index=True)

    class Meta:
        app_label = "web"


def enabled() -> bool:
    return os.environ.get("CABLES_VERSION_RENDERS", "on").lower() not in ("off", "0", "false", "no")


def _key(cable, site_url: str) -> str:
    text = "\x1f".join(str(p) for p in (CODE_VERSION, site_url, cable.first_release_id,
                                        cable.last_release_id, cable.removed_in_id))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


# The generation whose renders generation %s uses (the same parameter twice).
RENDERS_OF = (f"coalesce((SELECT renders_of FROM {CarriedGeneration._meta.db_table} "
              "WHERE generation = %s), %s)")


def stored_version(cable, site_url: str, current: str):
    """The kept render of the cable's latest version for generation ``current``, or None."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT parts FROM {VersionRender._meta.db_table} WHERE cable_id = %s "
                       f"AND version_id = %s AND key = %s AND generation = {RENDERS_OF}",
                       [cable.pk, cable.latest_version_id, _key(cable, site_url), current, current])
        row = cursor.fetchone()
    return None if row is None else pickle.loads(compression.decompress(bytes(row[0])))


def render_version(request, cable, site_url: str,
                   render: Callable[[], tuple[object, Iterable[str]]]):
    """The parts of the cable's page: kept, or ``render()`` (parts, ids it shows) then kept,
    under the archive's generation as ``request`` read it."""
    if not enabled():
        return render()[0]
    current = archive_generation(request)
    parts = stored_version(cable, site_url, current)
    if parts is not None:
        return parts
    parts, shows = render()
    _keep(cable, site_url, current, parts, shows)
    return parts


def current_renders(cables_and_urls: Iterable[tuple[object, str]], current: str) -> set[int]:
    """The ids of the cables (each given with its page's address) whose render is kept for their
    latest version under generation ``current``: :func:`stored_version` would give it. One query
    for them all (``cables render`` asks it of each chunk of cables it goes through)."""
    wanted = {cable.pk: (cable.latest_version_id, _key(cable, url)) for cable, url in cables_and_urls}
    found: set[int] = set()
    for chunk in _chunks(sorted(wanted)):
        with connections[read_alias()].cursor() as cursor:
            cursor.execute(f"SELECT cable_id, version_id, key FROM {VersionRender._meta.db_table} "
                           f"WHERE generation = {RENDERS_OF} "
                           f"AND cable_id IN ({', '.join(['%s'] * len(chunk))})",
                           [current, current, *chunk])
            found.update(pk for pk, version, key in cursor.fetchall() if wanted[pk] == (version, key))
    return found


def count_current(current: str) -> int:
    """How many renders generation ``current`` uses, for whichever site address and release
    they were made (what :func:`current_renders` would then check)."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {VersionRender._meta.db_table} "
                       f"WHERE generation = {RENDERS_OF}", [current, current])
        return cursor.fetchone()[0]


def _keep(cable, site_url: str, made_in: str, parts, shows: Iterable[str]) -> None:
    """Keep a first visit's render. A failure (the archive locked by an ingest, a read-only
    database) costs the next visit a render, never this page."""
    keep_renders(made_in, [(cable, site_url, parts, shows)])


def keep_renders(made_in: str, renders: Iterable[tuple[object, str, object, Iterable[str]]]
                 ) -> tuple[int, str | None]:
    """Keep renders made under generation ``made_in``, each (cable, its page's address, parts,
    ids it shows), in one transaction; unless the archive has moved on since they were read (an
    ingest's batch committed meanwhile: a render may show either side of it). Returns how many
    were kept and, when not all, why not; never raises for the database (locked by an ingest,
    read-only)."""
    # Zstandard at level 1: a render is 20-150 kB of markup, which zlib took ~0.5 ms to pack, a
    # tenth of a first visit (a render packed by other code is never read: the key holds the
    # code's version)
    packed = [(cable, site_url, compression.compress(pickle.dumps(parts, pickle.HIGHEST_PROTOCOL),
                                                     RENDER_LEVEL), shows)
              for cable, site_url, parts, shows in renders]
    table, uses = VersionRender._meta.db_table, RenderUse._meta.db_table
    kept = 0
    try:
        with transaction.atomic(using=PRIMARY), connections[PRIMARY].cursor() as cursor:
            under = _renders_of(cursor, made_in)  # where made_in's renders are kept
            for cable, site_url, data, shows in packed:
                cursor.execute(f"DELETE FROM {uses} WHERE render_cable_id = %s", [cable.pk])
                cursor.execute(
                    f"INSERT INTO {table} (cable_id, version_id, key, generation, parts) "
                    f"SELECT %s, %s, %s, %s, %s WHERE %s = (SELECT generation FROM {generation.TABLE} "
                    "WHERE id = 1) ON CONFLICT (cable_id) DO UPDATE SET version_id = excluded.version_id, "
                    "key = excluded.key, generation = excluded.generation, parts = excluded.parts",
                    [cable.pk, cable.latest_version_id, _key(cable, site_url), under, data, made_in])
                if cursor.rowcount:
                    kept += 1
                    cursor.executemany(f"INSERT INTO {uses} (render_cable_id, shows) VALUES (%s, %s)",
                                       [(cable.pk, ref) for ref in sorted(set(shows))])
    except DatabaseError as error:
        return 0, failure_reason(error)
    if kept < len(packed):
        return kept, "the archive changed while they were rendered (an ingest wrote meanwhile)"
    return kept, None


def failure_reason(error: BaseException) -> str:
    """An error as one line: its kind and the first line of its message."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


def _renders_of(cursor, current: str) -> str:
    cursor.execute(f"SELECT {RENDERS_OF}", [current, current])
    return cursor.fetchone()[0]


def forget_all(using: str = PRIMARY) -> None:
    with transaction.atomic(using=using):
        RenderUse.objects.using(using).all().delete()
        VersionRender.objects.using(using).all().delete()
        CarriedGeneration.objects.using(using).all().delete()


class Carry:
    """Told of each write ``cables ingest`` makes (:class:`cables.ingest.run.Writes`, and the
    reference tables it loads): the renders the write left as they were serve the archive's new
    generation too (see the module's docstring)."""

    def __init__(self, using: str = PRIMARY):
        self.using = using
        self.seen: str | None = None
        self.stations = ""

    def before(self) -> None:
        """Right before the write: the generation it will replace."""
        self.seen = generation.current(self.using)
        self.stations = _station_digest(self.using)

    def after(self, changed: Iterable[int] = (), now_known: Iterable[str] = ()) -> str | None:
        """After the write's commit. ``changed``: the row ids of the cables it changed;
        ``now_known``: the cited ids it made known (a REF item naming one now reads "not
        released"). Nothing is carried unless :meth:`before` saw the generation the write
        replaced, nor when the write changed the station names pages show. Returns why the
        renders could not be carried (the archive locked past SQLite's wait…), else None: the
        ingest goes on, and the renders are then made again (a carry is one transaction, so a
        failed one carries none)."""
        before, self.seen = self.seen, None
        if before is None:
            return None
        try:
            now = generation.current(self.using)
            if now != before and _station_digest(self.using) == self.stations:
                self._carry(set(changed), set(now_known), before, now)
        except DatabaseError as error:
            return failure_reason(error)
        return None

    def _carry(self, changed: set[int], now_known: set[str], before: str, now: str) -> None:
        from ..store.models import Cable

        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            kept_under = _renders_of(cursor, before)
            cursor.execute(f"SELECT 1 FROM {VersionRender._meta.db_table} WHERE generation = %s "
                           "LIMIT 1", [kept_under])
            if cursor.fetchone() is None:
                return
            shown = set(now_known)
            for chunk in _chunks(sorted(changed)):
                shown.update(Cable.objects.using(self.using).filter(id__in=chunk)
                             .values_list("canonical_id", flat=True))
            stale = _within_two_steps(changed, self.using)
            for chunk in _chunks(sorted(shown)):
                stale.update(RenderUse.objects.using(self.using).filter(shows__in=chunk)
                             .values_list("render_cable_id", flat=True))
            for chunk in _chunks(sorted(stale)):
                VersionRender.objects.using(self.using).filter(cable_id__in=chunk).delete()
                RenderUse.objects.using(self.using).filter(render_cable_id__in=chunk).delete()
            carried = CarriedGeneration.objects.using(self.using)
            carried.exclude(generation=before).delete()  # generations no reader asks for now
            carried.update_or_create(generation=now, defaults={"renders_of": kept_under})


def _within_two_steps(cable_ids: set[int], using: str) -> set[int]:
    """The cables two REF steps (either way) from ``cable_ids``, themselves included."""
    from django.db.models import Q

    from ..store.models import ReferenceEdge

    reached = set(cable_ids)
    frontier = set(cable_ids)
    for _ in range(2):
        found: set[int] = set()
        for chunk in _chunks(sorted(frontier)):
            for citing, cited in (ReferenceEdge.objects.using(using)
                                  .filter(Q(citing_id__in=chunk) | Q(cited_cable_id__in=chunk))
                                  .values_list("citing_id", "cited_cable_id")):
                found.update(x for x in (citing, cited) if x is not None)
        frontier = found - reached
        reached |= found
    return reached


def _station_digest(using: str) -> str:
    """The station names pages show for routes a record leaves unnamed: the best name of each
    route (the routing table's, else the one learned from the most cables)."""
    from ..store.models import Station
    from ..store.queries import station_names

    routes = list(Station.objects.using(using).values_list("route", flat=True).distinct())
    digest = hashlib.blake2b(digest_size=16)
    for route, name in sorted(station_names(routes).items()):
        digest.update(f"{route}\x1f{name}\x1e".encode())
    return digest.hexdigest()


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]
