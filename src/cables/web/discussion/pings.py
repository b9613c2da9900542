"""A cable's ping endpoint: TrackBack (``url``, ``title``, ``excerpt``, ``blog_name``) and W3C
Webmention (``source``, ``target``) at the same address, told apart by their parameters.

TrackBack (http://archive.cweiske.de/trackback/trackback-1.2.html): a form-encoded POST; the
answer is ``<response><error>0</error></response>`` or ``<error>1</error><message>…</message>``.
The spec lets a receiver truncate the excerpt; title and blog name are cut the same way (with an
ellipsis), and markup in them is reduced to its text. Webmention (https://www.w3.org/TR/webmention/):
the target must be this cable's page on this site; the ping is stored, answered ``202 Accepted``,
and the source is checked afterwards (:mod:`.webmention`).

Either way the mention waits for a moderator, a second ping for the same source URL is ignored (and
answered as a success: the first was received), and pings count against a per-address rate
limit. Other sites post here without a CSRF token, so the view is CSRF-exempt: it changes nothing
a visitor's session could be tricked into, and stores nothing that is shown unmoderated.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import strip_tags
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ...store.models import Cable
from ..links import cable_path
from . import ratelimit, webmention
from .clients import client_address
from .links import absolute, ping_path
from .markdown import without_controls
from .models import BLOG_NAME_MAX, EXCERPT_MAX, TITLE_MAX, URL_MAX, Mention, url_key
from .queries import find_cable
from .views import cable_or_404

_http_url = URLValidator(schemes=["http", "https"])


class BadPing(ValueError):
    """A ping this endpoint refuses; the message goes back to the sender."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ping(request, ref: str):
    if request.method == "GET":
        cable = cable_or_404(ref)
        return render(request, "web/discussion/ping_page.html", {
            "cable": cable, "ping_url": absolute(request, ping_path(cable.canonical_id)),
            "cable_url": absolute(request, cable_path(cable.canonical_id, cable.created)),
        })
    if "source" in request.POST or "target" in request.POST:
        return _webmention(request, ref)
    return _trackback(request, ref)


# --- TrackBack ------------------------------------------------------------------------------------

def trackback_response(error: str | None = None, status: int = 200) -> HttpResponse:
    body = '<?xml version="1.0" encoding="utf-8"?>\n<response>'
    body += (f"<error>1</error><message>{html.escape(error, quote=False)}</message>" if error
             else "<error>0</error>")
    body += "</response>\n"
    return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)


def _trackback(request, ref: str) -> HttpResponse:
    cable = find_cable(ref)
    if cable is None:
        return trackback_response(f"There is no cable {ref[:64]!r} in this archive.", 404)
    try:
        url = _source_url(request.POST.get("url"), "url")
        fields = {"title": _text(request.POST.get("title"), TITLE_MAX),
                  "excerpt": _text(request.POST.get("excerpt"), EXCERPT_MAX),
                  "blog_name": _text(request.POST.get("blog_name"), BLOG_NAME_MAX)}
        _store(request, cable, Mention.TRACKBACK, url, fields)
    except BadPing as exc:
        return trackback_response(str(exc), exc.status)
    except ratelimit.RateLimited as exc:
        response = trackback_response(str(exc), 429)
        response["Retry-After"] = str(max(exc.retry_after, 1))
        return response
    return trackback_response()


# --- Webmention -------------------------------------------------------------------------------------

def _webmention(request, ref: str) -> HttpResponse:
    cable = find_cable(ref)
    if cable is None:
        return _plain(f"There is no cable {ref[:64]!r} in this archive.", 404)
    try:
        source = _source_url(request.POST.get("source"), "source")
        target = _target(request, cable, request.POST.get("target"))
        if url_key(source) == url_key(target):
            raise BadPing("source and target are the same URL.")
        mention = _store(request, cable, Mention.WEBMENTION, source, {})
    except BadPing as exc:
        return _plain(str(exc), exc.status)
    except ratelimit.RateLimited as exc:
        response = _plain(str(exc), 429)
        response["Retry-After"] = str(max(exc.retry_after, 1))
        return response
    if mention is None:
        return _plain("This source was already received for this cable.", 202)
    webmention.schedule_verification(mention.pk, target)
    return _plain("Accepted: the mention will be checked and waits for a moderator.", 202)


def _target(request, cable: Cable, target: str | None) -> str:
    """The target must be this cable's page on this site (a fragment may point into it)."""
    target = (target or "").strip()
    if not target:
        raise BadPing("target is missing.")
    if len(target) > URL_MAX:
        raise BadPing(f"target is longer than {URL_MAX} characters.")
    parts = urlsplit(target)
    hosts = {request.get_host().lower()}
    if settings.SITE_URL:
        hosts.add(urlsplit(settings.SITE_URL).netloc.lower())
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in hosts:
        raise BadPing("target is not a page of this site.")
    if parts.path != cable_path(cable.canonical_id, cable.created) or parts.query:
        raise BadPing(f"target is not the page of {cable.canonical_id}; "
                      f"send its mentions to that cable's own endpoint.")
    return target


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", content_type="text/plain; charset=utf-8", status=status)


# --- shared -------------------------------------------------------------------------------------------

def _source_url(value: str | None, name: str) -> str:
    url = (value or "").strip()
    if not url:
        raise BadPing(f"{name} is missing: the URL of the page that mentions the cable.")
    if len(url) > URL_MAX:
        raise BadPing(f"{name} is longer than {URL_MAX} characters.")
    try:
        _http_url(url)
    except ValidationError:
        raise BadPing(f"{name} is not an http(s) URL.") from None
    return url


def _text(value: str | None, limit: int) -> str:
    """Markup reduced to text, control characters and runs of spaces gone, cut at ``limit``."""
    text = " ".join(html.unescape(strip_tags(without_controls(value or ""))).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _store(request, cable: Cable, kind: str, url: str, fields: dict) -> Mention | None:
    """Store a ping unless this URL pinged this cable before (then ``None``)."""
    address = client_address(request)
    try:
        with transaction.atomic():
            if Mention.objects.filter(cable=cable, source_key=url_key(url)).exists():
                return None
            ratelimit.hit(ratelimit.PING_ADDRESS, address)
            return Mention.objects.create(cable=cable, kind=kind, source_url=url,
                                          client_address=address, **fields)
    except IntegrityError:      # the same URL, pinged twice at once
        return None
