"""The site's URL scheme. Link builders live in :mod:`.links`; names here are what they reverse."""

from django.contrib import admin
from django.urls import include, path, re_path

from .views import about, browse, cable, export, home, search

urlpatterns = [
    # The archive as data (cables.api) first: a script's request is resolved at the first pattern
    # instead of after thirty (a kept API answer costs about a millisecond; this was a tenth).
    path("api/v1/", include("cables.api.urls")),
    path("", home.home, name="home"),
    path("robots.txt", home.robots, name="robots"),
    # A cable: the WikiLeaks scheme, then short forms that redirect to it.
    re_path(r"^cable/(?P<year>\d{4})/(?P<month>\d{2})/(?P<ref>[^/]+)\.html$", cable.cable_page,
            name="cable"),
    path("cable/<str:ref>/raw", cable.cable_raw, name="cable_raw"),
    path("cable/<str:ref>/history", cable.cable_history, name="cable_history"),
    path("cable/<str:ref>/diff", cable.cable_diff, name="cable_diff"),
    path("cable/<str:ref>/graph.svg", cable.cable_graph, name="cable_graph"),
    re_path(r"^cable/(?P<ref>[^/]+?)(?:\.html)?/?$", cable.cable_redirect, name="cable_redirect"),
    path("share/mastodon", cable.share_mastodon, name="share_mastodon"),
    # Browsing.
    path("browse/", browse.index, name="browse"),
    path("release/", browse.releases, name="browse_releases"),
    path("release/<str:name>/", browse.release, name="browse_release"),
    path("date/", browse.years, name="browse_dates"),
    re_path(r"^date/(?P<year>\d{4})/$", browse.year, name="browse_year"),
    re_path(r"^date/(?P<year>\d{4})/(?P<month>\d{2})/$", browse.month, name="browse_month"),
    path("origin/", browse.origins, name="browse_origins"),
    path("origin/<slug:slug>/", browse.origin, name="browse_origin"),
    path("tag/", browse.tags, name="browse_tags"),
    path("tag/<path:code>/", browse.tag, name="browse_tag"),  # codes may hold any character
    path("classification/", browse.classifications, name="browse_classifications"),
    path("classification/<slug:slug>/", browse.classification, name="browse_classification"),
    # Search and the explanations.
    path("search", search.search_page, name="search"),
    path("search/histogram.svg", search.histogram_svg, name="search_histogram"),
    path("search/export.<str:format>", export.export_download, name="search_export"),
    path("about/classification", about.classification, name="about_classification"),
    # Discussion: comments, trackbacks and webmentions, feeds.
    path("", include("cables.web.discussion.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "cables.web.views.errors.not_found"
handler500 = "cables.web.views.errors.server_error"
