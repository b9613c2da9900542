"""What the discussion tests share: clean tables, posting, rendering, markup checks.

The web tests share one archive per process, so every discussion test starts and ends with empty
comment, mention and rate-counter tables.
"""

from __future__ import annotations

import re

import pytest

ASTANA = "06ASTANA38"               # the blog page: 8 numbered paragraphs, created 2006-04-24
ASTANA_PAGE = "/cable/2006/04/06ASTANA38.html"


@pytest.fixture(name="discussion")
def discussion_fixture(client):
    """The test client over an empty discussion of the web archive."""
    from cables.web.discussion.models import Comment, Mention, RateCounter

    def empty():
        Comment.objects.all().delete()
        Mention.objects.all().delete()
        RateCounter.objects.all().delete()

    empty()
    yield client
    empty()


def cable_row(ref: str = ASTANA):
    from cables.store.models import Cable

    return Cable.objects.get(canonical_id=ref)


def comment_form_url(ref: str = ASTANA) -> str:
    return f"/cable/{ref}/comments"


def ping_url(ref: str = ASTANA) -> str:
    return f"/cable/{ref}/trackback"


def good_comment(**fields) -> dict:
    data = {"name": "Alice Reader", "email": "alice@example.org", "website": "",
            "body": "The *Ambassador* met the Minister of Justice.", "paragraph": "", "parent": "",
            "homepage": ""}
    data.update(fields)
    return data


def post_comment(client, ref: str = ASTANA, address: str = "192.0.2.10", **fields):
    return client.post(comment_form_url(ref), good_comment(**fields), REMOTE_ADDR=address)


def render_discussion(cable, request=None, **context) -> str:
    """The cable page's foot as the cable page renders it: the tag in a RequestContext."""
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    request = request or RequestFactory().get(ASTANA_PAGE)
    template = Template("{% load discussion %}{% discussion_head cable %}{% cable_discussion cable %}")
    return template.render(RequestContext(request, {"cable": cable, **context}))


def parse(html: str):
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(html)


_SPACE_AND_CONTROLS = re.compile(r"[\x00-\x20\x7f-\x9f]+")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "background",
                  "poster", "srcdoc")
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta",
                  "img", "link", "frame", "frameset", "applet", "template", "details", "input",
                  "textarea", "select", "button", "form"}


def live_markup(html: str, allowed_tags: frozenset[str] = frozenset()) -> list[str]:
    """Every element or attribute in ``html`` that could run code or load something: scripts and
    active elements, ``on*`` handlers, style attributes, javascript:/vbscript:/data: URLs
    (compared the way a browser reads them: decoded entities, no whitespace or controls)."""
    problems = []
    for node in parse(html).root.traverse(include_text=False):
        tag = (node.tag or "").lower()
        if tag in FORBIDDEN_TAGS and tag not in allowed_tags:
            problems.append(f"<{tag}> element: {node.html[:120]!r}")
        for name, value in node.attributes.items():
            name = (name or "").lower()
            if name.startswith("on"):
                problems.append(f"{name}= on <{tag}>: {value!r}")
            if name == "style":
                problems.append(f"style= on <{tag}>: {value!r}")
            if name in URL_ATTRIBUTES and value:
                compact = _SPACE_AND_CONTROLS.sub("", value).lower()
                if compact.startswith(BAD_SCHEMES):
                    problems.append(f"{name}={value!r} on <{tag}>")
    return problems


def fragment(html: str, selector: str) -> str:
    node = parse(html).css_first(selector)
    assert node is not None, f"no {selector} in the page"
    return node.html
