"""The write API on both backends: store, re-store (no-op), versions and their change kinds,
atomic batches, releases and removed cables. Real corpus cables throughout."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import cable

from cables.store import writer
from cables.store.models import (
    Addressee, Cable, CableTag, CableVersion, IngestLog, Paragraph, ReferenceEdge, Release,
    ReleaseCable, Removal, Station, Tag,
)

BATCH = ["06ASTANA38", "06BOGOTA3049", "03ANKARA3694", "03ANKARA2521", "04BRASILIA572",
         "04BRASILIA458"]
COUNTED = [Cable, CableVersion, CableTag, Tag, Paragraph, Addressee, ReferenceEdge, Station,
           ReleaseCable, Removal, Release]


def parsed(*ids: str) -> list[tuple[str, object]]:
    return [(f"{i}.html", cable(i)) for i in ids]


def table_counts(using: str) -> dict[str, int]:
    return {m.__name__: m.objects.using(using).count() for m in COUNTED}


def test_store_batch_then_the_same_batch_changes_nothing(store):
    release = writer.open_release("first", using=store)
    first = writer.store_batch(parsed(*BATCH), release, using=store)
    assert first.to_json() == {"new": 6, "changed": 0, "unchanged": 0, "failed": 0}
    before = table_counts(store)
    assert before["Cable"] == 6 and before["CableVersion"] == 6 and before["ReleaseCable"] == 6

    again = writer.store_batch(parsed(*BATCH), release, using=store)
    assert again.to_json() == {"new": 0, "changed": 0, "unchanged": 6, "failed": 0}
    assert table_counts(store) == before
    outcomes = IngestLog.objects.using(store).values_list("outcome", flat=True)
    assert sorted(set(outcomes)) == ["new", "unchanged"]


def test_stored_columns_and_parts_follow_the_record(store):
    writer.store_batch(parsed("06ASTANA38"), using=store)
    row = Cable.objects.using(store).by_ref("06astana038").get()
    record = cable("06ASTANA38")
    assert (row.canonical_id, row.created, row.classification, row.origin, row.subject) == (
        "06ASTANA38", "2006-04-24T03:36", "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        "Embassy Astana", "KAZAKHSTAN: AMBASSADOR DISCUSSES AIG AND TIP WITH JUSTICE MINISTER",
    )
    assert row.record().to_json() == record.to_json()  # the record round-trips
    assert list(row.tags.using(store).order_by("cable_tags__position").values_list("code", flat=True)) == [
        "EFIN", "KCRM", "KDEM", "PGOV", "PREL", "SMIG", "KZ"]
    assert Paragraph.objects.using(store).filter(cable=row).count() == len(record.paragraphs)
    roles = list(Addressee.objects.using(store).filter(cable=row).values_list("role", "route"))
    assert roles[:3] == [("from", "RUEHAST"), ("to", "RUEHC"), ("info", "RUEHTA")]
    assert len(roles) == 1 + len(record.to) + len(record.info)


# (reference id): cables whose raw body differs from the clean one, with warnings, partial…
ROUND_TRIPS = ["06ASTANA38", "06BOGOTA3049", "03ANKARA3694", "04BRASILIA572"]


@pytest.mark.parametrize("reference_id", ROUND_TRIPS)
def test_a_stored_version_gives_back_the_same_record(store, reference_id):
    record = cable(reference_id)
    writer.store_batch([("a", record)], using=store)
    version = CableVersion.objects.using(store).of(reference_id).get()
    assert version.to_record() == record  # every field, raw header and body included
    assert len(version.data) < len(record.dumps().encode()) / 3  # and packed


def _body_change(c):
    return {"body": c.body.replace("Ambassador", "Envoy")}


# (reference id, how the next version differs, expected change kind)
CHANGES = [
    ("06ASTANA38", lambda c: {"classification": "CONFIDENTIAL"}, "metadata"),
    ("06ASTANA38", lambda c: {"released": "2011-09-01T00:00"}, "metadata"),
    ("06ASTANA38", _body_change, "text"),
    ("06BOGOTA3049", lambda c: {"body": c.body + "\nREDACTED"}, "text"),
    ("06BOGOTA3049", lambda c: {"subject": "REDACTED", "body": c.body + "\nREDACTED"}, "metadata+text"),
    # where the record came from is no change of the cable
    ("06BOGOTA3049", lambda c: {"source_format": "csv", "body_raw": c.body_raw + " "}, None),
]


@pytest.mark.parametrize("reference_id, change, kind", CHANGES)
def test_a_changed_record_is_a_new_version_of_the_right_kind(store, reference_id, change, kind):
    original = cable(reference_id)
    changed = dataclasses.replace(original, **change(original))
    writer.store_batch([("v1", original)], using=store)
    counts = writer.store_batch([("v2", changed)], using=store)
    versions = CableVersion.objects.using(store).of(reference_id)
    if kind is None:
        assert counts.unchanged == 1 and versions.count() == 1
        return
    assert counts.changed == 1
    assert [(v.number, v.change) for v in versions] == [(1, "new"), (2, kind)]
    row = Cable.objects.using(store).by_ref(reference_id).get()
    assert row.latest_version_id == versions.last().id
    assert row.record().to_json() == changed.to_json()
    assert row.subject == changed.subject and row.classification == changed.classification


@pytest.mark.parametrize("reference_id", ["06BOGOTA3049", "06ASTANA38"])
def test_a_signer_change_is_stored_and_listed_as_a_text_change(store, reference_id):
    """The signature is read from the text: a new reading of it (``WOOD`` of 06BOGOTA3049,
    ``TRACY`` of 06ASTANA38, with the body unchanged) is a ``text`` version, and the diff of the
    two versions lists ``signers`` with the text, not with the metadata."""
    from cables.store import queries

    original = cable(reference_id)
    assert original.signers
    changed = dataclasses.replace(original, signers=(*original.signers, "SMITH"))
    writer.store_batch([("v1", original)], using=store)
    writer.store_batch([("v2", changed)], using=store)
    versions = CableVersion.objects.using(store).of(reference_id)
    assert [(v.number, v.change) for v in versions] == [(1, "new"), (2, "text")]

    comparison = queries.compare_versions(Cable.objects.using(store).by_ref(reference_id).get())
    assert comparison.metadata == []
    assert comparison.text_fields == [("signers", list(original.signers), list(changed.signers))]


def test_parts_are_replaced_not_added_on_a_new_version(store):
    original = cable("06ASTANA38")
    fewer = dataclasses.replace(original, paragraphs=original.paragraphs[:2],
                                references=original.references[:1], tags=original.tags[:3])
    writer.store_batch([("a", original)], using=store)
    writer.store_batch([("b", fewer)], using=store)
    row = Cable.objects.using(store).by_ref("06ASTANA38").get()
    assert Paragraph.objects.using(store).filter(cable=row).count() == 2
    assert ReferenceEdge.objects.using(store).from_cable("06ASTANA38").count() == 1
    assert CableTag.objects.using(store).filter(cable=row).count() == 3


def test_one_cable_twice_in_a_batch_is_stored_in_order(store):
    original = cable("06BOGOTA3049")
    redacted = dataclasses.replace(original, body=original.body + "\nREDACTED")
    counts = writer.store_batch([("a", original), ("b", redacted), ("c", redacted)], using=store)
    assert (counts.new, counts.changed, counts.unchanged) == (1, 1, 1)
    assert Cable.objects.using(store).by_ref("06BOGOTA3049").get().record().body == redacted.body


def test_two_copies_of_a_cable_in_one_build_are_no_change_the_second_time(store):
    original = cable("06BOGOTA3049")
    redacted = dataclasses.replace(original, body=original.body + "\nREDACTED")
    release = writer.open_release("build", using=store)
    first = writer.store_batch([("a", original), ("b", redacted)], release, using=store)
    assert (first.new, first.changed) == (1, 1)
    again = writer.store_batch([("a", original), ("b", redacted)], release, using=store)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    assert CableVersion.objects.using(store).of("06BOGOTA3049").count() == 2
    later = writer.open_release("later", using=store)  # another build going back is a change
    assert writer.store_batch([("a", original)], later, using=store).changed == 1


def test_a_partial_copy_never_replaces_the_complete_cable(store):
    original = cable("06BOGOTA3049")
    quoted = dataclasses.replace(original, partial=True, body=original.body[:200])
    writer.store_batch([("page", original)], using=store)
    counts = writer.store_batch([("quote", quoted)], using=store)
    assert counts.unchanged == 1
    assert CableVersion.objects.using(store).of("06BOGOTA3049").count() == 1


def test_a_failing_batch_leaves_nothing_behind(store, monkeypatch):
    writer.store_batch(parsed("06ASTANA38"), using=store)
    before = table_counts(store)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_learn_stations", explode)  # after versions and parts are written
    original = cable("06ASTANA38")
    with pytest.raises(RuntimeError):
        writer.store_batch([("x", dataclasses.replace(original, subject="NEW")),
                            *parsed("06BOGOTA3049")], using=store)
    assert table_counts(store) == before
    assert Cable.objects.using(store).by_ref("06ASTANA38").get().subject == original.subject


def test_failures_are_logged_with_their_reason(store):
    run = writer.start_run("mirror.tar.xz", using=store)
    writer.record_failure("cable/2006/01/bad.html", "empty file", source="mirror.tar.xz", run=run,
                          using=store)
    counts = writer.store_batch(parsed("06ASTANA38"), run=run, using=store)
    counts.failed += 1
    writer.finish_run(run, counts, using=store)
    failures = list(IngestLog.objects.using(store).failures().values_list("file", "error"))
    assert failures == [("cable/2006/01/bad.html", "empty file")]
    run.refresh_from_db(using=store)
    assert (run.new, run.failed) == (1, 1) and run.finished is not None


def test_full_releases_record_first_appearance_changes_and_removals(store):
    ankara, bogota, astana = cable("03ANKARA2521"), cable("06BOGOTA3049"), cable("06ASTANA38")
    r1 = writer.open_release("2010-11", full=True, using=store)
    writer.store_batch([("a", ankara), ("b", bogota), ("c", astana)], r1, using=store)
    assert writer.finish_release(r1, using=store) == []

    r2 = writer.open_release("2011-04", full=True, using=store)
    changed = dataclasses.replace(bogota, released="2011-04-25T00:00")
    writer.store_batch([("a", ankara), ("b", changed)], r2, using=store)
    # 06ASTANA38 failed to parse in this build: present, so not removed
    assert writer.finish_release(r2, present_ids=["06astana038"], using=store) == []
    r3 = writer.open_release("2011-08", full=True, using=store)
    writer.store_batch([("b", changed)], r3, using=store)
    assert sorted(writer.finish_release(r3, using=store)) == sorted(  # their row ids
        Cable.objects.using(store).filter(canonical_id__in=["03ANKARA2521", "06ASTANA38"])
        .values_list("id", flat=True))

    cables = Cable.objects.using(store)
    assert sorted(cables.removed().values_list("canonical_id", flat=True)) == ["03ANKARA2521",
                                                                            "06ASTANA38"]
    assert list(cables.current().values_list("canonical_id", flat=True)) == ["06BOGOTA3049"]
    row = cables.by_ref("06BOGOTA3049").get()
    assert (row.first_release.name, row.last_release.name) == ("2010-11", "2011-08")
    assert [(v.number, v.change, v.release.name) for v in row.versions.all()] == [
        (1, "new", "2010-11"), (2, "metadata", "2011-04")]
    assert list(Release.objects.using(store).ordered().values_list("name", flat=True)) == [
        "2010-11", "2011-04", "2011-08"]
    assert cables.in_release(r2).count() == 2 and cables.in_release(r3).count() == 1

    r4 = writer.open_release("2011-09", full=True, using=store)  # back again
    writer.store_batch([("a", ankara), ("b", changed)], r4, using=store)
    writer.finish_release(r4, using=store)
    assert list(cables.removed().values_list("canonical_id", flat=True)) == ["06ASTANA38"]
    assert Removal.objects.using(store).filter(release=r3).count() == 2


def test_a_fingerprint_computed_by_the_parsing_process_is_used_as_is(store):
    from cables.store.versions import fingerprint

    record = cable("06BOGOTA3049")
    assert writer.store_batch([("a", record, fingerprint(record))], using=store).new == 1
    assert writer.store_batch([("a", record)], using=store).unchanged == 1
    version = CableVersion.objects.using(store).of("06BOGOTA3049").get()
    assert version.content_hash == fingerprint(record).content_hash


def test_every_write_gives_the_archive_a_new_generation(store):
    """Caches of pages key on the generation (cables.web.pagecache): each write that can change a
    page must move it on, in its own transaction; reads must not, nor a reference table loaded
    again (every `cables ingest --known-ids --routes` loads them: an ingest that changes nothing
    must leave what is kept under the generation good)."""
    from cables.store import generation

    seen = [generation.current(store)]

    def moved() -> bool:
        now = generation.current(store)
        fresh = now not in seen
        seen.append(now)
        return fresh

    release = writer.open_release("2010-11", full=True, using=store)
    assert moved()
    writer.store_batch(parsed("06ASTANA38"), release, using=store)
    assert moved()
    writer.store_batch(parsed("06ASTANA38"), release, using=store)  # unchanged: releases move on
    assert moved()
    writer.finish_release(release, using=store)
    assert moved()
    writer.load_known_ids(["06ALMATY1450"], using=store)
    assert moved()
    writer.load_known_ids(["06ALMATY1450"], using=store)
    assert not moved()
    writer.load_routes({"RUEHTA": "AMEMBASSY ASTANA"}, using=store)
    assert moved()
    writer.load_routes({"RUEHTA": "AMEMBASSY ASTANA"}, using=store)
    assert not moved()
    Cable.objects.using(store).count()
    assert not moved()


def test_a_version_packed_with_zlib_before_zstandard_still_unpacks_and_stays_unchanged(store):
    """Archives written before the switch to Zstandard hold zlib blobs: they read back as the
    same record, and the same page ingested again is ``unchanged`` (the hashes never depended on
    the compression). 06BOGOTA3049, a real page of the mirror."""
    import zlib

    import zstandard

    from cables.store import compression, versions

    record = cable("06BOGOTA3049")
    packed = versions.fingerprint(record).packed
    assert packed[:4] == compression.MAGIC
    legacy = zlib.compress(zstandard.ZstdDecompressor().decompress(packed), 2)
    assert versions.unpack_record(legacy) == versions.unpack_record(packed) == record

    writer.store_batch([("a", record)], using=store)
    CableVersion.objects.using(store).of("06BOGOTA3049").update(data=legacy)
    assert writer.store_batch([("a", record)], using=store).unchanged == 1
    version = CableVersion.objects.using(store).of("06BOGOTA3049").get()
    assert bytes(version.data) == legacy and version.to_record() == record


def _packed_without_layout(record) -> bytes:
    """The version as an archive written before records had a layout holds it."""
    import json

    import zstandard

    from cables.store import versions

    metadata, text, raw = json.loads(zstandard.ZstdDecompressor().decompress(versions.pack(record)))
    del raw["layout"]
    return zstandard.ZstdCompressor().compress(json.dumps([metadata, text, raw]).encode())


@pytest.mark.parametrize("reference_id", ["06BOGOTA3049", "06ASTANA38"])
def test_a_version_packed_before_layouts_reads_back_with_its_layout_and_stays_unchanged(store, reference_id):
    """A record packed before it carried a layout (where its paragraphs and REF mentions stand)
    reads back with the layout the parser gives (derived from its text when read), and the same
    page ingested again is ``unchanged``: the layout is no part of the hashes. Real pages of the
    mirror: 06BOGOTA3049, 06ASTANA38 (REF labels named in the text)."""
    from cables.store import versions

    record = cable(reference_id)
    assert record.layout is not None and record.layout.paragraphs
    legacy = _packed_without_layout(record)
    assert versions.unpack_record(legacy).layout is None
    without = dataclasses.replace(record, layout=None)
    assert versions.fingerprint(without).content_hash == versions.fingerprint(record).content_hash

    writer.store_batch([("a", record)], using=store)
    CableVersion.objects.using(store).of(reference_id).update(data=legacy)
    assert writer.store_batch([("a", record)], using=store).unchanged == 1
    version = CableVersion.objects.using(store).of(reference_id).get()
    assert bytes(version.data) == legacy and version.to_record() == record
