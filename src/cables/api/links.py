"""Where each resource lives in the API: one function per kind, as :mod:`cables.web.links` is for
the reading room's pages (whose builders the answers use for ``page`` links)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

NAMESPACE = "api-v1"


def _url(name: str, *args, **query) -> str:
    path = reverse(f"{NAMESPACE}:{name}", args=args)
    kept = {k.rstrip("_"): v for k, v in query.items() if v not in (None, "")}
    return path + ("?" + urlencode(kept) if kept else "")


def cable(reference_id: str) -> str:
    return _url("cable", reference_id)


def version(reference_id: str, number: int) -> str:
    return _url("version", reference_id, number)


def cables(**query) -> str:
    """The list of cables, e.g. ``cables(tag="PGOV")``, ``cables(from_="2006-01")``."""
    return _url("cables", **query)


def search(**query) -> str:
    return _url("search", **query)


def unreleased(station: str, **query) -> str:
    return _url("unreleased", station, **query)


def export(format: str, **query) -> str:
    return _url("export", format, **query)


def named(name: str) -> str:
    """An endpoint without parameters (``releases``, ``tags``…)."""
    return _url(name)


def source_name(source: str) -> str:
    """Where a release or a version came from, as the API shows it: the file's name (and the
    member of an archive), not the server's folders: ``cablegate-201011301701.tar.xz!cable/2009/
    09/09BERLIN1167.html``. (The archive stores the path as ingested: ``PATH`` or
    ``SOURCE:PATH!MEMBER``.)"""
    if not source:
        return ""
    path = source.rsplit(":", 1)[-1] if ":" in source else source
    archive, bang, member = path.partition("!")
    return archive.rstrip("/").rsplit("/", 1)[-1] + bang + member
