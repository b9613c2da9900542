"""What the archive records: releases, cables and their versions, and what was read out of them.

A ``Cable`` row is the current state of one cable: the latest version's fields as columns where
search, browsing or the web app filter or sort on them. Every distinct parsed record it ever had
is a ``CableVersion``, stored whole and compressed (``data``: see :mod:`.versions`), with its
hashes and change kind as columns; the latest one is the record ``cables show`` prints. Tags,
paragraphs, addressees and reference edges are those of the latest version: the writer replaces
them when a new version arrives. The text lives in two places only: packed in the versions, and
the latest version's numbered paragraphs (``Paragraph.text``, for ¶ permalinks and snippets).
The full-text index of the cables (subject and body) lives outside the models (see
:mod:`.fts_sqlite` and :mod:`.fts_postgres`); the writer keeps it in step, in the same
transaction as the rows.

Filters are named once, as QuerySet methods (``Cable.objects.by_ref(id)``, ``.cites(id)``,
``.cited_by(id)``, ``Release.objects.ordered()``), and reused by the CLI, the web app and the tests.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils.module_loading import import_string

from ..ids import canonical_id
from ..record import Cable as CableRecord
from .versions import unpack_record


class ReleaseQuerySet(models.QuerySet):
    def ordered(self) -> ReleaseQuerySet:
        """Releases in the order they were ingested (the order of the builds)."""
        return self.order_by("order")

    def named(self, name: str) -> Release | None:
        return self.filter(name=name).first()


class Release(models.Model):
    """One build of the collection (a torrent mirror, a dump…), ingested under a name.

    ``full``: the build lists every cable of its day, so a cable archived earlier and missing
    from it was removed (see ``Removal``).
    """

    name = models.TextField(unique=True)
    order = models.PositiveIntegerField(unique=True)
    source = models.TextField(blank=True, default="")
    full = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class CableQuerySet(models.QuerySet):
    def by_ref(self, reference_id: str) -> CableQuerySet:
        """The cable an id in any written form names (``06astana038`` finds ``06ASTANA38``)."""
        return self.filter(canonical_id=canonical_id(reference_id))

    def cites(self, reference_id: str) -> CableQuerySet:
        """The archived cables that ``reference_id`` cites (its REF list, resolved)."""
        return self.filter(cited_by_edges__citing__canonical_id=canonical_id(reference_id)).distinct()

    def cited_by(self, reference_id: str) -> CableQuerySet:
        """The archived cables whose REF list cites ``reference_id``."""
        return self.filter(edges__cited_id=canonical_id(reference_id)).distinct()

    def current(self) -> CableQuerySet:
        """Cables not removed by a later full release."""
        return self.filter(removed_in__isnull=True)

    def removed(self) -> CableQuerySet:
        return self.filter(removed_in__isnull=False)

    def in_release(self, release: Release) -> CableQuerySet:
        return self.filter(memberships__release=release)


class Cable(models.Model):
    canonical_id = models.TextField(unique=True)
    reference_id = models.TextField()
    created = models.TextField(null=True, blank=True, db_index=True)
    released = models.TextField(null=True, blank=True, db_index=True)
    classification = models.TextField(null=True, blank=True, db_index=True)
    origin = models.TextField(null=True, blank=True, db_index=True)
    subject = models.TextField(null=True, blank=True)
    precedence = models.TextField(null=True, blank=True)
    partial = models.BooleanField(default=False)
    first_release = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_release = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_in = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latest_version = models.ForeignKey(
        "CableVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.ManyToManyField("Tag", through="CableTag", related_name="cables")

    objects = CableQuerySet.as_manager()

    class Meta:
        ordering = ["canonical_id"]

    def __str__(self) -> str:
        return self.canonical_id

    def record(self) -> CableRecord:
        """The latest parsed record, as the parser gave it."""
        return self.latest_version.to_record()


class CableVersionQuerySet(models.QuerySet):
    def of(self, reference_id: str) -> CableVersionQuerySet:
        """The versions of one cable, oldest first."""
        return self.filter(cable__canonical_id=canonical_id(reference_id)).order_by("number")

    def in_release(self, release: Release) -> CableVersionQuerySet:
        """The versions a release first showed (new cables and changed ones)."""
        return self.filter(release=release)


class CableVersion(models.Model):
    """One distinct parsed record of a cable; ``number`` counts from 1.

    ``change`` tells what differed from the version before: the cable is ``new``, its metadata
    (any structured field), its ``text`` (the body), or both. ``content_hash`` hashes the record
    minus volatile keys (see :mod:`.versions`); ``metadata_hash`` and ``text_hash`` its two halves.
    ``data`` is the whole record (body, raw header and body, paragraphs…), packed by
    :func:`.versions.pack`: ``to_record()`` gives the parser's record back.
    """

    NEW, METADATA, TEXT, BOTH = "new", "metadata", "text", "metadata+text"
    CHANGES = [(NEW, "new"), (METADATA, "metadata"), (TEXT, "text"), (BOTH, "metadata+text")]

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=16, choices=CHANGES)
    content_hash = models.TextField()
    metadata_hash = models.TextField()
    text_hash = models.TextField()
    data = models.BinaryField()
    release = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )
    source = models.TextField(blank=True, default="")
    stored = models.DateTimeField(auto_now_add=True)

    objects = CableVersionQuerySet.as_manager()

    class Meta:
        ordering = ["cable", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cable", "number"], name="store_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cable_id} v{self.number}"

    def to_record(self) -> CableRecord:
        """The record as parsed; one packed before records had a layout gets it derived from its
        text by the filler the settings name (``CABLES_RECORD_FILLER``)."""
        return stored_record(self.data)


def stored_record(packed: bytes) -> CableRecord:
    """The record a version's packed ``data`` holds, completed as :meth:`CableVersion.to_record`
    completes it: for readers of many versions at once, by rows rather than models (``cables
    export``)."""
    return _record_filler()(unpack_record(packed))


@cache
def _record_filler():
    """What completes a record packed by an older version (``CABLES_RECORD_FILLER``, a dotted
    path): the store cannot derive a layout itself (that is the parser's knowledge, and the store
    sits below the layers that read text), so the settings wire in the one that can —
    :func:`cables.ingest.layout.with_layout`. Without one, records are returned as packed."""
    path = getattr(settings, "CABLES_RECORD_FILLER", None)
    return import_string(path) if path else _as_packed


def _as_packed(record: CableRecord) -> CableRecord:
    return record


class ReleaseCable(models.Model):
    """A cable was in a release, as this version: per-release membership."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="memberships")
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="memberships")
    version = models.ForeignKey(CableVersion, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "cable"], name="store_release_cable_unique"),
        ]


class Removal(models.Model):
    """A full release no longer listed a cable that an earlier release had shown."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="removals")
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="removals")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "cable"], name="store_removal_unique"),
        ]


class Tag(models.Model):
    """A TAGS code (``PGOV``, ``KZ``, ``KDEM``…), its kind and, where known, its meaning."""

    code = models.TextField(unique=True)
    kind = models.TextField(blank=True, default="")
    meaning = models.TextField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class CableTag(models.Model):
    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="cable_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="cable_tags")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["cable", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cable", "tag"], name="store_cable_tag_unique"),
        ]


class Paragraph(models.Model):
    """A numbered paragraph of a cable's latest version: ¶ permalinks, the snippet of a search hit
    (the paragraph that matches best, picked at query time) and ``marking:`` filters."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    marking = models.TextField(null=True, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["cable", "position"]
        # ``marking:`` matches case-insensitively (the text has ``c`` beside ``C``): the index is on
        # the upper-cased marking, as the search filter writes it.
        indexes = [models.Index(Upper("marking"), F("cable"), name="store_paragraph_upper_marking")]


class Addressee(models.Model):
    """One FM/TO/INFO line of the latest version's header."""

    FROM, TO, INFO = "from", "to", "info"
    ROLES = [(FROM, "from"), (TO, "to"), (INFO, "info")]

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="addressees")
    role = models.CharField(max_length=4, choices=ROLES)
    position = models.PositiveIntegerField()
    route = models.TextField(null=True, blank=True, db_index=True)
    name = models.TextField()
    precedence = models.TextField(null=True, blank=True)
    serial = models.TextField(null=True, blank=True)
    station = models.TextField(null=True, blank=True)

    class Meta:
        ordering = ["cable", "position"]


class ReferenceEdgeQuerySet(models.QuerySet):
    def cables(self) -> ReferenceEdgeQuerySet:
        """Edges to cable ids (REF items that are e-mails, telcons or memos have no id)."""
        return self.filter(cited_id__isnull=False)

    def from_cable(self, reference_id: str) -> ReferenceEdgeQuerySet:
        return self.filter(citing__canonical_id=canonical_id(reference_id))

    def to_cable(self, reference_id: str) -> ReferenceEdgeQuerySet:
        return self.filter(cited_id=canonical_id(reference_id))


class ReferenceEdge(models.Model):
    """A REF item of a cable's latest version: citing cable → cited id.

    ``status`` says where the cited id stands: ``archived`` (a cable of the archive, then
    ``cited_cable`` points to it), ``known`` (in the loaded known-id list, not released) or
    ``unknown``. It is recomputed when cables or known ids arrive (:func:`.writer.resolve_references`).
    """

    ARCHIVED, KNOWN, UNKNOWN = "archived", "known", "unknown"
    STATUSES = [(ARCHIVED, "archived"), (KNOWN, "known, not released"), (UNKNOWN, "unknown")]

    citing = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="edges")
    position = models.PositiveIntegerField()
    cited_id = models.TextField(null=True, blank=True, db_index=True)
    label = models.TextField(null=True, blank=True)
    citation = models.TextField(blank=True, default="")
    kind = models.TextField(blank=True, default="")
    cited_cable = models.ForeignKey(
        Cable, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by_edges"
    )
    status = models.CharField(max_length=8, choices=STATUSES, default=UNKNOWN, db_index=True)

    objects = ReferenceEdgeQuerySet.as_manager()

    class Meta:
        ordering = ["citing", "position"]


class KnownId(models.Model):
    """An id of the known-id list (cable2month: every id of the full collection) and its month."""

    canonical_id = models.TextField(primary_key=True)
    month = models.TextField(null=True, blank=True)


class Station(models.Model):
    """A routing indicator and a station name: from a loaded table or learned from DE lines."""

    TABLE, LEARNED = "table", "learned"
    SOURCES = [(TABLE, "routing table"), (LEARNED, "learned from cables")]

    route = models.TextField(db_index=True)
    name = models.TextField()
    source = models.CharField(max_length=8, choices=SOURCES)
    cables = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["route", "source", "name"]
        constraints = [
            models.UniqueConstraint(fields=["route", "name", "source"], name="store_station_unique"),
        ]


class IngestRun(models.Model):
    """One ``cables ingest`` run: its sources, release and counts."""

    source = models.TextField(blank=True, default="")
    release = models.ForeignKey(Release, null=True, blank=True, on_delete=models.SET_NULL)
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    new = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)


class IngestLogQuerySet(models.QuerySet):
    def failures(self) -> IngestLogQuerySet:
        return self.filter(outcome=IngestLog.FAILED)


class IngestLog(models.Model):
    """What became of one cable (or one file that gave none) in an ingest run."""

    NEW, CHANGED, UNCHANGED, FAILED = "new", "changed", "unchanged", "failed"
    OUTCOMES = [(NEW, "new"), (CHANGED, "changed"), (UNCHANGED, "unchanged"), (FAILED, "failed")]

    run = models.ForeignKey(IngestRun, null=True, blank=True, on_delete=models.CASCADE,
                            related_name="log")
    source = models.TextField(blank=True, default="")
    file = models.TextField(blank=True, default="")
    canonical_id = models.TextField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=OUTCOMES)
    error = models.TextField(null=True, blank=True)
    time = models.DateTimeField(auto_now_add=True)

    objects = IngestLogQuerySet.as_manager()


class ArchiveState(models.Model):
    """One row: the archive's generation, a token every write changes, and when it last changed
    (see :mod:`.generation`)."""

    generation = models.TextField()
    changed = models.DateTimeField(null=True, blank=True)
