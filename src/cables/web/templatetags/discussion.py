"""The discussion in templates: ``{% load discussion %}`` then

- ``{% cable_discussion cable [discussion] %}`` at the foot of a cable page: its comments (threads, paragraph
  links), its mentions, the comment form, the TrackBack/Webmention URL and the comments feed;
- ``{% discussion_head cable %}`` in the cable page's ``<head>``: the discussion's stylesheet, the
  ``<link rel="webmention">`` endpoint and the comments feed;
- ``{% feed_link "tag" code %}`` in any page's ``<head>``: ``<link rel="alternate"
  type="application/atom+xml">`` (kinds: cables, comments, tag, origin, release, search, cable);
  ``{% feed_url "tag" code %}`` for a visible link to the same feed;
- ``{% comment_counts cables as counts %}`` once per list (one query), then
  ``{{ counts|comment_count:c.canonical_id }}`` or ``{% comments_badge counts c %}`` per row;
  ``{% cable_comments_link cable %}`` for one cable;
- ``{% latest_comments 5 %}`` for the home page;
- ``{% paragraph_comment_url cable 4 %}``: the form to comment on paragraph 4;
- ``{{ comment.body|comment_html }}``: a comment's Markdown as sanitised HTML.

``cable`` may be a store row, a parsed record, a search hit or a reference id.
"""

from __future__ import annotations

import html
from functools import lru_cache

from django import template
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from ...ids import canonical_id
from ..discussion import links
from ..discussion.forms import CommentForm, paragraph_numbers
from ..discussion.links import (
    absolute,
    comment_form_path,
    comment_path,
    feed_path,
    feed_title,
    ping_path,
)
from ..discussion.markdown import render
from ..discussion.queries import comment_counts as count_comments
from ..discussion.queries import discussion_of, find_cable
from ..discussion.queries import latest_comments as latest
from ..links import cable_path

register = template.Library()


@register.inclusion_tag("web/discussion/_cable.html", takes_context=True)
def cable_discussion(context, cable, discussion=None, fields=None):
    request = context.get("request")
    row = find_cable(cable)
    if row is None:
        return {"cable": None}
    page = cable_path(row.canonical_id, row.created)
    return {
        "cable": row,
        "request": request,
        "page": page,
        "discussion": discussion if discussion is not None else discussion_of(row),
        "fields": fields if fields is not None else empty_form_fields(row),
        "action": comment_form_path(row.canonical_id).split("#")[0],
        "ping_url": absolute(request, ping_path(row.canonical_id)),
        "cable_url": absolute(request, page),
        "feed": feed_path("cable", row.canonical_id),
        "messages": list(get_messages(request)) if request is not None else [],
    }


def empty_form_fields(cable) -> str:
    """The empty form's fields, the same for every reader and for every cable with the same
    paragraphs (its one choice); the reader's CSRF token goes in beside them."""
    return _empty_form_fields(tuple(paragraph_numbers(cable)))


@lru_cache(maxsize=1024)
def _empty_form_fields(numbers: tuple[int, ...]) -> str:
    """Rendered once per set of paragraph numbers and kept in the process: Django's forms take
    ~3 ms to render these fields, a tenth of a cable page nobody asked for yet, and the mirror's
    6,347 cables with paragraphs have 265 sets of numbers between them (1 to N, mostly)."""
    return render_to_string("web/discussion/_form_fields.html",
                            {"form": CommentForm(cable=None, numbers=list(numbers))})


@register.inclusion_tag("web/discussion/_head.html", takes_context=True)
def discussion_head(context, cable):
    row = find_cable(cable)
    if row is None:
        return {"cable": None}
    return {"cable": row, "ping_url": absolute(context.get("request"), ping_path(row.canonical_id)),
            "feed": feed_path("cable", row.canonical_id), "feed_title": feed_title("cable", row)}


@register.simple_tag
def feed_link(kind: str, value=None):
    return format_html('<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
                       f"cables: {feed_title(kind, value)}", feed_path(kind, value))


@register.simple_tag
def feed_url(kind: str, value=None) -> str:
    return feed_path(kind, value)


@register.simple_tag
def comment_counts(items) -> dict:
    """Approved comments per cable of a list, keyed by canonical id, in one query."""
    keys = []
    for item in items or ():
        if isinstance(item, str):
            keys.append(item)
        else:
            ref = getattr(item, "canonical_id", None) or getattr(item, "reference_id", None)
            if ref:
                keys.append(ref)
    return count_comments(keys)


@register.filter
def comment_count(counts, key) -> int:
    if not counts or key is None:
        return 0
    ref = getattr(key, "canonical_id", None) or getattr(key, "reference_id", None) or key
    return counts.get(canonical_id(ref) if isinstance(ref, str) else ref, 0)


@register.inclusion_tag("web/discussion/_badge.html")
def comments_badge(counts, item):
    n = comment_count(counts, item)
    ref = getattr(item, "canonical_id", None) or getattr(item, "reference_id", None) or str(item)
    created = getattr(item, "created", None)
    return {"n": n, "href": cable_path(ref, created) + "#comments"}


@register.inclusion_tag("web/discussion/_badge.html")
def cable_comments_link(cable):
    row = find_cable(cable)
    if row is None:
        return {"n": 0}
    return {"n": count_comments([row.pk]).get(row.pk, 0),
            "href": cable_path(row.canonical_id, row.created) + "#comments"}


@register.inclusion_tag("web/discussion/_latest.html")
def latest_comments(limit: int = 5):
    return {"comments": latest(int(limit))}


@register.simple_tag
def paragraph_comment_url(cable, number) -> str:
    ref = getattr(cable, "canonical_id", None) or getattr(cable, "reference_id", None) or str(cable)
    return comment_form_path(ref, paragraph=int(number))


@register.filter
def comment_html(text: str):
    return mark_safe(render(text or ""))


@register.filter
def comment_text(text: str) -> str:
    """A comment as plain text (for excerpts): the rendered HTML's text, escaped again on output."""
    return " ".join(html.unescape(strip_tags(render(text or ""))).split())


@register.filter
def http_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL, else nothing (a last guard for stored links)."""
    return links.http_url(url)


@register.simple_tag
def reply_url(cable, comment) -> str:
    return comment_form_path(cable.canonical_id, reply=comment.parent_id or comment.pk)


@register.simple_tag
def comment_url(comment) -> str:
    return comment_path(comment)
