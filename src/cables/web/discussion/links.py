"""Where the discussion's pages and feeds live (the names of :mod:`.urls`), and absolute URLs.

Kept beside :mod:`cables.web.links` (the site's link builders, which it reuses) so that a URL of
the discussion is decided once too.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404

from ...ids import canonical_id
from ..links import cable_path, reverse, slug  # reverse remembered: every cable page asks


def comment_form_path(reference_id: str, *, reply: int | None = None,
                      paragraph: int | None = None) -> str:
    path = reverse("discussion_comment", args=[canonical_id(reference_id)])
    params = {k: v for k, v in (("reply", reply), ("paragraph", paragraph)) if v}
    return path + ("?" + urlencode(params) if params else "") + "#comment-form"


def ping_path(reference_id: str) -> str:
    """The TrackBack and Webmention endpoint of a cable."""
    return reverse("discussion_ping", args=[canonical_id(reference_id)])


def comment_path(comment) -> str:
    return f"{cable_path(comment.cable.canonical_id, comment.cable.created)}#comment-{comment.pk}"


FEEDS = {
    "cables": ("feed_cables", "New cables"),
    "tag": ("feed_tag", "New cables tagged {}"),
    "origin": ("feed_origin", "New cables from {}"),
    "release": ("feed_release", "New cables of release {}"),
    "search": ("feed_search", "Cables matching {}"),
    "comments": ("feed_comments", "Latest comments"),
    "cable": ("feed_cable_comments", "Comments on {}"),
}


def feed_path(kind: str, value=None) -> str:
    """The Atom feed of a kind of page: ``cables``, ``comments`` (no value); ``tag`` (code),
    ``origin`` (name or slug), ``release`` (name), ``search`` (query), ``cable`` (id or cable)."""
    if kind not in FEEDS:
        raise ValueError(f"no feed of kind {kind!r}; kinds: {', '.join(FEEDS)}")
    name = FEEDS[kind][0]
    if kind in {"cables", "comments"}:
        return reverse(name)
    if value is None or value == "":
        raise ValueError(f"a {kind} feed needs a value")
    if kind == "tag":
        return reverse(name, args=[str(value).upper()])
    if kind == "origin":
        return reverse(name, args=[slug(str(value))])
    if kind == "release":
        return reverse(name, args=[str(value)])
    if kind == "search":
        return reverse(name) + "?" + urlencode({"q": str(value)})
    return reverse(name, args=[canonical_id(getattr(value, "canonical_id", None) or str(value))])


def feed_title(kind: str, value=None) -> str:
    label = getattr(value, "canonical_id", None) or value
    return FEEDS[kind][1].format(label)


def absolute(request, path: str) -> str:
    """``path`` on the public site: ``CABLES_SITE_URL`` when set (behind a proxy), else the
    request's own scheme and host."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is None:
        return path
    return request.build_absolute_uri(path)


def http_url(url: str | None) -> str:
    """``url`` if it is an absolute http(s) URL, else ``""``: the last guard before a stored link
    (a commenter's website, a ping's source) becomes an ``href``."""
    url = (url or "").strip()
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


class NotFound(Http404):
    """A 404 that tells why (the site's 404 page shows ``message``)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
