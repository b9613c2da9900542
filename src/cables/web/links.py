"""Where each thing of the archive lives on the site: one function per kind of link.

Views, templates (through the ``cables_links`` template tags) and feeds build every URL here, so
that a URL scheme is decided once. Cable pages keep the WikiLeaks scheme
(``/cable/2006/04/06ASTANA38.html``) so that links into the old site keep working.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlencode

from django.urls import get_script_prefix
from django.urls import reverse as django_reverse

from ..ids import canonical_id

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def reverse(name: str, args: list[str] = ()) -> str:
    """Django's ``reverse``, remembered: a page nobody asked for yet links to 40 places or so,
    and Django takes ~25 µs to find each (the same tags, origins, months, releases and cited
    cables come back page after page). Keyed by what the answer depends on: the script prefix
    the site is served under, the name and its arguments (the site has one URLconf: no request
    sets its own)."""
    return _reverse(get_script_prefix(), name, tuple(args))


@lru_cache(maxsize=65536)
def _reverse(prefix: str, name: str, args: tuple[str, ...]) -> str:
    return django_reverse(name, args=args)


def slug(text: str) -> str:
    """``Embassy Astana`` → ``embassy-astana``; ``SECRET//NOFORN`` → ``secret-noforn``."""
    return _NOT_SLUG.sub("-", (text or "").lower()).strip("-") or "unknown"


def cable_path(reference_id: str, created: str | None = None) -> str:
    """The cable's page: ``/cable/YYYY/MM/ID.html`` when its date is known, else ``/cable/ID``."""
    cid = canonical_id(reference_id)
    if created and len(created) >= 7 and created[:4].isdigit() and created[5:7].isdigit():
        return reverse("cable", args=[created[:4], created[5:7], cid])
    return reverse("cable_redirect", args=[cid])


def paragraph_path(reference_id: str, created: str | None, number: int | str) -> str:
    return f"{cable_path(reference_id, created)}#par{number}"


def tag_path(code: str) -> str:
    return reverse("browse_tag", args=[code.upper()])


def origin_path(origin: str) -> str:
    return reverse("browse_origin", args=[slug(origin)])


def classification_path(classification: str) -> str:
    return reverse("browse_classification", args=[slug(classification)])


def release_path(name: str) -> str:
    return reverse("browse_release", args=[name])


def year_path(year: str | int) -> str:
    return reverse("browse_year", args=[str(year)])


def month_path(year: str | int, month: str | int) -> str:
    return reverse("browse_month", args=[str(year), f"{int(month):02d}"])


def search_path(query: str, **params) -> str:
    return reverse("search") + "?" + urlencode({"q": query, **{k: v for k, v in params.items() if v}})


def export_path(query: str, format: str) -> str:
    """The download of a search's cables in an export format (``jsonl``, ``csv``…)."""
    return reverse("search_export", args=[format]) + "?" + urlencode({"q": query})


FORMAT_PARAM = "format"


def json_twin_path(path: str, params: list[tuple[str, str]] = ()) -> str:
    """A page's JSON twin: the page's path and parameters, plus ``format=json`` (see
    :mod:`.twins`)."""
    return path + "?" + urlencode([*params, (FORMAT_PARAM, "json")])
