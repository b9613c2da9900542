"""The discussion's addresses: a cable's comment form and ping endpoint, and the Atom feeds.

Included by the site's URL scheme (:mod:`cables.web.urls`) with ``path("", include(...))``.
"""

from __future__ import annotations

from django.urls import path

from . import feeds, pings, views

urlpatterns = [
    path("cable/<str:ref>/comments", views.comment, name="discussion_comment"),
    path("cable/<str:ref>/trackback", pings.ping, name="discussion_ping"),
    path("feeds/cables.atom", feeds.NewCablesFeed(), name="feed_cables"),
    path("feeds/tag/<str:code>.atom", feeds.TagFeed(), name="feed_tag"),
    path("feeds/origin/<slug:slug_>.atom", feeds.OriginFeed(), name="feed_origin"),
    path("feeds/release/<str:name>.atom", feeds.ReleaseFeed(), name="feed_release"),
    path("feeds/search.atom", feeds.SearchFeed(), name="feed_search"),
    path("feeds/comments.atom", feeds.CommentsFeed(), name="feed_comments"),
    path("feeds/cable/<str:ref>/comments.atom", feeds.CableCommentsFeed(), name="feed_cable_comments"),
]
