"""Full-text indexes in step with the data, reference edges and their statuses, stations — on
both backends, with real corpus cables."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import cable, known_ids, routes
from django.db import connections

from cables.store import fts, writer
from cables.store.models import Cable, Paragraph, ReferenceEdge, Station


def cable_hits(store: str, word: str) -> list[str]:
    ids = fts.matching_cable_ids(connections[store], word)
    return sorted(Cable.objects.using(store).filter(id__in=ids).values_list("canonical_id", flat=True))


def check_sqlite_index(store: str) -> None:
    if connections[store].vendor == "sqlite":
        with connections[store].cursor() as cursor:
            from cables.store import fts_sqlite

            fts_sqlite.integrity_check(cursor)


# (word, the cables of the batch it finds: subject or body, stemmed)
SEARCHES = [
    ("Baliyeva", ["06ASTANA38"]),             # a name in 06ASTANA38's body
    ("trafficking", ["06ASTANA38"]),          # "Trafficking in Persons"
    ("Kazakhstan", ["06ASTANA38"]),           # the subject
    ("Feneco", ["06BOGOTA3049"]),              # the rail line's prior owners
    ("concessions", ["06BOGOTA3049"]),        # stemmed: "concession" in subject and body
    ("zzyzxnotaword", []),
]


@pytest.mark.parametrize("word, expected", SEARCHES)
def test_a_word_of_the_body_finds_its_cable(store, word, expected):
    writer.store_batch([("a", cable("06ASTANA38")), ("b", cable("06BOGOTA3049"))], using=store)
    assert cable_hits(store, word) == expected
    check_sqlite_index(store)


def test_the_index_and_the_paragraphs_follow_a_new_version(store):
    original = cable("06ASTANA38")
    writer.store_batch([("a", original)], using=store)
    renamed = dataclasses.replace(
        original,
        body=original.body.replace("Baliyeva", "Quixotica"),
        paragraphs=tuple(dataclasses.replace(p, text=p.text.replace("Baliyeva", "Quixotica"))
                         for p in original.paragraphs),
    )
    writer.store_batch([("b", renamed)], using=store)
    assert cable_hits(store, "Baliyeva") == []
    assert cable_hits(store, "Quixotica") == ["06ASTANA38"]
    assert cable_hits(store, "Kazakhstan") == ["06ASTANA38"]  # the rest of it is indexed once
    paragraphs = Paragraph.objects.using(store).filter(cable__canonical_id="06ASTANA38")
    assert not paragraphs.filter(text__contains="Baliyeva").exists()
    assert 1 in set(paragraphs.filter(text__contains="Quixotica").values_list("number", flat=True))
    check_sqlite_index(store)


# (phrase, the cables of the batch it finds): the index keeps positions
PHRASES = [
    ('"justice minister"', ["06ASTANA38"]),   # the subject: "... WITH JUSTICE MINISTER"
    ('"discusses ambassador"', []),           # the subject's "AMBASSADOR DISCUSSES", out of order
    # the body's "Minister of Justice": a stop word takes no place (cables.words)
    ('"minister justice"', ["06ASTANA38"]),
    ('"minister of justice"', ["06ASTANA38"]),
]


@pytest.mark.parametrize("phrase, expected", PHRASES)
def test_phrases_match_words_in_order(store, phrase, expected):
    writer.store_batch([("a", cable("06ASTANA38")), ("b", cable("06BOGOTA3049"))], using=store)
    assert cable_hits(store, phrase) == expected


def test_reindex_rebuilds_the_same_index(store):
    writer.store_batch([("a", cable("06ASTANA38")), ("b", cable("06BOGOTA3049"))], using=store)
    before = {word: cable_hits(store, word) for word, _ in SEARCHES}
    assert fts.reindex(connections[store]) == 2
    assert {word: cable_hits(store, word) for word, _ in SEARCHES} == before
    check_sqlite_index(store)


def test_the_blog_page_cites_two_known_ids_and_one_unknown(store):
    cited = ["06ALMATY1450", "06ASTANA33", "06ASTANA5"]
    known = [i for i in cited if i in known_ids()]  # from the real cable2month list
    assert known == ["06ALMATY1450", "06ASTANA33"]
    writer.store_batch([("blog", cable("06ASTANA38"))], using=store)
    edges = ReferenceEdge.objects.using(store).from_cable("06ASTANA38")
    assert [(e.label, e.cited_id, e.status) for e in edges] == [
        ("A", "06ALMATY1450", "unknown"), ("B", "06ASTANA33", "unknown"), ("C", "06ASTANA5", "unknown")]

    # the REF items it turns from unknown to known: what a kept render of a page citing them shows
    assert writer.load_known_ids([(i, "2006-01") for i in known], using=store) == \
        writer.KnownIdsLoaded(2, ("06ALMATY1450", "06ASTANA33"))
    assert writer.load_known_ids(known, using=store) == writer.KnownIdsLoaded(0)  # idempotent
    assert list(edges.values_list("status", flat=True)) == ["known", "known", "unknown"]


def test_a_cited_cable_that_arrives_later_becomes_archived(store):
    # 03ANKARA3694 (ref A) and 03ANKARA4278 (ref F) both cite 03ANKARA2521
    writer.load_known_ids(["03ANKARA2521"], using=store)
    writer.store_batch([("a", cable("03ANKARA3694")), ("b", cable("03ANKARA4278"))], using=store)
    to_2521 = ReferenceEdge.objects.using(store).to_cable("03ankara02521")
    assert set(to_2521.values_list("status", flat=True)) == {"known"}

    writer.store_batch([("c", cable("03ANKARA2521"))], using=store)
    assert set(to_2521.values_list("status", flat=True)) == {"archived"}
    target = Cable.objects.using(store).by_ref("03ANKARA2521").get()
    assert set(to_2521.values_list("cited_cable", flat=True)) == {target.id}

    cables = Cable.objects.using(store)
    assert sorted(cables.cited_by("03ANKARA2521").values_list("canonical_id", flat=True)) == [
        "03ANKARA3694", "03ANKARA4278"]
    assert list(cables.cites("03ANKARA3694").values_list("canonical_id", flat=True)) == [
        "03ANKARA2521"]


def test_within_one_batch_citing_and_cited_resolve(store):
    # 04BRASILIA572 cites 04BRASILIA458 (B) and 04BRASILIA564 (C)
    writer.store_batch([("a", cable("04BRASILIA572")), ("b", cable("04BRASILIA458"))], using=store)
    edges = dict(ReferenceEdge.objects.using(store).from_cable("04BRASILIA572")
                 .values_list("cited_id", "status"))
    assert edges["04BRASILIA458"] == "archived" and edges["04BRASILIA564"] == "unknown"
    writer.resolve_references(using=store)  # a full recomputation agrees
    assert dict(ReferenceEdge.objects.using(store).from_cable("04BRASILIA572")
                .values_list("cited_id", "status")) == edges


def test_stations_are_learned_from_de_lines_beside_the_routing_table(store):
    writer.store_batch([("a", cable("06ASTANA38")), ("b", cable("06BOGOTA3049"))], using=store)
    learned = Station.objects.using(store).filter(source="learned")
    assert ("RUEHAST", "USOFFICE ASTANA", 1) in set(learned.values_list("route", "name", "cables"))
    sender = cable("06BOGOTA3049").from_
    assert learned.filter(route=sender.route, name=sender.name).exists()

    table = routes()
    assert writer.load_routes(table, using=store) == len(table)
    assert writer.load_routes(table, using=store) == 0
    assert Station.objects.using(store).get(route="RUEHC", source="table").name == table["RUEHC"]
    writer.store_batch([("a", cable("06ASTANA38"))], using=store)  # unchanged: not counted again
    assert learned.get(route="RUEHAST").cables == 1


# (words searched, found?) in a cable whose body is long past PostgreSQL's tsvector limits
# (synthetic text on a real cable): the limits are rules of the analyzer that both indexes apply
# (cables.words.index_form), so both find the same — a word is found wherever it stands, a
# phrase only where the index keeps its places
LONG_BODY_SEARCHES = [
    ('"alpha bravo"', True),       # early on
    ("omega", True),               # after alpha's 300th occurrence
    ('"alpha omega"', False),      # alpha's 301st occurrence keeps no place (256 a term)
    ('"charlie omega"', False),    # no such order anywhere
    ("zulu", True),                # past the 16,383rd place: a word without place
    ('"zulu yankee"', False),      # … so in no phrase
    ('"delta echo"', True),        # the last words with a place
]


@pytest.mark.parametrize("text, found", LONG_BODY_SEARCHES)
def test_a_long_body_is_found_alike_on_both_backends(store, text, found):
    body = (" ".join(["alpha bravo"] * 300) + " alpha omega charlie "
            + " ".join(f"w{i}" for i in range(15_000)) + " delta echo "
            + " ".join(f"v{i}" for i in range(2_000)) + " zulu yankee")
    long = dataclasses.replace(cable("06ASTANA38"), body=body)
    writer.store_batch([("a", long)], using=store)
    assert cable_hits(store, text) == (["06ASTANA38"] if found else [])
    check_sqlite_index(store)
