"""The home page: what the archive holds, the latest releases, the latest cables."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from ...store.models import Cable
from ...store.queries import release_summaries
from ..pagecache import cached_page


@cached_page(params=())
def home(request):
    releases = release_summaries()
    latest = (Cable.objects.current().exclude(created__isnull=True)
              .only("canonical_id", "subject", "created", "origin", "classification")
              .order_by("-created", "canonical_id")[:15])
    return render(request, "web/home.html", {
        "total": Cable.objects.count(),
        "releases": list(reversed(releases))[:6],
        "latest": latest,
    })


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /admin/\nDisallow: /search\n",
                        content_type="text/plain")
