"""What every answer of the API goes through, in process: revalidation (ETag, Last-Modified, 304),
CORS, the rate limit per client address, JSON for a method it does not take."""

from __future__ import annotations

import pytest
from django.test import override_settings

pytestmark = pytest.mark.corpus

CABLE = "/api/v1/cables/06ASTANA38"
LIST = "/api/v1/cables?tag=KZ"


def test_an_unchanged_answer_is_a_304_until_the_archive_changes(client):
    from django.db import transaction

    from cables.store import generation

    first = client.get(CABLE)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get(CABLE, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    assert client.get(CABLE, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(CABLE, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200
    assert client.get(CABLE, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    with transaction.atomic():   # an ingest's write: a new generation, a new time
        generation.advance()
    changed = client.get(CABLE, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["id"] == "06ASTANA38"


def test_a_comment_shown_changes_the_cables_answer_not_the_lists(client):
    """The cable counts its comments, so its validators include the discussion's; a list's do not."""
    from cables.store.models import Cable
    from cables.web.discussion.models import Comment, Status

    before = {path: client.get(path) for path in (CABLE, LIST)}
    assert before[CABLE].json()["comments"] == 0
    comment = Comment.objects.create(cable=Cable.objects.get(canonical_id="06ASTANA38"), name="Reader",
                                     email="reader@example.org", body="A comment.",
                                     status=Status.APPROVED)
    try:
        after = client.get(CABLE, HTTP_IF_NONE_MATCH=before[CABLE]["ETag"])
        assert after.status_code == 200 and after.json()["comments"] == 1
        assert client.get(LIST, HTTP_IF_NONE_MATCH=before[LIST]["ETag"]).status_code == 304
    finally:
        comment.delete()


def test_errors_carry_no_validators(client):
    missing = client.get("/api/v1/cables/06ASTANA99999")
    assert missing.status_code == 404
    assert "ETag" not in missing and "Last-Modified" not in missing


def test_any_origin_may_read_with_get(client):
    for path, status in [(CABLE, 200), ("/api/v1/cables/nothing", 404), ("/api/v1/cables?limit=0", 400),
                         ("/api/v1/openapi.json", 200)]:
        response = client.get(path, HTTP_ORIGIN="https://newsroom.example")
        assert response.status_code == status, path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(CABLE, HTTP_ORIGIN="https://newsroom.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                               HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    # the reading room's pages are not opened to other sites
    assert "Access-Control-Allow-Origin" not in client.get("/cable/06ASTANA38/raw")


def test_a_method_the_api_does_not_take_is_a_json_405(client):
    response = client.post("/api/v1/cables", {"q": "iran"})
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_head_is_answered_wherever_get_is(client):
    """``curl -I``: the GET's status and headers, and its 304 and 404 (a HEAD was a 405)."""
    got = client.get(CABLE)
    head = client.head(CABLE)
    assert head.status_code == 200
    for name in ("ETag", "Last-Modified", "Content-Type", "Content-Length", "Access-Control-Allow-Origin"):
        assert head[name] == got[name], name
    assert int(head["Content-Length"]) == len(got.content) > 0
    assert client.head(CABLE, HTTP_IF_NONE_MATCH=got["ETag"]).status_code == 304
    missing = client.head("/api/v1/cables/06ASTANA99999")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    preflight = client.options(CABLE, HTTP_ORIGIN="https://newsroom.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="HEAD")
    assert "HEAD" in preflight["Access-Control-Allow-Methods"]
    assert client.post(CABLE)["Allow"] == "GET, HEAD"


def test_a_head_of_an_export_has_the_downloads_headers_and_no_body(client):
    """Through the application as ``cables serve`` serves it (the test client would drop a HEAD's
    body on its own)."""
    import io
    import sys

    from django.core.handlers.wsgi import WSGIHandler

    from cables.web.server import without_body_on_head

    def call(method: str) -> tuple[str, dict, bytes]:
        environ = {"REQUEST_METHOD": method, "PATH_INFO": "/api/v1/export.csv", "QUERY_STRING": "tag=KZ",
                   "SERVER_NAME": "testserver", "SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1",
                   "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
                   "wsgi.errors": sys.stderr}
        started = {}
        answer = without_body_on_head(WSGIHandler())(environ, lambda status, headers, exc=None: started.update(
            status=status, headers=dict(headers)))
        try:
            return started["status"], started["headers"], b"".join(answer)
        finally:
            getattr(answer, "close", lambda: None)()   # as a WSGI server does

    status, headers, body = call("GET")
    assert status.startswith("200") and body.startswith(b"id,") and b"\n06ASTANA38," in body
    status, head_headers, nothing = call("HEAD")
    assert status.startswith("200") and nothing == b""
    assert head_headers["Content-Type"] == headers["Content-Type"]
    assert head_headers["Content-Disposition"] == headers["Content-Disposition"]


def test_requests_past_the_limit_get_429_with_retry_after(client):
    """The discussion's limiter, scope api-address: counted per address (in this process's memory,
    then in the database); another address has its own allowance; a refused request is not
    counted."""
    from cables.web.discussion import ratelimit
    from cables.web.discussion.models import RateCounter

    address, other = "192.0.2.201", "192.0.2.202"
    key = ratelimit.key(ratelimit.API_ADDRESS, address)
    RateCounter.objects.filter(key__in=[key, ratelimit.key(ratelimit.API_ADDRESS, other)]).delete()
    try:
        with override_settings(CABLES_DISCUSSION_LIMITS={"api-address": [(3, 60)]}):
            statuses = [client.get(LIST, REMOTE_ADDR=address).status_code for _ in range(5)]
            assert statuses == [200, 200, 200, 429, 429]
            refused = client.get(CABLE, REMOTE_ADDR=address)
            assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
            assert refused["Access-Control-Allow-Origin"] == "*"
            body = refused.json()
            assert body["error"] == "rate_limited"
            assert body["detail"].startswith("Too many requests from your address: at most 3 in 1 minute.")
            assert "Nothing was saved" not in body["detail"]
            assert client.get(LIST, REMOTE_ADDR=other).status_code == 200
        ratelimit.write_counts()    # this process's batch, written now rather than at its end
        assert RateCounter.objects.get(key=key).count == 3     # the refused ones not counted
    finally:
        RateCounter.objects.filter(key__in=[key, ratelimit.key(ratelimit.API_ADDRESS, other)]).delete()


def test_an_answer_is_made_once_per_generation(client):
    """Kept answers (the reading room's page cache): asked again, the list is not searched again;
    only the validators and the cache key are read (the rate count is in memory)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = "/api/v1/cables?q=minister&limit=50"
    with CaptureQueriesContext(connection) as made:
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as kept:
        response = client.get(path)
    assert response.status_code == 200 and response.json()["total"] > 50

    def searched(queries) -> list[str]:
        return [q["sql"] for q in queries if "store_cable" in q["sql"] and "archivestate" not in q["sql"]]

    assert searched(made.captured_queries) and not searched(kept.captured_queries)
