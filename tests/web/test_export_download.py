"""The search page's downloads (``/search/export.FORMAT?q=…``): streamed, the CLI's bytes.

On the web tests' archive (the first two builds, the blog page, a removed mirror page).
"""

from __future__ import annotations

import pytest
from django.http import StreamingHttpResponse

from test_ingest import cables

QUERY = "tag:PGOV"


def test_the_search_page_links_each_download_of_its_query(client):
    from cables.export import FORMATS

    page = client.get("/search", {"q": QUERY}).content.decode()
    for name in FORMATS:
        assert f'href="/search/export.{name}?q=tag%3APGOV" download>{name}</a>' in page


@pytest.mark.parametrize("format", ["jsonl", "csv", "graphml", "gexf"])
def test_a_download_streams_what_cables_export_writes(client, web_archive, tmp_path, format):
    response = client.get(f"/search/export.{format}", {"q": QUERY})
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == f'attachment; filename="cables-tag-PGOV.{format}"'
    assert response["Content-Type"].endswith("; charset=utf-8")
    downloaded = b"".join(response.streaming_content)
    out = tmp_path / f"cli.{format}"
    cables("export", QUERY, "--format", format, "--out", str(out), db=web_archive)
    assert downloaded == out.read_bytes() and downloaded.count(b"\n") > 100


def test_a_bad_query_gets_its_message_not_half_a_file(client):
    response = client.get("/search/export.csv", {"q": "tag:PGOV OR"})
    assert response.status_code == 400 and not response.streaming
    assert response.content.decode().startswith("bad query: OR needs something on both sides")


def test_an_unknown_format_is_not_found(client):
    assert client.get("/search/export.xlsx", {"q": QUERY}).status_code == 404
