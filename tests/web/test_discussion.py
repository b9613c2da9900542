"""Comments on a cable: the form at the foot of the page, moderation, replies, paragraph links,
the abuse rules (honeypot, CSRF, size limits, rate limits) and the counts other pages show.

Hard cases: 06ASTANA38 (the blog page; its paragraphs are numbered 1 to 8, so ¶9 does not exist)
and 09BAKU175 (an official build's cable, to check that replies and counts stay on their cable).
"""

from __future__ import annotations

import pytest

from .discussion_support import (  # noqa: F401
    ASTANA,
    ASTANA_PAGE,
    cable_row,
    comment_form_url,
    discussion_fixture,
    fragment,
    good_comment,
    parse,
    post_comment,
    render_discussion,
)

BAKU = "09BAKU175"


def _comments():
    from cables.web.discussion.models import Comment

    return Comment.objects.order_by("id")


def _counters() -> int:
    from cables.web.discussion.models import RateCounter

    return RateCounter.objects.count()


def _approve(*comments):
    from cables.web.discussion import moderation
    from cables.web.discussion.models import Comment

    moderation.approve(Comment.objects.filter(pk__in=[c.pk for c in comments]))


# --- the form at the foot of the cable page -------------------------------------------------------

def test_the_cable_foot_has_the_form_the_trackback_url_and_the_feed(discussion):
    cable = cable_row()
    html = render_discussion(cable)
    page = parse(html)
    section = page.css_first("section#comments")
    assert section is not None and "No comments yet." in section.text()
    form = page.css_first("form.comment-form")
    assert form.attributes["method"] == "post"
    assert form.attributes["action"] == comment_form_url()
    assert form.css_first("input[name=csrfmiddlewaretoken]") is not None
    for name in ("name", "email", "website", "body", "paragraph"):
        field = form.css_first(f"[name={name}]")
        label = form.css_first(f"label[for={field.attributes['id']}]")
        assert label is not None, f"the {name} field has no label"
    # ¶ choices are the cable's own numbered paragraphs, read from its parsed record
    numbers = [p.number for p in cable.record().paragraphs]
    assert numbers == list(range(1, 9))
    options = [o.attributes["value"] for o in form.css("select[name=paragraph] option")]
    assert options == [""] + [str(n) for n in numbers]
    # the honeypot sits in an element hidden from people and assistive technology
    trap = form.css_first("input[name=homepage]")
    assert "hidden" in trap.parent.attributes and trap.parent.attributes["aria-hidden"] == "true"
    # the TrackBack/Webmention address, absolute, and the head links
    assert f"http://testserver/cable/{ASTANA}/trackback" in section.text()
    webmention = page.css_first('link[rel="webmention"]')
    assert webmention.attributes["href"] == f"http://testserver/cable/{ASTANA}/trackback"
    feed = page.css_first('link[rel="alternate"][type="application/atom+xml"]')
    assert feed.attributes["href"] == f"/feeds/cable/{ASTANA}/comments.atom"
    assert page.css_first('link[rel="stylesheet"]').attributes["href"] == "/static/web/discussion.css"


def test_the_tag_accepts_a_record_or_an_id_and_ignores_an_unknown_cable(discussion):
    record = cable_row().record()
    assert 'action="/cable/06ASTANA38/comments"' in render_discussion(record)
    assert 'action="/cable/06ASTANA38/comments"' in render_discussion("06astana038")
    assert render_discussion("99NOWHERE1").strip() == ""


def test_the_comment_page_without_javascript(discussion):
    response = discussion.get(comment_form_url() + "?paragraph=4")
    assert response.status_code == 200
    page = parse(response.content.decode())
    assert page.css_first("h1").text() == f"Comment on {ASTANA}"
    assert page.css_first("select[name=paragraph] option[selected]").attributes["value"] == "4"
    assert page.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    # a ¶ the cable does not have is not preselected
    page = parse(discussion.get(comment_form_url() + "?paragraph=9").content.decode())
    assert page.css_first("select[name=paragraph] option[selected]").attributes["value"] == ""


def test_unknown_cable_has_no_comment_form(discussion):
    response = discussion.get(comment_form_url("99NOWHERE1"))
    assert response.status_code == 404
    assert "no cable" in response.content.decode()
    response = post_comment(discussion, "99NOWHERE1")
    assert response.status_code == 404
    assert not _comments().exists()


# --- moderation ---------------------------------------------------------------------------------------

def test_a_first_comment_waits_then_the_commenter_is_trusted(discussion):
    response = post_comment(discussion, body="First words, held.")
    assert response.status_code == 302
    assert response["Location"] == f"{ASTANA_PAGE}#comments"
    first = _comments().get()
    assert first.status == "pending" and first.client_address == "192.0.2.10"
    # the message the reader sees back on the cable page (the tag shows the request's messages)
    assert "waits for a moderator" in render_discussion(cable_row(), response.wsgi_request)
    assert "First words" not in render_discussion(cable_row())

    _approve(first)
    html = render_discussion(cable_row())
    assert "First words, held." in fragment(html, f"#comment-{first.pk}")
    assert "(1 comment)" in html

    # trusted now, whatever the case of the address: the next comment appears at once
    response = post_comment(discussion, email="ALICE@Example.ORG", body="Second words, shown.")
    second = _comments().last()
    assert second.status == "approved"
    assert response["Location"] == f"{ASTANA_PAGE}#comment-{second.pk}"
    assert "Second words, shown." in render_discussion(cable_row())

    # someone else starts again from the queue
    post_comment(discussion, name="Bob", email="bob@example.org", body="Bob's first.")
    assert _comments().last().status == "pending"


def test_a_commenter_marked_as_spam_is_trusted_no_more(discussion):
    from cables.web.discussion import moderation
    from cables.web.discussion.models import Comment

    post_comment(discussion, body="Legitimate.")
    _approve(_comments().get())
    post_comment(discussion, body="Buy pills.")
    spam = _comments().last()
    assert spam.status == "approved"
    moderation.mark_spam(Comment.objects.filter(pk=spam.pk))
    assert "Buy pills" not in render_discussion(cable_row())
    post_comment(discussion, body="More pills.")
    assert _comments().last().status == "pending"


def test_pending_and_spam_counts_wait_in_the_queue(discussion):
    from cables.web.discussion import moderation

    post_comment(discussion, body="one")
    post_comment(discussion, email="c@example.org", body="two")
    assert moderation.waiting() == {"comments": 2, "mentions": 0}


# --- replies and paragraphs ------------------------------------------------------------------------

def test_one_level_of_replies(discussion):
    post_comment(discussion, body="A question about the AIG settlement.")
    question = _comments().get()
    _approve(question)
    response = post_comment(discussion, name="Bob", email="bob@example.org", parent=question.pk,
                            body="An answer.")
    assert response.status_code == 302
    answer = _comments().last()
    assert answer.parent_id == question.pk
    _approve(answer)
    # a reply to the reply joins the same thread: there is one level only
    post_comment(discussion, name="Carol", email="carol@example.org", parent=answer.pk,
                 body="A reply to the answer.")
    third = _comments().last()
    assert third.parent_id == question.pk
    _approve(third)
    page = parse(render_discussion(cable_row()))
    thread = page.css_first(f"#comment-{question.pk}").parent
    replies = [a.attributes["id"] for a in thread.css("ol.replies article")]
    assert replies == [f"comment-{answer.pk}", f"comment-{third.pk}"]
    assert not page.css("ol.replies ol.replies")
    # the Reply link opens the form page for the thread, which shows what is answered
    reply_link = page.css_first(f"#comment-{answer.pk} .reply a").attributes["href"]
    assert reply_link == f"/cable/{ASTANA}/comments?reply={question.pk}#comment-form"
    form_page = discussion.get(reply_link.split("#")[0]).content.decode()
    assert "A question about the AIG settlement." in form_page
    assert f'name="parent" value="{question.pk}"' in form_page


def test_a_reply_only_to_a_shown_comment_of_the_same_cable(discussion):
    post_comment(discussion, body="Still pending.")
    pending = _comments().get()
    response = post_comment(discussion, parent=pending.pk, body="Reply to a held comment.")
    assert response.status_code == 400
    assert "not shown on this cable" in response.content.decode()
    _approve(pending)
    # the same comment, from another cable's form (09BAKU175)
    response = post_comment(discussion, BAKU, parent=pending.pk, body="Reply from elsewhere.")
    assert response.status_code == 400
    assert _comments().count() == 1


def test_a_comment_can_point_at_a_paragraph(discussion):
    post_comment(discussion, paragraph="4", body="About the commendation.")
    comment = _comments().get()
    assert comment.paragraph == 4
    _approve(comment)
    link = parse(render_discussion(cable_row())).css_first(f"#comment-{comment.pk} header .meta a")
    assert link.attributes["href"] == f"{ASTANA_PAGE}#par4" and link.text() == "¶4"
    # 06ASTANA38 has no ¶9
    response = post_comment(discussion, paragraph="9", body="About nothing.")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert _comments().count() == 1


def test_markdown_subset(discussion):
    body = ("Read **this** and *that*.\n\n> Baliyeva proudly pointed\n\n"
            "See [the cable](https://example.org/c) and <b>no html</b>.")
    post_comment(discussion, body=body)
    comment = _comments().get()
    _approve(comment)
    node = parse(render_discussion(cable_row())).css_first(f"#comment-{comment.pk} .comment-body")
    assert node.css_first("strong").text() == "this" and node.css_first("em").text() == "that"
    assert node.css_first("blockquote").text().strip() == "Baliyeva proudly pointed"
    link = node.css_first("a")
    assert link.attributes["href"] == "https://example.org/c"
    assert set(link.attributes["rel"].split()) >= {"nofollow", "ugc"}
    assert node.css_first("b") is None and "<b>no html</b>" in node.text()
    assert len(node.css("p")) == 3


def test_website_links_are_nofollow_and_emails_never_shown(discussion):
    post_comment(discussion, website="https://alice.example.org/", email="secret-alice@example.org")
    comment = _comments().get()
    _approve(comment)
    html = render_discussion(cable_row())
    author = parse(html).css_first(f"#comment-{comment.pk} .author a")
    assert author.attributes["href"] == "https://alice.example.org/"
    assert set(author.attributes["rel"].split()) >= {"nofollow", "ugc"}
    assert "secret-alice" not in html
    assert "secret-alice" not in discussion.get(comment_form_url() + f"?reply={comment.pk}").content.decode()


# --- abuse ----------------------------------------------------------------------------------------

def test_the_honeypot_refuses_robots(discussion):
    response = post_comment(discussion, homepage="http://spam.example/")
    assert response.status_code == 400
    assert "trap for robots" in response.content.decode()
    assert not _comments().exists() and _counters() == 0


def test_a_post_without_the_csrf_token_is_refused(discussion):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post(comment_form_url(), good_comment())
    assert response.status_code == 403
    assert not _comments().exists()
    # the same post with the token of the form page goes through
    browser.get(comment_form_url())
    token = browser.cookies["csrftoken"].value
    response = browser.post(comment_form_url(), good_comment(csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert _comments().count() == 1


@pytest.mark.parametrize("field, value, message", [
    ("name", "N" * 81, "at most 80 characters (it has 81)"),
    ("email", "a" * 245 + "@example.org", "at most 254 characters"),
    ("website", "https://example.org/" + "p" * 181, "at most 200 characters (it has 201)"),
    ("body", "b" * 5001, "at most 5000 characters (it has 5001)"),
    ("name", "   ", "This field is required."),
    ("email", "not-an-address", "Enter a valid email address."),
    ("website", "javascript:alert(1)", "Enter a valid URL."),
    ("website", "ftp://example.org/file", "Enter a valid URL."),
    ("body", "", "This field is required."),
    ("body", "x", "at least 2 characters"),
    ("body", " ".join(f"[l{i}](https://example.org/{i})" for i in range(6)), "At most 5 links"),
    ("paragraph", "four", "Select a valid choice"),
    ("name", "Null\x00byte", "Null characters are not allowed."),
])
def test_oversized_and_invalid_posts_are_refused_whole(discussion, field, value, message):
    response = post_comment(discussion, **{field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    assert "Nothing was saved." in page
    # the input is kept (the other fields as typed, the bad one shown for correction)
    form = parse(page).css_first("form.comment-form")
    if field != "name":
        assert form.css_first("input[name=name]").attributes["value"] == "Alice Reader"
    if field != "body":
        assert form.css_first("textarea[name=body]").text().strip() == good_comment()["body"]
    if field == "body" and value.strip():
        assert form.css_first("textarea[name=body]").text().strip() == value.strip()
    # the bad field is marked for assistive technology
    if field in {"name", "email", "website", "body"} and value.strip():
        assert form.css_first(f"[name={field}]").attributes.get("aria-invalid") == "true"
    assert not _comments().exists() and _counters() == 0


def test_a_request_too_big_is_a_400_not_a_500(discussion):
    response = discussion.post(comment_form_url(), good_comment(body="x" * 3_000_000))
    assert response.status_code == 400
    assert not _comments().exists()


# --- rate limits --------------------------------------------------------------------------------------

def test_rate_limit_per_address(discussion, settings):
    settings.CABLES_DISCUSSION_LIMITS = {"comment-address": [(3, 600)], "comment-email": [(100, 600)]}
    for i in range(3):
        assert post_comment(discussion, email=f"r{i}@example.org").status_code == 302
    response = post_comment(discussion, email="r4@example.org", body="One too many.")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many comments from your address: at most 3 in 10 minutes." in page
    assert int(response["Retry-After"]) >= 1
    # the refused comment is kept in the form, and not stored
    assert "One too many." in parse(page).css_first("textarea[name=body]").text()
    assert _comments().count() == 3
    # another address may still post
    assert post_comment(discussion, address="198.51.100.7", email="r5@example.org").status_code == 302


def test_rate_limit_per_email(discussion, settings):
    settings.CABLES_DISCUSSION_LIMITS = {"comment-address": [(100, 600)], "comment-email": [(2, 600)]}
    assert post_comment(discussion, address="198.51.100.1").status_code == 302
    assert post_comment(discussion, address="198.51.100.2").status_code == 302
    response = post_comment(discussion, address="198.51.100.3", email="Alice@example.org")
    assert response.status_code == 429
    assert "Too many comments with this e-mail address: at most 2 in 10 minutes." in response.content.decode()
    assert _comments().count() == 2


def test_x_forwarded_for_is_believed_only_from_trusted_proxies(discussion, settings):
    settings.CABLES_DISCUSSION_LIMITS = {"comment-address": [(2, 600)], "comment-email": [(100, 600)]}
    # not trusted: a spammer cannot pick a new address for every post
    for i in range(2):
        discussion.post(comment_form_url(), good_comment(email=f"x{i}@example.org"),
                        REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    response = discussion.post(comment_form_url(), good_comment(email="x9@example.org"),
                               REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429
    assert set(_comments().values_list("client_address", flat=True)) == {"192.0.2.50"}
    # behind a trusted proxy, the client is the first untrusted hop from the right
    settings.CABLES_TRUSTED_PROXIES = "192.0.2.50, 10.0.0.0/8"
    response = discussion.post(comment_form_url(), good_comment(email="y@example.org"),
                               REMOTE_ADDR="192.0.2.50",
                               HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.77, 10.1.2.3")
    assert response.status_code == 302
    assert _comments().last().client_address == "203.0.113.77"


def test_rate_counts_are_shared_by_worker_processes(discussion, settings, tmp_path):
    """Another process (a second gunicorn worker) sees and adds to the same counters."""
    import subprocess
    import sys

    from django.conf import settings as django_settings

    from cables.web.discussion import ratelimit
    from cables.web.discussion.models import RateCounter

    database = django_settings.DATABASES["default"]["NAME"]
    worker = tmp_path / "worker.py"
    worker.write_text(f"""
import sys
from cables.store import db
db.setup({database!r})
from django.conf import settings
settings.CABLES_DISCUSSION_LIMITS = {{"comment-address": [(3, 600)], "comment-email": [(100, 600)]}}
from cables.store.models import Cable
from cables.web.discussion.forms import CommentForm
from cables.web.discussion.ratelimit import RateLimited
from cables.web.discussion.views import submit
cable = Cable.objects.get(canonical_id={ASTANA!r})
for i in range(2):
    form = CommentForm({{"name": "Worker", "email": f"w{{i}}@example.org", "body": "From worker two."}},
                       cable=cable)
    assert form.is_valid(), form.errors
    try:
        submit(form, cable, "192.0.2.77")
        print("stored")
    except RateLimited as exc:
        print("limited:", exc)
""")
    settings.CABLES_DISCUSSION_LIMITS = {"comment-address": [(3, 600)], "comment-email": [(100, 600)]}
    for i in range(2):
        assert post_comment(discussion, address="192.0.2.77", email=f"m{i}@example.org").status_code == 302
    result = subprocess.run([sys.executable, str(worker)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "stored"
    assert lines[1].startswith("limited: Too many comments from your address: at most 3")
    assert _comments().count() == 3
    counter = RateCounter.objects.get(key=ratelimit.key(ratelimit.COMMENT_ADDRESS, "192.0.2.77"))
    assert counter.count == 3
    # and this process sees the worker's count
    assert post_comment(discussion, address="192.0.2.77", email="m9@example.org").status_code == 429


# --- counts and latest comments for other pages -----------------------------------------------------

def test_comment_counts_in_one_query(discussion):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cables.store.models import Cable
    from cables.web.discussion.queries import comment_counts

    post_comment(discussion, body="on Astana")
    first = _comments().get()
    _approve(first)
    post_comment(discussion, body="on Astana again")                    # trusted: shown
    post_comment(discussion, BAKU, body="on Baku")                      # trusted: shown
    post_comment(discussion, BAKU, email="new@example.org", body="x1")  # held: not counted
    rows = list(Cable.objects.order_by("canonical_id")[:200]) + [cable_row(BAKU)]
    with CaptureQueriesContext(connection) as queries:
        counts = comment_counts([r.canonical_id for r in rows])
    assert len(queries) == 1
    assert counts == {ASTANA: 2, BAKU: 1}
    assert comment_counts([cable_row().pk, cable_row(BAKU).pk]) == {cable_row().pk: 2, cable_row(BAKU).pk: 1}
    assert comment_counts(["06astana038"]) == {ASTANA: 2}


def test_count_tags_for_lists_and_pages(discussion):
    from django.template import Context, Template

    from cables.search.service import search

    post_comment(discussion, body="on Astana")
    _approve(_comments().get())
    hits = search(ASTANA).hits   # a search for the id: the cable first, then those citing it
    template = Template("{% load discussion %}{% comment_counts hits as counts %}"
                        "{% for h in hits %}[{{ h.reference_id }}={{ counts|comment_count:h.reference_id }}]"
                        "{% comments_badge counts h %}{% endfor %}|{% cable_comments_link cable %}")
    html = template.render(Context({"hits": hits, "cable": cable_row()}))
    assert f"[{ASTANA}=1]" in html
    badge = parse(html).css_first("a.comments-badge")
    assert badge.attributes["href"] == f"{ASTANA_PAGE}#comments" and badge.text() == "1 comment"
    assert html.count("1 comment") == 2


def test_the_cable_page_menu_counts_its_approved_comments(discussion):
    """06ASTANA38's menu: a link to its discussion with the approved comments only."""
    def menu_link() -> str:
        page = parse(discussion.get(ASTANA_PAGE).content.decode())
        return next(a.text() for a in page.css("nav.cable-tools a") if a.attributes["href"] == "#comments")

    assert menu_link() == "Comments (0)"
    post_comment(discussion, body="on Astana")
    assert menu_link() == "Comments (0)"            # held for a moderator
    _approve(_comments().get())
    post_comment(discussion, body="again")           # trusted now: shown at once
    post_comment(discussion, email="new@example.org", body="held")
    assert menu_link() == "Comments (2)"


def test_latest_comments_for_the_home_page(discussion):
    from django.template import Context, Template

    post_comment(discussion, body="Older words.")
    older = _comments().get()
    _approve(older)
    post_comment(discussion, BAKU, body="Newer **words**.")
    newer = _comments().last()
    post_comment(discussion, email="held@example.org", body="Held words.")
    html = Template("{% load discussion %}{% latest_comments 5 %}").render(Context())
    items = parse(html).css("section.latest-comments li")
    assert [i.css_first("a").attributes["href"] for i in items] == [
        f"/cable/2009/03/{BAKU}.html#comment-{newer.pk}", f"{ASTANA_PAGE}#comment-{older.pk}"]
    assert "Newer words." in items[0].text() and "Held" not in html
    assert parse(html).css_first('section.latest-comments a[href="/feeds/comments.atom"]') is not None


def test_feed_link_tags(discussion):
    from django.template import Context, Template

    html = Template('{% load discussion %}{% feed_link "cables" %}{% feed_link "tag" "pgov" %}'
                    '{% feed_link "origin" "Embassy Astana" %}{% feed_link "release" "blog-06ASTANA38" %}'
                    '{% feed_link "search" q %}{% feed_link "comments" %}{% feed_url "tag" "AJ" %}'
                    ).render(Context({"q": 'tag:AJ "human rights"'}))
    hrefs = [link.attributes["href"] for link in parse(html).css('link[rel="alternate"]')]
    assert hrefs == ["/feeds/cables.atom", "/feeds/tag/PGOV.atom", "/feeds/origin/embassy-astana.atom",
                     "/feeds/release/blog-06ASTANA38.atom",
                     "/feeds/search.atom?q=tag%3AAJ+%22human+rights%22", "/feeds/comments.atom"]
    assert html.endswith("/feeds/tag/AJ.atom")
    assert all(link.attributes["type"] == "application/atom+xml"
               for link in parse(html).css('link[rel="alternate"]'))


# --- moderators ---------------------------------------------------------------------------------------

def test_createmoderator_and_the_moderation_queue(discussion, monkeypatch, capsys):
    import argparse
    import io

    from django.contrib.auth.models import User

    from cables.cli import moderator_cmd
    from cables.web.discussion.models import Mention

    from django.conf import settings

    User.objects.filter(username="mod-alice").delete()
    parser = argparse.ArgumentParser()
    moderator_cmd.register(parser.add_subparsers())
    archive = ["--db", settings.DATABASES["default"]["NAME"]]
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    args = parser.parse_args(["createmoderator", "mod-alice", "--password-stdin", *archive])
    assert args.run(args) == 1
    assert "at least 10 characters" in capsys.readouterr().err
    assert not User.objects.filter(username="mod-alice").exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    args = parser.parse_args(["createmoderator", "mod-alice", "--password-stdin", *archive])
    assert args.run(args) == 0
    user = User.objects.get(username="mod-alice")
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("web.change_comment") and user.has_perm("web.delete_mention")
    assert not user.has_perm("store.change_cable")

    post_comment(discussion, body="Waiting one.")
    post_comment(discussion, email="b@example.org", body="Waiting two.")
    Mention.objects.create(cable=cable_row(), kind=Mention.TRACKBACK, source_url="https://blog.example/p")
    assert discussion.login(username="mod-alice", password="correct horse battery")
    page = discussion.get("/admin/web/comment/").content.decode()
    assert "Waiting for a moderator: 2 comments and 1 mention." in page
    assert "Waiting one." in page and "Waiting two." in page
    first, second = _comments()
    response = discussion.post("/admin/web/comment/", {"action": "approve", "_selected_action": [first.pk]})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "approved" and first.moderated is not None
    assert "Waiting one." in render_discussion(cable_row())
    discussion.post("/admin/web/comment/", {"action": "mark_spam", "_selected_action": [second.pk]})
    second.refresh_from_db()
    assert second.status == "spam"
    # edit
    response = discussion.post(f"/admin/web/comment/{first.pk}/change/", {
        "name": "Alice Reader", "website": "", "paragraph": "", "body": "Edited by a moderator.",
        "status": "approved"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Edited by a moderator." in render_discussion(cable_row())
    # delete (the list shows what waits unless asked for all)
    discussion.post("/admin/web/comment/?status=all", {"action": "delete_selected", "_selected_action": [first.pk],
                                            "post": "yes"})
    assert not _comments().filter(pk=first.pk).exists()
    discussion.logout()
    User.objects.filter(username="mod-alice").delete()


def test_the_queue_is_closed_to_visitors(discussion):
    response = discussion.get("/admin/web/comment/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_client_address_reading():
    from django.test import RequestFactory, override_settings

    from cables.web.discussion.clients import client_address

    factory = RequestFactory()
    assert client_address(factory.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="1.1.1.1")) == "192.0.2.1"
    with override_settings(CABLES_TRUSTED_PROXIES=["127.0.0.1", "::1"]):
        request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
        assert client_address(request) == "203.0.113.5"
        request = factory.get("/", REMOTE_ADDR="::ffff:127.0.0.1", HTTP_X_FORWARDED_FOR="[2001:db8::7]:443")
        assert client_address(request) == "2001:db8::7"
        request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="garbage, 203.0.113.5")
        assert client_address(request) == "203.0.113.5"
        request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, garbage")
        assert client_address(request) == "127.0.0.1"
    with override_settings(CABLES_TRUSTED_PROXIES="unix"):
        assert client_address(factory.get("/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "203.0.113.9"
    assert client_address(factory.get("/", REMOTE_ADDR="")) is None


def test_a_paragraph_comment_url_for_the_cable_page(discussion):
    from django.template import Context, Template

    html = Template("{% load discussion %}{% paragraph_comment_url ref 4 %}").render(Context({"ref": ASTANA}))
    assert html == f"/cable/{ASTANA}/comments?paragraph=4#comment-form"



# --- through the real cable page --------------------------------------------------------------------

def test_the_cable_page_carries_the_discussion(discussion):
    response = post_comment(discussion, body="Through the page.")
    assert response["Location"] == f"{ASTANA_PAGE}#comments"
    page = discussion.get(ASTANA_PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    section = parse(html).css_first("section#comments")
    assert "Thank you: your comment waits for a moderator." in section.text()
    assert "Through the page." not in html
    head = parse(html).css_first("head")
    assert head.css_first('link[rel="webmention"]').attributes["href"] == f"http://testserver/cable/{ASTANA}/trackback"
    # the message is shown once, then gone
    assert "Thank you" not in discussion.get(ASTANA_PAGE).content.decode()
    _approve(_comments().get())
    comment = _comments().get()
    html = discussion.get(ASTANA_PAGE).content.decode()
    assert "Through the page." in parse(html).css_first(f"#comment-{comment.pk}").text()
    assert "(1 comment)" in parse(html).css_first("section#comments h2").text()
    # trusted now: the next one is published at once, and the page says so
    response = post_comment(discussion, body="Published at once.")
    html = discussion.get(response["Location"].split("#")[0]).content.decode()
    assert "your comment is published" in html and "Published at once." in html


@pytest.mark.parametrize("text, expected", [
    (None, {}),
    ('{"comment-address": [[2, 60]], "comment-email": [[1, 600], [3, 86400]]}',
     {"comment-address": [(2, 60)], "comment-email": [(1, 600), (3, 86400)]}),
])
def test_rate_limits_from_the_environment(text, expected):
    """A site sets its limits without editing code: CABLES_DISCUSSION_LIMITS, as JSON."""
    from cables.settings.common import discussion_limits

    assert discussion_limits(text) == expected


@pytest.mark.parametrize("text", ["6/600", '{"comment-address": 6}', '{"comment-address": [["a", 1]]}'])
def test_bad_rate_limits_are_refused_with_their_name(text):
    from cables.settings.common import discussion_limits

    with pytest.raises(ValueError, match="CABLES_DISCUSSION_LIMITS"):
        discussion_limits(text)
