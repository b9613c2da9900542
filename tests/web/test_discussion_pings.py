"""TrackBack and Webmention at a cable's ping endpoint: good pings held then shown as Mentions,
bad pings refused with the spec's answers, duplicates ignored, the source check of a Webmention.

The network is out of reach here, so the Webmention source fetch is replaced by a function that
returns a page (the endpoint's fetch is pluggable for that reason); the real fetch is tested only
for what it must refuse without connecting (private addresses).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from .discussion_support import (  # noqa: F401
    ASTANA,
    ASTANA_PAGE,
    cable_row,
    discussion_fixture,
    parse,
    ping_url,
    render_discussion,
)

TARGET = f"http://testserver{ASTANA_PAGE}"


def _mentions():
    from cables.web.discussion.models import Mention

    return Mention.objects.order_by("id")


def _trackback_answer(response) -> tuple[str, str | None]:
    assert response["Content-Type"].startswith("text/xml")
    text = response.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "response"
    message = root.find("message")
    return root.findtext("error"), (message.text if message is not None else None)


def _approve_all():
    from cables.web.discussion import moderation
    from cables.web.discussion.models import Mention

    moderation.approve(Mention.objects.all())


# --- TrackBack --------------------------------------------------------------------------------------

def test_a_trackback_is_held_then_shown_as_a_mention(discussion):
    response = discussion.post(ping_url(), {
        "url": "https://blog.example/2011/astana", "title": "Justice in Kazakhstan",
        "excerpt": "The Ambassador met Minister Baliyeva.", "blog_name": "Steppe Notes"},
        REMOTE_ADDR="192.0.2.30")
    assert response.status_code == 200
    assert _trackback_answer(response) == ("0", None)
    mention = _mentions().get()
    assert (mention.kind, mention.status, mention.client_address) == ("trackback", "pending", "192.0.2.30")
    assert "Justice in Kazakhstan" not in render_discussion(cable_row())
    _approve_all()
    page = parse(render_discussion(cable_row()))
    section = page.css_first("section#mentions")
    assert section.css_first("h3").text() == "Mentions"
    link = section.css_first(f"#mention-{mention.pk} a")
    assert link.attributes["href"] == "https://blog.example/2011/astana"
    assert set(link.attributes["rel"].split()) >= {"nofollow", "ugc"}
    assert link.text() == "Justice in Kazakhstan"
    assert "Steppe Notes" in section.text() and "Minister Baliyeva" in section.text()


def test_a_trackback_needs_no_csrf_token(discussion):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(ping_url(), {"url": "https://blog.example/p"})
    assert _trackback_answer(response) == ("0", None)
    assert _mentions().count() == 1


def test_duplicate_trackbacks_are_ignored(discussion):
    for url in ("https://blog.example/p", "https://blog.example/p", "https://blog.example/p#comments"):
        response = discussion.post(ping_url(), {"url": url, "title": "again"})
        assert _trackback_answer(response) == ("0", None)
    assert _mentions().count() == 1
    # the same URL may mention another cable (09BAKU175)
    discussion.post(ping_url("09BAKU175"), {"url": "https://blog.example/p"})
    assert _mentions().count() == 2


@pytest.mark.parametrize("data, message", [
    ({"title": "no url"}, "url is missing"),
    ({"url": ""}, "url is missing"),
    ({"url": "javascript:alert(1)"}, "url is not an http(s) URL"),
    ({"url": "ftp://blog.example/p"}, "url is not an http(s) URL"),
    ({"url": "not a url"}, "url is not an http(s) URL"),
    ({"url": "https://blog.example/" + "p" * 2000}, "url is longer than 2000 characters"),
])
def test_bad_trackbacks_get_an_error(discussion, data, message):
    response = discussion.post(ping_url(), data)
    assert response.status_code == 400
    error, text = _trackback_answer(response)
    assert error == "1" and message in text
    assert not _mentions().exists()


def test_a_trackback_to_an_unknown_cable(discussion):
    response = discussion.post(ping_url("99NOWHERE1"), {"url": "https://blog.example/p"})
    assert response.status_code == 404
    error, text = _trackback_answer(response)
    assert error == "1" and "no cable" in text


def test_trackback_fields_are_cut_to_size_and_reduced_to_text(discussion):
    excerpt = "<p>The <b>Ambassador</b> &amp; the Minister.</p> " + "word " * 400
    discussion.post(ping_url(), {"url": "https://blog.example/long", "title": "T" * 300,
                                 "excerpt": excerpt, "blog_name": "<i>Blog</i>\x07"})
    mention = _mentions().get()
    assert len(mention.title) == 200 and mention.title.endswith("…")
    assert len(mention.excerpt) <= 1000 and mention.excerpt.endswith("…")
    assert mention.excerpt.startswith("The Ambassador & the Minister. word")
    assert mention.blog_name == "Blog"


def test_the_endpoint_explains_itself_to_a_browser(discussion):
    response = discussion.get(ping_url())
    assert response.status_code == 200
    page = parse(response.content.decode())
    assert page.css_first("h1").text() == f"Trackback and Webmention for {ASTANA}"
    assert f"http://testserver/cable/{ASTANA}/trackback" in page.text()
    assert discussion.get(ping_url("99NOWHERE1")).status_code == 404


def test_pings_are_rate_limited_per_address(discussion, settings):
    settings.CABLES_DISCUSSION_LIMITS = {"ping-address": [(2, 3600)]}
    for i in range(2):
        response = discussion.post(ping_url(), {"url": f"https://blog.example/{i}"}, REMOTE_ADDR="192.0.2.40")
        assert _trackback_answer(response) == ("0", None)
    response = discussion.post(ping_url(), {"url": "https://blog.example/3"}, REMOTE_ADDR="192.0.2.40")
    assert response.status_code == 429
    error, text = _trackback_answer(response)
    assert error == "1" and "Too many pings from your address: at most 2 in 1 hour" in text
    assert _mentions().count() == 2


# --- Webmention -----------------------------------------------------------------------------------------

class FakeSource:
    """A stand-in for the network: the page at each URL, and which URLs were fetched."""

    def __init__(self, pages: dict[str, tuple[str, str]]):
        self.pages, self.fetched = pages, []

    def __call__(self, url):
        from cables.web.discussion.webmention import Fetched, FetchError

        self.fetched.append(url)
        if url not in self.pages:
            raise FetchError("404 Not Found")
        content_type, text = self.pages[url]
        return Fetched(url, content_type, text)


@pytest.fixture
def network(monkeypatch, settings):
    from cables.web.discussion import webmention

    settings.CABLES_WEBMENTION_VERIFY = "inline"
    source = FakeSource({})
    monkeypatch.setattr(webmention, "fetch_source", source)
    return source


LINKING_PAGE = f"""<!doctype html><html><head><title>Astana notes</title></head>
<body><p>Read <a href="{TARGET}#par3">the cable</a>, not <a href="{ASTANA_PAGE}">this link
to the blog's own path</a>.</p></body></html>"""


def test_a_webmention_is_accepted_checked_and_held(discussion, network):
    network.pages["https://blog.example/notes"] = ("text/html", LINKING_PAGE)
    response = discussion.post(ping_url(), {"source": "https://blog.example/notes", "target": TARGET})
    assert response.status_code == 202
    assert network.fetched == ["https://blog.example/notes"]
    mention = _mentions().get()
    assert (mention.kind, mention.status, mention.verified) == ("webmention", "pending", True)
    # the link was found (its fragment ignored); the title came from the source
    assert mention.title == "Astana notes"
    assert "Astana notes" not in render_discussion(cable_row())
    _approve_all()
    link = parse(render_discussion(cable_row())).css_first(f"#mention-{mention.pk} a")
    assert link.attributes["href"] == "https://blog.example/notes" and link.text() == "Astana notes"


def test_a_webmention_whose_source_does_not_link_is_marked_for_the_moderator(discussion, network):
    network.pages["https://blog.example/other"] = (
        "text/html", '<a href="http://testserver/cable/2009/03/09BAKU175.html">another cable</a>')
    assert discussion.post(ping_url(), {"source": "https://blog.example/other",
                                        "target": TARGET}).status_code == 202
    mention = _mentions().get()
    assert mention.verified is False and mention.status == "pending"
    assert "does not link" in mention.verification
    # a source that cannot be fetched is recorded the same way
    assert discussion.post(ping_url(), {"source": "https://blog.example/gone",
                                        "target": TARGET}).status_code == 202
    gone = _mentions().last()
    assert gone.verified is False and "404" in gone.verification


def test_a_plain_text_source_may_name_the_target(discussion, network):
    network.pages["https://blog.example/notes.txt"] = ("text/plain", f"See {TARGET} for the cable.")
    discussion.post(ping_url(), {"source": "https://blog.example/notes.txt", "target": TARGET})
    assert _mentions().get().verified is True


def test_a_duplicate_webmention_is_ignored(discussion, network):
    network.pages["https://blog.example/notes"] = ("text/html", LINKING_PAGE)
    for _ in range(2):
        assert discussion.post(ping_url(), {"source": "https://blog.example/notes",
                                            "target": TARGET}).status_code == 202
    assert _mentions().count() == 1
    assert network.fetched == ["https://blog.example/notes"]


@pytest.mark.parametrize("data, message", [
    ({"source": "https://blog.example/n"}, "target is missing"),
    ({"target": TARGET}, "source is missing"),
    ({"source": "javascript:alert(1)", "target": TARGET}, "source is not an http(s) URL"),
    ({"source": "https://blog.example/n", "target": "https://elsewhere.example" + ASTANA_PAGE},
     "target is not a page of this site"),
    ({"source": "https://blog.example/n", "target": "http://testserver/cable/2009/03/09BAKU175.html"},
     "target is not the page of 06ASTANA38"),
    ({"source": "https://blog.example/n", "target": TARGET + "?x=1"}, "target is not the page of"),
    ({"source": "https://blog.example/n", "target": "ftp://testserver" + ASTANA_PAGE},
     "target is not a page of this site"),
])
def test_bad_webmentions_are_refused(discussion, network, data, message):
    response = discussion.post(ping_url(), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not _mentions().exists() and network.fetched == []


def test_a_webmention_from_the_cable_to_itself_is_refused(discussion, network):
    # (a host with a dot or "localhost": "testserver" is no valid source URL)
    target = f"http://localhost{ASTANA_PAGE}"
    response = discussion.post(ping_url(), {"source": target, "target": target}, HTTP_HOST="localhost")
    assert response.status_code == 400
    assert "source and target are the same URL" in response.content.decode()
    assert not _mentions().exists()


def test_a_relative_link_in_the_source_points_to_the_source_site(discussion, network):
    network.pages["https://blog.example/notes"] = ("text/html", f'<a href="{ASTANA_PAGE}">ours?</a>')
    discussion.post(ping_url(), {"source": "https://blog.example/notes", "target": TARGET})
    assert _mentions().get().verified is False


def test_a_webmention_target_may_carry_a_fragment(discussion, network):
    network.pages["https://blog.example/notes"] = ("text/html", LINKING_PAGE)
    assert discussion.post(ping_url(), {"source": "https://blog.example/notes",
                                        "target": TARGET + "#par3"}).status_code == 202


def test_a_webmention_to_an_unknown_cable(discussion, network):
    response = discussion.post(ping_url("99NOWHERE1"), {"source": "https://blog.example/n", "target": TARGET})
    assert response.status_code == 404


def test_the_check_runs_after_the_answer_by_default(discussion, monkeypatch, settings):
    """In production the source is fetched in a background thread, after the 202."""
    from cables.web.discussion import webmention

    settings.CABLES_WEBMENTION_VERIFY = "background"
    source = FakeSource({"https://blog.example/notes": ("text/html", LINKING_PAGE)})
    monkeypatch.setattr(webmention, "fetch_source", source)
    threads = []
    real = webmention.schedule_verification

    def keep(*args):
        thread = real(*args)
        threads.append(thread)
        return thread

    monkeypatch.setattr(webmention, "schedule_verification", keep)
    response = discussion.post(ping_url(), {"source": "https://blog.example/notes", "target": TARGET})
    assert response.status_code == 202
    assert len(threads) == 1 and threads[0] is not None
    threads[0].join(timeout=60)
    assert not threads[0].is_alive()
    assert _mentions().get().verified is True


def test_the_fetch_can_be_named_in_settings(discussion, settings):
    from cables.web.discussion import webmention

    settings.CABLES_WEBMENTION_VERIFY = "inline"
    settings.CABLES_WEBMENTION_FETCH = f"{__name__}.refusing_fetch"
    assert webmention.fetcher() is refusing_fetch
    discussion.post(ping_url(), {"source": "https://blog.example/notes", "target": TARGET})
    assert _mentions().get().verification == "refused by the test"


def refusing_fetch(url):
    from cables.web.discussion.webmention import FetchError

    raise FetchError("refused by the test")


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8000/admin/", "http://[::1]/", "http://10.0.0.8/",
    "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
    "gopher://127.0.0.1/",
])
def test_the_real_fetch_refuses_private_addresses(url):
    from cables.web.discussion.webmention import FetchError, fetch_source

    with pytest.raises(FetchError):
        fetch_source(url)


def test_the_cable_page_advertises_the_endpoint(discussion):
    page = parse(render_discussion(cable_row()))
    assert page.css_first('link[rel="webmention"]').attributes["href"] == f"http://testserver{ping_url()}"
    # TrackBack auto-discovery: the RDF block in an HTML comment
    html = render_discussion(cable_row())
    assert f'trackback:ping="http://testserver{ping_url()}"' in html
    assert f'rdf:about="{TARGET}"' in html
