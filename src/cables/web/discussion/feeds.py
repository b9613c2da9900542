"""Atom feeds: new cables (the archive, a tag, an origin, a release), a search, and comments.

"New" means most recently published: cables newest by their WikiLeaks release date, then by date
written; an entry is published and updated at that release date, so feed readers sort them the same
way. A search feed follows :func:`cables.search.service.search` sorted by date (newest cables
first). Comment feeds carry approved comments only, rendered by the same sanitiser as the pages,
with the commenter's name and website and never their e-mail.

Text from the archive can hold control characters that XML 1.0 cannot carry; they are dropped.
"""

from __future__ import annotations

import datetime as dt

import nh3
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ...search.query import QueryError
from ...search.service import search
from ...store.models import Cable, Paragraph, Release, Tag
from ..links import (
    cable_path,
    origin_path,
    paragraph_path,
    release_path,
    search_path,
    slug,
    tag_path,
)
from .links import NotFound, comment_path, feed_path, feed_title, http_url
from .markdown import render, without_controls
from .queries import public_comments
from .views import cable_or_404

ENTRIES = 50
EXCERPT = 400


def _absolute(path: str) -> str:
    """Links of the feed: absolute on ``CABLES_SITE_URL`` when set; else the syndication framework
    puts the request's host in front."""
    return settings.SITE_URL + path if settings.SITE_URL else path


def _date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace(" ", "T")[:19])
    except ValueError:
        try:
            value = dt.datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _clip(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(without_controls(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class SiteFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        return response

    def feed_url(self, obj):
        return _absolute(self.path(obj))

    def title(self, obj):
        return without_controls(f"cables: {feed_title(self.kind, obj)}")

    def path(self, obj) -> str:
        return feed_path(self.kind, obj)


# --- new cables ------------------------------------------------------------------------------------

class NewCablesFeed(SiteFeed):
    kind = "cables"
    subtitle = "The most recently published diplomatic cables of the archive."

    def link(self, obj):
        return _absolute("/")

    def cables(self, obj):
        return Cable.objects.current()

    def items(self, obj):
        rows = list(self.cables(obj).select_related("first_release").prefetch_related("tags")
                    .order_by(F("released").desc(nulls_last=True), F("created").desc(nulls_last=True),
                              "canonical_id")[:ENTRIES])
        firsts = dict(Paragraph.objects.filter(cable__in=rows, position=0)
                      .values_list("cable_id", "text"))
        for row in rows:
            row.first_paragraph = firsts.get(row.pk, "")
        return rows

    def item_title(self, cable):
        return without_controls(f"{cable.canonical_id}: {cable.subject or '(no subject)'}")

    def item_link(self, cable):
        return _absolute(cable_path(cable.canonical_id, cable.created))

    def item_description(self, cable):
        meta = " · ".join(x for x in ((cable.created or "")[:10], cable.origin, cable.classification) if x)
        return format_html("<p>{}</p><p>{}</p>", without_controls(meta), _clip(cable.first_paragraph))

    def item_pubdate(self, cable):
        return _date(cable.released) or _date(cable.created) or (
            cable.first_release.created if cable.first_release_id else None)

    item_updateddate = item_pubdate

    def item_categories(self, cable):
        return [t.code for t in cable.tags.all()]


class TagFeed(NewCablesFeed):
    kind = "tag"

    def get_object(self, request, code: str):
        tag = Tag.objects.filter(code=code.upper()).first()
        if tag is None:
            raise NotFound(f"There is no tag {code[:40]!r} in the archive, so no feed of it.")
        return tag.code

    def link(self, code):
        return _absolute(tag_path(code))

    def subtitle(self, code):
        return f"The most recently published cables tagged {code}."

    def cables(self, code):
        return Cable.objects.current().filter(cable_tags__tag__code=code)


class OriginFeed(NewCablesFeed):
    kind = "origin"

    def get_object(self, request, slug_: str):
        origins = [o for o in Cable.objects.values_list("origin", flat=True).distinct().order_by()
                   if slug(o or "") == slug_]
        if not origins:
            raise NotFound(f"No cable of the archive comes from {slug_[:60]!r}, so there is no feed of it.")
        return min(o or "unknown" for o in origins), origins

    def path(self, obj):
        return feed_path("origin", obj[0])

    def title(self, obj):
        return without_controls(f"cables: {feed_title('origin', obj[0])}")

    def link(self, obj):
        return _absolute(origin_path(obj[0]))

    def subtitle(self, obj):
        return f"The most recently published cables from {obj[0]}."

    def cables(self, obj):
        origins = [o for o in obj[1] if o is not None]
        queryset = Cable.objects.current()
        if None in obj[1]:
            return queryset.filter(origin__in=origins) | queryset.filter(origin__isnull=True)
        return queryset.filter(origin__in=origins)


class ReleaseFeed(NewCablesFeed):
    kind = "release"

    def get_object(self, request, name: str):
        release = Release.objects.named(name)
        if release is None:
            raise NotFound(f"There is no release {name[:60]!r} in the archive, so no feed of it.")
        return release

    def path(self, release):
        return feed_path("release", release.name)

    def title(self, release):
        return without_controls(f"cables: {feed_title('release', release.name)}")

    def link(self, release):
        return _absolute(release_path(release.name))

    def subtitle(self, release):
        return f"The cables release {release.name} published for the first time."

    def cables(self, release):
        return Cable.objects.filter(first_release=release)


# --- a search -----------------------------------------------------------------------------------------

class SearchFeed(SiteFeed):
    kind = "search"

    def get_object(self, request):
        query = (request.GET.get("q") or "").strip()
        if not query:
            raise NotFound("A search feed needs a query: /feeds/search.atom?q=words")
        if len(query) > 1000:
            raise NotFound("This query is too long for a feed (at most 1,000 characters).")
        try:
            result = search(query, sort="date", limit=ENTRIES)
        except QueryError as exc:
            raise NotFound(f"This query cannot be searched: {exc}") from None
        # An entry's id is its cable page, absolute (the framework only completes links).
        return result, settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")

    def path(self, obj):
        return feed_path("search", obj[0].query)

    def title(self, obj):
        return without_controls(f"cables: {feed_title('search', obj[0].query)}")

    def link(self, obj):
        return _absolute(search_path(obj[0].query))

    def subtitle(self, obj):
        return without_controls(f"{obj[0].total} cables match {obj[0].query}; the newest first.")

    def items(self, obj):
        result, base = obj
        return [(hit, base) for hit in result.hits]

    def item_title(self, item):
        hit = item[0]
        return without_controls(f"{hit.reference_id}: {hit.subject or '(no subject)'}")

    def item_link(self, item):
        """The paragraph that matched best, when there is one."""
        hit = item[0]
        if hit.paragraph:
            return _absolute(paragraph_path(hit.reference_id, hit.created, hit.paragraph))
        return _absolute(cable_path(hit.reference_id, hit.created))

    def item_guid(self, item):
        hit, base = item
        return base + cable_path(hit.reference_id, hit.created)

    def item_description(self, item):
        hit = item[0]
        meta = " · ".join(x for x in ((hit.created or "")[:10], hit.origin, hit.classification) if x)
        snippet = nh3.clean(without_controls(hit.snippet), tags={"mark"}, attributes={})
        return format_html("<p>{}</p><p>{}</p>", without_controls(meta), mark_safe(snippet))

    def item_pubdate(self, item):
        return _date(item[0].created)

    item_updateddate = item_pubdate


# --- comments -----------------------------------------------------------------------------------------

class CommentsFeed(SiteFeed):
    kind = "comments"
    subtitle = "The latest comments of readers on the cables."

    def link(self, obj):
        return _absolute("/")

    def comments(self, obj):
        return public_comments()

    def items(self, obj):
        return list(self.comments(obj).select_related("cable")
                    .only("id", "cable_id", "parent_id", "name", "website", "body", "paragraph",
                          "created", "cable__canonical_id", "cable__created", "cable__subject")
                    .order_by("-created", "-id")[:ENTRIES])

    def item_title(self, comment):
        what = "replied" if comment.parent_id else "commented"
        about = f" on ¶{comment.paragraph}" if comment.paragraph else ""
        return without_controls(f"{comment.name} {what}{about} on {comment.cable.canonical_id}")

    def item_link(self, comment):
        return _absolute(comment_path(comment))

    def item_description(self, comment):
        return render(comment.body)

    def item_author_name(self, comment):
        return without_controls(comment.name)

    def item_author_link(self, comment):
        return http_url(comment.website) or None

    def item_author_email(self, comment):
        return None     # never published

    def item_pubdate(self, comment):
        return comment.created

    item_updateddate = item_pubdate


class CableCommentsFeed(CommentsFeed):
    kind = "cable"

    def get_object(self, request, ref: str):
        return cable_or_404(ref)

    def link(self, cable):
        return _absolute(cable_path(cable.canonical_id, cable.created) + "#comments")

    def subtitle(self, cable):
        return without_controls(f"Readers' comments on {cable.canonical_id}: {cable.subject or ''}")

    def comments(self, cable):
        return public_comments().filter(cable=cable)
