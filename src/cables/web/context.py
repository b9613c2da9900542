"""What every template knows: the site's name, its public base URL and the links of its chrome."""

from __future__ import annotations

from django.conf import settings

from . import links

# the pages every page links to (web/base.html: the header's menu, the search form, the footer)
SITE_LINKS = ("home", "browse_releases", "browse_dates", "browse_origins", "browse_tags",
              "browse_classifications", "search", "about_classification")


def site(request) -> dict:
    return {
        "site_name": "cables",
        "site_url": site_url(request),
        # through links.reverse, remembered: {% url %} asked Django's reverse for each, ~0.2 ms a page
        "site_links": {name: links.reverse(name) for name in SITE_LINKS},
    }


def site_url(request) -> str:
    """The site's public address as ``request`` reaches it: ``CABLES_SITE_URL`` when set (a site
    served under a name of its own, behind a proxy), else the request's scheme and host."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")
