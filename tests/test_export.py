"""``cables export`` on the whole mirror (6,712 pages), on SQLite and PostgreSQL.

Each format is checked against what the archive holds, counted independently in SQL or read
through another path: JSONL lines are the parser's records byte for byte (``cables parse --json``
of the same pages); CSV rows the records' metadata; the GraphML and GEXF files, opened with
networkx, hold one node per cable and per known-not-released id cited, one edge per citation;
a query's export holds the search's hits. An export read back by ``cables ingest`` into an empty
archive gives the same cables and records (and exports to the same bytes).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import networkx
import pytest

from conftest import full_context, setup_django
from test_ingest import cables

setup_django()

# 08STATE85678 is the mirror's most cited cable (17 REF items of archived cables name it).
MOST_CITED = "08STATE85678"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def mirror(request, mirror_archive, db_access) -> tuple[str, str]:
    """(``--db`` target, Django alias) of an archive of the mirror, ingested as ``cables ingest
    --routes --known-ids`` does, so that REF ids not released are ``known``."""
    with db_access():
        yield mirror_archive(request.param)


def export(target: str, *args: str, out: Path) -> Path:
    result = cables("export", *args, "--out", str(out), db=target)
    assert result.stderr == "", "no progress bar when standard error is not a terminal"
    return out


def sql(alias: str, statement: str, params=()) -> list[tuple]:
    from django.db import connections

    with connections[alias].cursor() as c:
        c.execute(statement, list(params))
        return c.fetchall()


def cable_ids(alias: str) -> set[str]:
    return {row[0] for row in sql(alias, "SELECT canonical_id FROM store_cable")}


# --- JSONL ------------------------------------------------------------------------------------------

def test_jsonl_lines_are_the_parsers_records(mirror, tmp_path, mirror_dir):
    """One line a cable; a line is what ``cables parse --json`` prints for the cable's page, byte
    for byte (every 60th page of the mirror, those whose cable has that page as its one version)."""
    from cables import parse

    target, alias = mirror
    out = export(target, "--format", "jsonl", out=tmp_path / "all.jsonl")
    pages = sorted(mirror_dir.rglob("*.html"))[::60]
    expected = {}
    for page in pages:
        for record in parse(page.read_bytes(), source=str(page), context=full_context()):
            expected[record.canonical_id] = (str(page), record.dumps())
    single = {cid: source for cid, source in sql(
        alias, "SELECT c.canonical_id, v.source FROM store_cable c JOIN store_cableversion v "
               "ON v.id = c.latest_version_id WHERE (SELECT count(*) FROM store_cableversion w "
               "WHERE w.cable_id = c.id) = 1")}
    lines, seen, compared = 0, Counter(), 0
    with open(out, encoding="utf-8", newline="") as f:
        for line in f:
            lines += 1
            assert line.endswith("\n") and "\n" not in line[:-1]
            cid = json.loads(line)["canonical_id"]
            seen[cid] += 1
            page, dumped = expected.get(cid, (None, None))
            if page is not None and single.get(cid, "").endswith(":" + page):
                assert line[:-1] == dumped, f"{cid}: the exported record is not the parser's"
                compared += 1
    assert lines == len(cable_ids(alias)) == 6711
    assert set(seen) == cable_ids(alias) and max(seen.values()) == 1
    assert compared >= 100, f"only {compared} records compared"


# --- CSV --------------------------------------------------------------------------------------------

def test_csv_has_a_row_of_metadata_per_cable(mirror, tmp_path):
    from cables.export.records import COLUMNS

    target, alias = mirror
    out = export(target, "--format", "csv", out=tmp_path / "all.csv")
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [c.name for c in COLUMNS]
    assert len(rows) == 6711 and {r["id"] for r in rows} == cable_ids(alias)
    by_id = {r["id"]: r for r in rows}
    # 04ROME902: a tag with a space (ITALIAN POLITICS); 72TEHRAN1164: three REF ids, three tags, INFO addressees, a summary with a comma
    row = by_id["72TEHRAN1164"]
    assert row["tags"] == "MASS; MARR; IR"
    assert row["references"] == "72TEHRAN1091; 72TEHRAN263; 72MOSCOW1603"
    assert row["info"] == "SECDEF; EUCOM; CSAF" and row["from"] == "AMEMBASSY TEHRAN"
    assert row["summary"].startswith("GENERAL AZIMI, MINISTER OF WAR")
    assert "ITALIAN POLITICS" in _items(by_id["04ROME902"]["tags"])
    # every row against the archive's columns, and one in ten against its record
    columns = {r[0]: r[1:] for r in sql(alias, "SELECT canonical_id, created, released, classification, "
                                                "origin, subject FROM store_cable")}
    for cid, row in by_id.items():
        assert tuple(row[k] for k in ("created", "released", "classification", "origin", "subject")) \
            == tuple(v or "" for v in columns[cid]), cid
    for cid in sorted(by_id)[::10]:
        record = _record(alias, cid)
        assert _items(by_id[cid]["tags"]) == [t.tag for t in record.tags], cid
        assert _items(by_id[cid]["references"]) == [r.id for r in record.references if r.id], cid
        assert int(by_id[cid]["paragraphs"]) == len(record.paragraphs), cid


def _items(cell: str) -> list[str]:
    return cell.split("; ") if cell else []


def _record(alias: str, cid: str):
    from cables.store.models import Cable

    return Cable.objects.using(alias).select_related("latest_version").get(canonical_id=cid).record()


# --- the reference graph ------------------------------------------------------------------------------

def _graph_counts(alias: str) -> dict:
    """What the graph must hold, counted in SQL: cables, known ids cited, distinct citations."""
    known = sql(alias, "SELECT count(DISTINCT cited_id) FROM store_referenceedge WHERE status = 'known'")
    pairs = dict(sql(alias, "SELECT status, count(*) FROM (SELECT DISTINCT citing_id, cited_id, status "
                            "FROM store_referenceedge WHERE cited_id IS NOT NULL) p GROUP BY status"))
    return {"cables": len(cable_ids(alias)), "known": known[0][0],
            "archived_edges": pairs["archived"], "known_edges": pairs["known"]}


def test_graphml_holds_the_archives_cables_and_citations(mirror, tmp_path):
    target, alias = mirror
    graph = networkx.read_graphml(export(target, "--format", "graphml", out=tmp_path / "all.graphml"))
    expected = _graph_counts(alias)
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    assert None not in kinds, "an edge names a node the file does not declare"
    assert kinds == {"cable": expected["cables"], "known": expected["known"]}
    assert graph.number_of_nodes() == expected["cables"] + expected["known"]
    statuses = Counter(status for *_, status in graph.edges(data="status"))
    assert statuses == {"archived": expected["archived_edges"], "known": expected["known_edges"]}
    assert expected["archived_edges"] > 2000 and expected["known_edges"] > 3000  # the mirror's
    # the most cited cable: its in-edges are the cables citing it, each weighted by its REF items
    citing = sql(alias, "SELECT c.canonical_id, count(*) FROM store_referenceedge e JOIN store_cable c "
                        "ON c.id = e.citing_id WHERE e.cited_id = %s GROUP BY c.canonical_id", [MOST_CITED])
    assert {(s, w) for s, _, w in graph.in_edges(MOST_CITED, data="weight")} == set(citing)
    node = graph.nodes[MOST_CITED]
    assert node["kind"] == "cable" and node["date"].startswith("2008-") and node["origin"]


@pytest.mark.parametrize("mirror", ["sqlite"], indirect=True)  # the graph's SQL: the GraphML test, on both
def test_gexf_holds_the_same_graph(mirror, tmp_path):
    target, alias = mirror
    graphml = networkx.read_graphml(export(target, "--format", "graphml", out=tmp_path / "g.graphml"))
    gexf = networkx.read_gexf(export(target, "--format", "gexf", out=tmp_path / "g.gexf"), version="1.3")
    assert set(gexf.nodes) == set(graphml.nodes)
    assert set(gexf.edges) == set(graphml.edges)
    assert all(gexf.nodes[n]["kind"] == graphml.nodes[n]["kind"] for n in graphml.nodes)
    assert all(gexf.edges[e]["weight"] == graphml.edges[e]["weight"] for e in graphml.edges)


# --- a query's export -----------------------------------------------------------------------------------

def _search_ids(alias: str, query: str) -> list[str]:
    """Every hit of the search, page after page, as a reader gets them."""
    from cables.search.service import search

    ids, cursor = [], None
    while True:
        result = search(query, limit=500, cursor=cursor, using=alias)
        ids += [hit.reference_id for hit in result.hits]
        cursor = result.next_cursor
        if cursor is None:
            assert len(ids) == result.total
            return ids


@pytest.mark.parametrize("query", ["tag:PGOV", "nuclear -iran year:2009", MOST_CITED])
def test_a_querys_export_holds_the_search_hits(mirror, tmp_path, query):
    target, alias = mirror
    out = export(target, query, "--format", "csv", out=tmp_path / "q.csv")
    with open(out, encoding="utf-8", newline="") as f:
        exported = [row["id"] for row in csv.DictReader(f)]
    hits = _search_ids(alias, query)
    assert sorted(exported) == sorted(hits) and len(hits) > 10


def test_a_querys_graph_keeps_the_cables_it_cites(mirror, tmp_path):
    """``tag:PGOV``: its cables, and as nodes too the archived cables they cite outside it."""
    target, alias = mirror
    graph = networkx.read_graphml(export(target, "tag:PGOV", "--format", "graphml", out=tmp_path / "q.graphml"))
    tagged = set(_search_ids(alias, "tag:PGOV"))
    cables_ = {n for n, kind in graph.nodes(data="kind") if kind == "cable"}
    assert None not in dict(graph.nodes(data="kind")).values()
    outside = cables_ - tagged
    assert tagged <= cables_ and outside
    assert all(graph.in_degree(n) > 0 and graph.out_degree(n) == 0 for n in outside)
    assert all(source in tagged for source, _ in graph.edges)


def test_a_bad_query_is_refused_before_anything_is_written(mirror, tmp_path):
    target, _ = mirror
    out = tmp_path / "bad.jsonl"
    result = cables("export", '"human rights', "--out", str(out), db=target, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("cables: bad query: unbalanced quotes")
    assert not out.exists()


# --- constant memory: pages ---------------------------------------------------------------------------

@pytest.mark.parametrize("format", ["jsonl", "csv", "graphml"])
def test_an_export_is_read_and_written_a_page_at_a_time(mirror, format, db_access):
    """With 7 cables a page, each chunk written holds at most 7 cables and the whole is the
    export made with the default pages: the archive is never read whole."""
    from django.test.utils import CaptureQueriesContext
    from django.db import connections

    from cables.export import export_chunks

    _, alias = mirror
    query = "tag:KZ"  # 21 cables in the mirror
    with CaptureQueriesContext(connections[alias]) as queries:
        small = list(export_chunks(query, format, using=alias, page_size=7))
    whole = "".join(export_chunks(query, format, using=alias))
    assert "".join(small) == whole
    hits = len(_search_ids(alias, query))
    if format == "jsonl":
        assert len(small) == -(-hits // 7) and all(chunk.count("\n") <= 7 for chunk in small)
    reads = [q["sql"] for q in queries.captured_queries if "LIMIT 7" in q["sql"]]
    assert len(reads) >= hits // 7


# --- the round trip ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("mirror", ["sqlite"], indirect=True)  # ingest is the same code on both
def test_an_export_ingested_into_an_empty_archive_gives_the_same_cables(mirror, tmp_path, db_access):
    from cables.store import db
    from cables.store.models import Cable

    target, alias = mirror
    dumped = export(target, "--format", "jsonl", out=tmp_path / "mirror.jsonl")
    copy = str(tmp_path / "copy.db")
    report = json.loads(cables("ingest", "--json", str(dumped), db=copy).stdout)[0]
    assert (report["new"], report["failed"]) == (6711, 0)
    copy_alias = db.add_database("export_copy", copy)
    try:
        originals = Cable.objects.using(alias).select_related("latest_version").order_by("canonical_id")
        copies = Cable.objects.using(copy_alias).select_related("latest_version").order_by("canonical_id")
        assert originals.count() == copies.count() == 6711
        for original, copied in zip(originals.iterator(), copies.iterator(), strict=True):
            assert copied.canonical_id == original.canonical_id
            assert copied.record().to_json() == original.record().to_json(), original.canonical_id
            assert copied.latest_version.content_hash == original.latest_version.content_hash
        again = export(copy, "--format", "jsonl", out=tmp_path / "again.jsonl")
        assert again.read_bytes() == dumped.read_bytes()
    finally:
        from django.db import connections

        connections[copy_alias].close()


@pytest.mark.parametrize("mirror", ["sqlite"], indirect=True)  # reading a JSONL file: no backend in it
def test_lines_that_hold_no_record_are_reported_and_the_rest_ingested(mirror, tmp_path):
    target, alias = mirror
    good = export(target, MOST_CITED, "--format", "jsonl", out=tmp_path / "good.jsonl").read_text()
    first = good.splitlines()[0]
    record = json.loads(first)
    lines = [first, "{not json", json.dumps({**record, "canonical_id": "NOT AN ID"}),
             json.dumps({**record, "canonical_id": "08STATE85678", "tags": 5}), "[1, 2]"]
    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cables("ingest", "--json", str(source), db=str(tmp_path / "mixed.db"), check=False)
    report = json.loads(result.stdout)[0]
    assert result.returncode == 1 and report["new"] == 1 and report["failed"] == 4
    reasons = {f["document"].rsplit("#", 1)[1]: f["error"] for f in report["failures"]}
    assert reasons["line2"].startswith("not a JSON record")
    assert "'NOT AN ID' is not a canonical reference id" in reasons["line3"]
    assert reasons["line4"] == "not a cable record: tags is not of its type"
    assert reasons["line5"].startswith("not a JSON record")
