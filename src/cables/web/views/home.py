"""The home page: what the archive holds, the latest releases, the latest cables."""

from __future__ import annotations

from django.http import HttpResponse

from ...store.models import Cable
from ...store.queries import release_summaries
from ..pagecache import cached_page
from ..pages.home import HomePage
from ..twins import respond


@cached_page(params=())
def home(request):
    releases = release_summaries()
    latest = (Cable.objects.current().exclude(created__isnull=True)
              .only("canonical_id", "subject", "created", "origin", "classification")
              .order_by("-created", "canonical_id")[:15])
    return respond(request, "web/home.html", HomePage(
        total=Cable.objects.count(),
        releases=list(reversed(releases))[:6],
        latest=list(latest),
    ))


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /admin/\nDisallow: /search\n",
                        content_type="text/plain")
