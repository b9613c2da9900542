"""Cross-site scripting in a real browser: the payloads of :mod:`.xss_payloads` posted, approved,
then shown by `cables serve` to headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright), which must run none of them and show each as the text that was typed.

The archive is this module's own (the blog page 06ASTANA38, ingested with the real `cables
ingest`), so that its comments touch no other test's site. A few comments are posted as a reader
posts them — the form on the cable page, the paragraph-comment page, a reply — with payloads in
every field the form has; a TrackBack is sent to the real endpoint; a moderator approves them
(a child process with the ORM, as the admin's action does); and the whole payload list is stored
approved on the cable through the ORM (:func:`.xss_payloads.seed`), as an old row or a moderator's
edit could hold it. The browser posts stay few: the site allows six comments per address per ten
minutes, and its limits are Django settings, not environment variables.

Every page is watched for a dialog (``alert(1)`` is what every payload tries; the listener records
and dismisses it), a console error (a CSP violation is one: markup that reached the page and was
only stopped by the policy), an uncaught exception, a failed request (``<img src=x>`` would ask for
one) and any request to a host other than the server's (aborted and recorded). Its DOM must hold
no script but our own under /static/, no ``on*`` or ``style`` attribute, no frame, object, embed,
base or http-equiv meta, no link or form target with a javascript:, vbscript: or data: URL (read
the way the browser reads it: the resolved URL, and the attribute with its blanks and controls
removed, case-insensitively), and no element in a comment but the few Markdown makes.

Atom feeds are not opened here: Chromium shows application/atom+xml as source text, so a feed
cannot run anything in it; test_discussion_xss.py checks their markup.
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BLOG_PAGE, cable, require

from . import live
from .browser import DESKTOP, Watch, chromium, new_page
from .xss_payloads import PAYLOADS, URL_PAYLOADS

# One worker holds this module's server and browser (`--dist loadgroup`); it shares nothing with
# the live-site group, so the two can run side by side.
pytestmark = pytest.mark.xdist_group("discussion-browser")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (tests/web/browser.py): missing, it fails the run in CI and skips it
    (saying why) elsewhere."""
    yield from chromium()


ASTANA = "06ASTANA38"  # the blog page: paragraphs ¶1–¶8
WEB_TESTS = Path(__file__).resolve().parent


def words(text: str) -> str:
    """Text with every run of blanks (spaces, tabs, line breaks) made one space."""
    return " ".join(text.split())


def cable_page() -> str:
    """/cable/YYYY/MM/06ASTANA38.html, the WikiLeaks scheme, from the parsed record's date."""
    created = cable(ASTANA).created
    return f"/cable/{created[:4]}/{created[5:7]}/{ASTANA}.html"


def comment_form(**query) -> str:
    """The comment form's own page (``reply=N``: a reply; ``paragraph=N``: about one paragraph)."""
    return f"/cable/{ASTANA}/comments" + ("?" + urllib.parse.urlencode(query) if query else "")


# Markdown turns these into markup or eats them (emphasis, links, images, code, escapes,
# entities, a quote at the start, an autolink ``<scheme:…>``); a payload without any of them must
# come out of the renderer as exactly the text typed.
MARKDOWN_SYNTAX = re.compile(r"[*_\[\]`\\&]|^\s*>|<[A-Za-z][A-Za-z0-9.+-]{1,31}:|[\x00-\x08\x0b-\x1f]")


def literal_in_markdown(payload: str) -> bool:
    return not MARKDOWN_SYNTAX.search(payload) and payload == payload.strip()


def shown_text(payload: str) -> str:
    """What a reader must see of a payload typed as a comment (see :data:`MARKDOWN_SYNTAX`); for
    a payload whose only Markdown is character references, the characters they name (CommonMark
    decodes them, as HTML would)."""
    return html.unescape(payload) if "&" in payload else payload


def shown_as_typed(payload: str) -> bool:
    return literal_in_markdown(payload) or literal_in_markdown(payload.replace("&", ""))


# --- the browser's watch: everything of Watch, and dialogs ------------------------------------

class XssWatch(Watch):
    """:class:`browser.Watch`, plus every dialog a page opened (recorded, then dismissed so
    that the page goes on)."""

    def __init__(self, site: live.Site):
        super().__init__(site)
        self.dialogs: list[str] = []

    def attach(self, page) -> None:
        super().attach(page)
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type} {dialog.message!r} on {dialog.page.url}")
        dialog.dismiss()

    def problems(self) -> dict[str, list[str]]:
        found = {"dialogs (a payload ran)": self.dialogs} if self.dialogs else {}
        found.update(super().problems())
        return found


# What a page's DOM must not hold; returns one line per finding.
LIVE_MARKUP_JS = r"""
() => {
  const found = [];
  const here = location.origin;
  const show = (el) => el.outerHTML.slice(0, 160);
  const bare = (v) => v.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  const badScheme = /^(javascript|vbscript|data|livescript):/;
  const urlAttributes = new Set(["href", "xlink:href", "src", "action", "formaction", "data",
    "poster", "background", "codebase", "cite", "srcset", "ping", "manifest", "lowsrc"]);
  const forbiddenTags = new Set(["iframe", "frame", "frameset", "object", "embed", "applet",
    "base", "portal", "style"]);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    if (tag === "script") {
      if (!el.hasAttribute("src") || !el.src.startsWith(here + "/static/")) {
        found.push("script not ours: " + show(el));
      }
    }
    if (forbiddenTags.has(tag)) found.push("element <" + tag + ">: " + show(el));
    if (tag === "meta" && el.hasAttribute("http-equiv")) found.push("http-equiv meta: " + show(el));
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push("event handler " + name + ": " + show(el));
      if (name === "style" || name === "srcdoc") found.push(name + " attribute: " + show(el));
      if (urlAttributes.has(name) && badScheme.test(bare(attr.value))) {
        found.push(name + " to " + attr.value + ": " + show(el));
      }
    }
  }
  // the site's own links go to web pages or, to share a cable, an e-mail; a visitor's only to
  // web pages
  const visitors = "article.comment a, #mentions a";
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    if (a instanceof HTMLAnchorElement || a instanceof HTMLAreaElement) {
      const schemes = a.matches(visitors) ? ["http:", "https:"] : ["http:", "https:", "mailto:"];
      if (!schemes.includes(a.protocol)) found.push("link to " + a.href + ": " + show(a));
    }
  }
  for (const form of document.forms) {
    if (new URL(form.action).origin !== here) found.push("form to " + form.action + ": " + show(form));
  }
  // A comment holds only what its Markdown makes, the name only a link to the website, a mention
  // only its link, its site, its date and its excerpt.
  const allowed = [[".comment-body", ["p", "em", "strong", "a", "blockquote", "br"]],
                   ["article.comment .author", ["a"]],
                   ["#mentions li", ["a", "span", "time", "blockquote"]]];
  for (const [where, tags] of allowed) {
    for (const box of document.querySelectorAll(where)) {
      for (const el of box.querySelectorAll("*")) {
        if (!tags.includes(el.localName)) found.push("<" + el.localName + "> in " + where + ": " + show(el));
      }
    }
  }
  return found;
}
"""

# Each comment's shown name and text, and each mention's text, by element id.
SHOWN_JS = r"""
() => ({
  comments: Object.fromEntries([...document.querySelectorAll("article.comment")].map(a =>
    [a.id, {text: a.innerText, author: a.querySelector(".author").innerText,
            website: (a.querySelector(".author a") || {getAttribute: () => null}).getAttribute("href"),
            body: a.querySelector(".comment-body").innerText}])),
  mentions: Object.fromEntries([...document.querySelectorAll("#mentions li")].map(li =>
    [li.id, {title: li.querySelector(".mention-title").innerText, text: li.innerText,
             href: (li.querySelector(".mention-title a") || {getAttribute: () => null}).getAttribute("href")}])),
})
"""


def live_markup(page) -> list[str]:
    return page.evaluate(LIVE_MARKUP_JS)


# --- the site, and what was posted on it -------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`cables serve` on an archive of this module's own: the blog page, by `cables ingest`."""
    folder = tmp_path_factory.mktemp("discussion-browser")
    db = folder / "discussion.db"
    live.cables("ingest", "--db", str(db), "--release", "blog-06ASTANA38", str(require(BLOG_PAGE)))
    site = live.start(db, folder, workers=2)
    yield site
    site.stop()


def moderate_and_seed(site: live.Site) -> dict:
    """As a moderator: approve every waiting comment and mention, then store the whole payload
    list approved on 06ASTANA38 (:func:`.xss_payloads.seed`). In a child process with the archive
    as ``CABLES_DB``, as the admin runs beside the server. Returns what was waiting and the ids of
    the seeded rows, per payload."""
    script = f"""
import json, sys
sys.path.insert(0, {str(WEB_TESTS)!r})
from cables.store import db
db.setup()
from cables.store.models import Cable
from cables.web.discussion import moderation
from cables.web.discussion.models import Comment, Mention, Status
import xss_payloads

waiting = {{"comments": list(Comment.objects.filter(status=Status.PENDING)
                              .order_by("id").values_list("id", flat=True)),
            "mentions": list(Mention.objects.filter(status=Status.PENDING)
                              .order_by("id").values_list("id", flat=True))}}
approved = {{"comments": moderation.approve(Comment.objects.all()),
             "mentions": moderation.approve(Mention.objects.all())}}
rows = xss_payloads.seed(Cable.objects.get(canonical_id={ASTANA!r}))
seeded = [[rows[i].pk, rows[i + 1].pk, rows[i + 2].pk] for i in range(0, len(rows), 3)]
print(json.dumps({{"waiting": waiting, "approved": approved, "seeded": seeded}}))
"""
    env = {**os.environ, "CABLES_DB": str(site.db)}
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class Post:
    """One comment as a reader typed it in the browser."""

    name: str
    email: str
    website: str
    body: str
    paragraph: int | None = None
    landed_on: str = ""        # the address the browser was sent to after posting
    notice: str = ""           # the message the page showed

    @property
    def id(self) -> int | None:
        m = re.search(r"#comment-(\d+)$", self.landed_on)
        return int(m.group(1)) if m else None


@dataclass
class Discussion:
    on_form: Post                  # on the cable page's form, about a paragraph picked there
    on_paragraph_page: Post        # on the paragraph-comment page
    reply: Post                    # a reply to on_form, after approval (shown at once)
    shown_before_approval: str     # the discussion's text right after the first two posts
    moderated: dict
    trackback_answer: str
    problems_while_posting: dict   # what the browser's watch saw on the way (see XssWatch)
    seeded: list[tuple[int, int, int]]  # per payload: (comment, its reply, mention)


TRACKBACK = {"url": "https://example.org/xss-trackback",
             "title": "&lt;script&gt;alert(1)&lt;/script&gt;",
             "excerpt": "<img src=x onerror=alert(1)>Read <b>this</b>",
             "blog_name": "<svg onload=alert(1)>A blog"}


def form_field(form, label: str):
    """A field of the comment form by its label (shown with a colon after it)."""
    return form.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def fill_and_post(page, post: Post, choose_paragraph: bool = True) -> None:
    form = page.locator("#comment-form form")
    form_field(form, "Name").fill(post.name)
    form_field(form, "E-mail").fill(post.email)
    form_field(form, "Website (optional)").fill(post.website)
    if post.paragraph is not None and choose_paragraph:
        form_field(form, "About paragraph (optional)").select_option(label=f"¶{post.paragraph}")
    form_field(form, "Comment").fill(post.body)
    with page.expect_navigation():
        form.get_by_role("button", name="Post the comment").click()
    post.landed_on = page.url
    post.notice = page.locator("#comments .messages").inner_text()


@pytest.fixture(scope="module")
def discussion(browser, site) -> Discussion:
    """Comments posted through the forms in Chromium, a TrackBack sent to the endpoint, everything
    approved, the payload list seeded: the discussion every test below looks at."""
    on_form = Post(name="<script>alert(1)</script>", email="first@example.org",
                   website="https://example.org/'onmouseover='alert(1)",
                   body="<img src=x onerror=alert(1)>\n\n<svg onload=alert(1)>", paragraph=3)
    on_paragraph_page = Post(name="<img src=x onerror=alert(1)>", email="second@example.org",
                             website="https://example.org/x?a=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
                             body="\"><script>alert(1)</script>\n\n"
                                  "<a href=\"javascript:alert(1)\">click</a>", paragraph=5)
    reply = Post(name="'><svg onload=alert(1)>", email="first@example.org",
                 website="https://example.org/\"onfocus=\"alert(1)",
                 body="<details open ontoggle=alert(1)>")
    watch = XssWatch(site)
    context, page = new_page(browser, site, watch)
    try:
        page.goto(cable_page())
        fill_and_post(page, on_form)
        page.goto(comment_form(paragraph=on_paragraph_page.paragraph))
        fill_and_post(page, on_paragraph_page, choose_paragraph=False)
        shown_before = page.locator("#comments").inner_text()

        data = urllib.parse.urlencode(TRACKBACK).encode()
        request = urllib.request.Request(site.url + f"/cable/{ASTANA}/trackback", data=data)
        with urllib.request.urlopen(request, timeout=30) as response:
            trackback_answer = response.read().decode()

        moderated = moderate_and_seed(site)

        page.goto(cable_page())
        first = page.locator(f"#comment-{moderated['waiting']['comments'][0]}")  # on_form's
        with page.expect_navigation():
            first.get_by_role("link", name=re.compile(r"^Reply\b")).click()
        fill_and_post(page, reply)
    finally:
        context.close()
    return Discussion(on_form, on_paragraph_page, reply, shown_before, moderated,
                      trackback_answer, watch.problems(),
                      [tuple(ids) for ids in moderated["seeded"]])


@pytest.fixture
def watch(site):
    watch = XssWatch(site)
    yield watch
    assert not watch.problems(), watch.problems()


@pytest.fixture
def page(browser, site, watch):
    context, page = new_page(browser, site, watch, viewport=DESKTOP)
    yield page
    context.close()


def comments_stored(site: live.Site) -> int:
    """How many comments the archive holds, whatever their status (read-only, beside the server)."""
    with closing(sqlite3.connect(f"file:{site.db}?mode=ro", uri=True)) as archive:
        return archive.execute("SELECT count(*) FROM web_comment").fetchone()[0]


def shown(page) -> dict:
    return page.evaluate(SHOWN_JS)


# --- posting --------------------------------------------------------------------------------

def test_first_comments_wait_for_a_moderator(discussion):
    """Each e-mail's first comment waited: the browser was sent to the discussion with the notice
    and the comment was not shown; the moderator found exactly those two and the TrackBack."""
    for post in (discussion.on_form, discussion.on_paragraph_page):
        assert post.landed_on.endswith(cable_page() + "#comments"), post.landed_on
        assert "waits for a moderator" in post.notice
        assert words(post.name) not in words(discussion.shown_before_approval)
    assert "<error>0</error>" in discussion.trackback_answer
    assert len(discussion.moderated["waiting"]["comments"]) == 2
    assert len(discussion.moderated["waiting"]["mentions"]) == 1
    assert discussion.moderated["approved"] == {"comments": 2, "mentions": 1}
    assert len(discussion.seeded) == len(PAYLOADS)


def test_posting_ran_nothing(discussion):
    """The cable page, the paragraph-comment page and the reply page, as the reader went through
    them to post (the last two after the payloads were approved): no dialog, console error,
    failed or outside request."""
    assert not discussion.problems_while_posting, discussion.problems_while_posting


def test_a_reply_from_an_approved_address_is_shown_at_once(discussion):
    reply = discussion.reply
    assert reply.id is not None, f"the reply was not published at once: {reply.landed_on}"
    assert reply.landed_on.split("#")[0].endswith(cable_page())
    assert "is published" in reply.notice


def test_a_refused_post_shows_every_field_as_typed(page, site, watch, discussion):
    """A post the form refuses (a javascript: website, an e-mail and a parent that are no such
    thing; the browser's own checks turned off, as a robot has none) comes back with the visitor's
    input in the fields: as values, not markup. Nothing is stored."""
    typed = {"Name": "</title><script>alert(1)</script>",
             "E-mail": "\"><script>alert(1)</script>@example.org",
             "Website (optional)": "javascript:alert(1)",
             "Comment": "</textarea><script>alert(1)</script><img src=x onerror=alert(1)>"}
    parent = "\"><svg onload=alert(1)>"
    before = comments_stored(site)
    page.goto(comment_form())
    form = page.locator("#comment-form form")
    for label, value in typed.items():
        form_field(form, label).fill(value)
    form.evaluate("(form, parent) => { form.noValidate = true;"
                  " form.querySelector('[name=parent]').value = parent; }", parent)
    watch.expected_404.add(site.url + comment_form())   # its 400 is logged to the console
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name="Post the comment").click()
    assert navigation.value.status == 400
    form = page.locator("#comment-form form")
    for label, value in typed.items():
        assert form_field(form, label).input_value() == value, label
    assert form.locator("[name=parent]").input_value() == parent
    assert page.get_by_role("alert").first.is_visible()
    assert live_markup(page) == []
    assert comments_stored(site) == before


# --- showing ---------------------------------------------------------------------------------

def test_the_cable_page_shows_every_payload_as_text(page, discussion):
    page.goto(cable_page())
    assert live_markup(page) == []
    found = shown(page)
    comments, mentions = found["comments"], found["mentions"]

    # what the browser posted, in every field the page shows
    for post in (discussion.on_form, discussion.on_paragraph_page, discussion.reply):
        article = next(c for c in comments.values() if words(c["author"]) == words(post.name))
        for line in post.body.split("\n\n"):
            assert words(shown_text(line)) in words(article["body"]), line
        assert article["website"] == post.website  # the link's href, as typed
        if post.paragraph is not None:
            assert f"about ¶{post.paragraph}" in words(article["text"])

    # every seeded payload: the name as typed everywhere; the text as typed where Markdown has
    # nothing to make of it; the mention's title, site and excerpt as stored
    literal = 0
    for payload, (comment_id, reply_id, mention_id) in zip(PAYLOADS, discussion.seeded):
        payload = payload.replace("\x00", "")   # as seed() stores it
        for pk in (comment_id, reply_id):
            article = comments.get(f"comment-{pk}")
            assert article is not None, f"comment {pk} ({payload!r}) is not shown"
            assert words(article["author"]) == words(payload[:80])
            assert article["body"].strip(), f"comment {pk} ({payload!r}) shows no text"
            if shown_as_typed(payload):
                assert words(shown_text(payload)) in words(article["body"]), payload
                literal += pk == comment_id
        mention = mentions.get(f"mention-{mention_id}")
        assert mention is not None, f"mention {mention_id} ({payload!r}) is not shown"
        assert words(mention["title"]) == words(payload[:200])
        for text in (payload[:200], payload):   # the site's name and the excerpt
            assert words(text) in words(mention["text"])
    assert literal >= len(PAYLOADS) // 2, "too few payloads were checked letter for letter"

    # the TrackBack sent to the endpoint: its title's character references name a script tag,
    # shown as the text it is
    trackback = next(m for m in mentions.values() if m["href"] == TRACKBACK["url"])
    assert words(trackback["title"]) == html.unescape(TRACKBACK["title"])

    # e-mail addresses are never shown
    content = page.content()
    for email in [f"xss{i}@example.org" for i in range(len(PAYLOADS))] + ["first@example.org",
                                                                          "second@example.org"]:
        assert email not in content


def test_hovering_and_clicking_comment_links_runs_nothing(page, discussion):
    """Every link of every comment and mention is hovered (``onmouseover`` payloads, websites
    with quotes in them); each body too (``<div onmouseover>``). The mentions whose source was a
    javascript:, vbscript: or data: URL show their title without a link: clicking the title
    must not leave the page."""
    page.goto(cable_page())
    links = page.locator("article.comment a, #mentions a")
    assert links.count() > 2 * len(PAYLOADS)
    for n in range(links.count()):
        links.nth(n).hover()
    bodies = page.locator(".comment-body")
    for n in range(bodies.count()):
        bodies.nth(n).hover()
    scripted = [i for i, url in enumerate(URL_PAYLOADS)
                if re.match(r"(javascript|vbscript|data):", url.strip(), re.IGNORECASE)]
    assert scripted
    origin = page.url
    for payload_index, (_, _, mention_id) in enumerate(discussion.seeded):
        if payload_index % len(URL_PAYLOADS) not in scripted:
            continue
        assert page.locator(f"#mention-{mention_id} .mention-title a").count() == 0
        page.locator(f"#mention-{mention_id} .mention-title").click()
        page.wait_for_load_state()
        assert urllib.parse.urlsplit(page.url).scheme == "http", page.url
        assert page.url.split("#")[0] == origin.split("#")[0]
        assert live_markup(page) == []


def test_reply_pages_show_the_name_replied_to_as_text(page, discussion):
    """The reply page puts the comment's author in its title and heading, and shows the comment:
    for every seeded payload and the browser's own posts."""
    ids = [c for c, _, _ in discussion.seeded] + [discussion.reply.id]
    names = [p.replace("\x00", "")[:80] for p in PAYLOADS] + [discussion.reply.name]
    for pk, name in zip(ids, names):
        page.goto(comment_form(reply=pk))
        heading = page.get_by_role("heading", level=1).inner_text()
        assert words(heading) == words(f"Reply to {name}")
        assert words(page.title()).startswith(words(f"Reply to {name} on {ASTANA}"))
        replied = page.get_by_role("region", name="The comment you reply to")
        assert words(replied.locator(".author").inner_text()) == words(name)
        assert live_markup(page) == [], name


def test_the_paragraph_comment_page_runs_nothing(page, discussion):
    """The form's page for a paragraph: the paragraph chosen, nothing of the discussion live."""
    paragraph = cable(ASTANA).paragraphs[0].number
    page.goto(comment_form(paragraph=paragraph))
    select = form_field(page.locator("#comment-form form"), "About paragraph (optional)")
    assert select.input_value() == str(paragraph)
    assert live_markup(page) == []


def test_the_home_page_latest_comments_show_names_and_text(page, discussion):
    """The newest comment is the browser's reply (posted last); before it, the last payload's
    seeded reply and comment. Names and excerpts are text."""
    page.goto("/")
    assert live_markup(page) == []
    latest = page.get_by_role("region", name="Latest comments")
    items = latest.get_by_role("listitem")
    first = words(items.nth(0).inner_text())
    assert first.startswith(words(f"{discussion.reply.name} on {ASTANA}"))
    assert words(discussion.reply.body) in first
    last_payload = PAYLOADS[-1].replace("\x00", "")
    assert words(items.nth(1).inner_text()).startswith(words(f"{last_payload[:80]} on {ASTANA}"))
