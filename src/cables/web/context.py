"""What every template knows: the site's name and its public base URL."""

from __future__ import annotations

from django.conf import settings


def site(request) -> dict:
    return {
        "site_name": "cables",
        "site_url": settings.SITE_URL or request.build_absolute_uri("/").rstrip("/"),
    }
