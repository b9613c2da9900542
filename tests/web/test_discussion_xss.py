"""Cross-site scripting: every payload of :mod:`.xss_payloads` in every field, posted through the
real form and endpoint (or refused by them), approved, then shown — on the cable's foot, the reply
page, the home page's latest comments and in the feeds — with no live markup anywhere.

Each page is parsed (lexbor, as a browser would) and must hold no script or active element, no
``on*`` attribute, no ``style`` attribute and no javascript:/vbscript:/data: URL. The words of each
payload must still be there as text: the comment is shown, not dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from .discussion_support import (  # noqa: F401
    ASTANA,
    cable_row,
    comment_form_url,
    discussion_fixture,
    live_markup,
    parse,
    ping_url,
    render_discussion,
)
from .xss_payloads import PAYLOADS, URL_PAYLOADS, seed

FORM_TAGS = frozenset({"form", "input", "textarea", "select", "button", "link"})
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def generous(settings):
    settings.CABLES_DISCUSSION_LIMITS = {"comment-address": [(10_000, 600)],
                                         "comment-email": [(10_000, 600)],
                                         "ping-address": [(10_000, 600)]}


def _approve_everything():
    from cables.web.discussion import moderation
    from cables.web.discussion.models import Comment, Mention

    moderation.approve(Comment.objects.all())
    moderation.approve(Mention.objects.all())


def _words(payload: str) -> str:
    """A word of the payload that must survive as visible text (``alert``, ``click``…)."""
    for word in ("click", "hover", "styled", "alert", "msgbox", "go"):
        if word in payload:
            return word
    return ""


def _check_page(html: str, where: str):
    """A fragment strictly (but for the comment form's own elements); a whole page also allows
    the site's <meta> and <link> in its head, and is checked strictly in <main>."""
    if "<html" in html:
        problems = live_markup(html, allowed_tags=FORM_TAGS | {"meta"})
        problems += live_markup(parse(html).css_first("main").html, allowed_tags=FORM_TAGS - {"link"})
    else:
        problems = live_markup(html, allowed_tags=FORM_TAGS)
    assert not problems, f"live markup in {where}: {problems[:5]}"


def test_payloads_posted_in_every_field_are_shown_inert(discussion, generous):
    from cables.web.discussion.models import Comment

    stored = []
    for i, payload in enumerate(PAYLOADS):
        data = {"name": payload[:80], "email": f"xss{i}@example.org", "website": "",
                "body": payload, "paragraph": "3", "homepage": ""}
        response = discussion.post(comment_form_url(), data, REMOTE_ADDR="192.0.2.99")
        if "\x00" in payload:
            # a NUL byte is refused with a message, and the refusal page is inert too
            assert response.status_code == 400
            assert "Null characters are not allowed." in response.content.decode()
            _check_page(response.content.decode(), f"the refusal of payload {i}")
            continue
        assert response.status_code == 302, (payload, response.content.decode()[:3000])
        stored.append((Comment.objects.latest("id"), payload))
    # and each payload as a reply, an e-mail's local part cannot carry them (EmailField refuses)
    _approve_everything()
    top = stored[0][0]
    for i, payload in enumerate(PAYLOADS):
        if "\x00" in payload:
            continue
        response = discussion.post(comment_form_url(), {
            "name": "Replier", "email": "replier@example.org", "body": payload, "parent": top.pk},
            REMOTE_ADDR="192.0.2.98")
        assert response.status_code == 302
    _approve_everything()

    html = render_discussion(cable_row())
    _check_page(html, "the cable's discussion")
    page = parse(html)
    for comment, payload in stored:
        node = page.css_first(f"#comment-{comment.pk}")
        assert node is not None, payload
        assert not live_markup(node.html), payload
        word = _words(payload)
        assert word in node.text(), (payload, node.text())
    # the names are shown as typed (escaped), never as markup
    names = [n.text() for n in page.css("ol.comments > li > article .author")]
    assert "<script>alert(1)</script>" in names

    # the reply page quotes a comment
    for comment, payload in stored[:10]:
        reply_page = discussion.get(comment_form_url() + f"?reply={comment.pk}").content.decode()
        _check_page(reply_page, f"the reply page of {payload!r}")
    # the home page's latest comments
    from django.template import Context, Template

    _check_page(Template("{% load discussion %}{% latest_comments 100 %}").render(Context()),
                "the latest comments")


@pytest.mark.parametrize("url", URL_PAYLOADS)
def test_website_payloads_are_refused_or_shown_inert(discussion, generous, url):
    from cables.web.discussion.models import Comment

    response = discussion.post(comment_form_url(), {
        "name": "Web", "email": "web@example.org", "website": url, "body": "A comment with a website."})
    if response.status_code == 400:
        assert "Enter a valid URL." in response.content.decode()
        assert not Comment.objects.exists()
        _check_page(response.content.decode(), f"the refusal of {url!r}")
        return
    assert response.status_code == 302
    assert url.strip().lower().startswith(("http://", "https://"))
    _approve_everything()
    html = render_discussion(cable_row())
    _check_page(html, f"the discussion with website {url!r}")
    author = parse(html).css_first("ol.comments .author a")
    assert author.attributes["href"].startswith("https://example.org/")


def test_ping_payloads_are_shown_inert(discussion, generous):
    for i, payload in enumerate(PAYLOADS):
        response = discussion.post(ping_url(), {
            "url": f"https://blog.example/{i}", "title": payload, "excerpt": payload, "blog_name": payload})
        assert ET.fromstring(response.content).findtext("error") == "0"
    for i, url in enumerate(URL_PAYLOADS):
        discussion.post(ping_url(), {"url": url, "title": f"url {i}"})
    _approve_everything()
    html = render_discussion(cable_row())
    _check_page(html, "the mentions")
    hrefs = [a.attributes["href"] for a in parse(html).css("ul.mentions a")]
    assert hrefs and all(re.match(r"https?://", h) for h in hrefs)


def test_stored_payloads_bypassing_the_forms_are_shown_inert(discussion):
    """What a moderator's edit or an old row could hold: the pages still show it inert."""
    seed(cable_row())
    html = render_discussion(cable_row())
    _check_page(html, "the seeded discussion")
    page = parse(html)
    for a in page.css("ol.comments .author a, ul.mentions a"):
        assert re.match(r"https?://", a.attributes.get("href") or "http://"), a.html
    # the feeds carry the same comments as HTML in the XML: inert too
    for url in ("/feeds/comments.atom", f"/feeds/cable/{ASTANA}/comments.atom"):
        root = ET.fromstring(discussion.get(url).content)
        for entry in root.iter(f"{ATOM}entry"):
            summary = entry.findtext(f"{ATOM}summary") or ""
            assert not live_markup(summary), summary
            author = entry.find(f"{ATOM}author")
            assert author.find(f"{ATOM}email") is None
            uri = author.findtext(f"{ATOM}uri")
            assert uri is None or re.match(r"https?://", uri), uri


def test_the_real_cable_page_shows_the_payloads_inert(discussion):
    seed(cable_row())
    response = discussion.get("/cable/2006/04/06ASTANA38.html")
    assert response.status_code == 200
    page = parse(response.content.decode())
    section = page.css_first("section#comments")
    problems = live_markup(section.html, allowed_tags=FORM_TAGS)
    assert not problems, problems[:5]
    # the page's only scripts are the site's own files
    assert all(s.attributes.get("src", "").startswith("/static/") for s in page.css("script"))
    assert len(section.css("ol.comments > li")) == len([p for p in PAYLOADS])
