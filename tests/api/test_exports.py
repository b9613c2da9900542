"""The API's downloads: the same bytes as ``cables export`` (cables.export.export_chunks) for the
same query, streamed, named after the query; a bad query or format a JSON 400 before any byte."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.corpus


def body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def test_a_download_is_the_export_of_the_query(client):
    from cables.export import export_chunks

    response = client.get("/api/v1/export.jsonl?tag=KZ")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cables-tag-KZ.jsonl"'
    assert response["Access-Control-Allow-Origin"] == "*"
    data = body(response)
    assert data == "".join(export_chunks("tag:KZ", "jsonl")).encode()
    lines = [json.loads(line) for line in data.decode().splitlines()]
    listed = client.get("/api/v1/cables?tag=KZ&limit=100").json()
    assert len(lines) == listed["total"] > 0
    assert {r["canonical_id"] for r in lines} == {c["id"] for c in listed["cables"]}
    assert all("KZ" in [t["tag"] for t in r["tags"]] for r in lines)


def test_every_format_streams(client):
    for format, start in [("csv", b"id,reference_id,created"), ("graphml", b"<?xml"), ("gexf", b"<?xml")]:
        response = client.get(f"/api/v1/export.{format}?q=kazakhstan")
        assert response.status_code == 200, format
        assert body(response).startswith(start), format


@pytest.mark.parametrize("path, error", [
    ("/api/v1/export.pdf", "invalid_request"),
    ("/api/v1/export.csv?q=%22kazakhstan", "bad_query"),
    ("/api/v1/export.csv?year=20O6", "bad_query"),
])
def test_a_bad_download_is_refused_before_any_byte(client, path, error):
    response = client.get(path)
    assert response.status_code == 400 and not response.streaming
    assert response.json()["error"] == error
