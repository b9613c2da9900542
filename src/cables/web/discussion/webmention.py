"""Checking a Webmention: does the source page really link to the cable?

The check fetches the source over the network, so it runs after the ``202 Accepted`` answer, in a
background thread (``CABLES_WEBMENTION_VERIFY``: ``background``, the default; ``inline`` to run it
before answering; ``off`` to leave it to the moderator). Its result is written on the mention
(``verified``, ``verification``) for the moderator, who decides; nothing is shown unmoderated.

The fetch is pluggable: :func:`fetcher` returns the function named by the
``CABLES_WEBMENTION_FETCH`` setting (a dotted path) or :func:`fetch_source`, looked up at call time
so that tests (which cannot reach the network) replace it. The default fetch refuses addresses
that are not public (loopback, private networks, link-local, cloud metadata…) at every redirect,
so that a ping cannot make the site read its own private network, and reads at most
:data:`MAX_BYTES` within :data:`TIMEOUT` seconds. (A host that resolves differently between the
check and the connection could still slip through; the answer is only compared, never shown.)
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from .markdown import without_controls
from .models import TITLE_MAX, Mention

TIMEOUT = 5
MAX_BYTES = 1_000_000
MAX_REDIRECTS = 5
USER_AGENT = "cables-webmention/1 (+https://www.w3.org/TR/webmention/)"


@dataclass(frozen=True)
class Fetched:
    url: str            # after redirects
    content_type: str
    text: str


class FetchError(Exception):
    pass


# --- fetching ------------------------------------------------------------------------------------

def _public_host(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url[:100]}")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {parts.hostname}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            raise FetchError(f"{parts.hostname} is not a public address")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _public_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_source(url: str) -> Fetched:
    """GET ``url`` from the internet (public hosts only), at most MAX_BYTES, decoded as text."""
    _public_host(url)
    opener = urllib.request.build_opener(_CheckedRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "text/html, text/plain;q=0.5, */*;q=0.1"})
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES)
            charset = response.headers.get_content_charset() or "utf-8"
            return Fetched(response.geturl(), response.headers.get_content_type(),
                           data.decode(charset, errors="replace"))
    except (OSError, ValueError, LookupError) as exc:
        raise FetchError(f"cannot fetch the source: {exc}") from None


def fetcher() -> Callable[[str], Fetched]:
    name = getattr(settings, "CABLES_WEBMENTION_FETCH", None)
    return import_string(name) if name else fetch_source


# --- checking ------------------------------------------------------------------------------------

def _comparable(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if parts.port in (None, default) else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def links_to(document: Fetched, target: str) -> bool:
    """Whether the document links to ``target`` (HTML: an element's href/src, fragments ignored;
    other text: the URL written in it)."""
    wanted = _comparable(target)
    if "html" not in document.content_type:
        return target in document.text
    tree = HTMLParser(document.text)
    for node in tree.css("[href], [src]"):
        for attribute in ("href", "src"):
            value = node.attributes.get(attribute)
            if value and _comparable(urljoin(document.url, value)) == wanted:
                return True
    return False


def _title(document: Fetched) -> str:
    if "html" not in document.content_type:
        return ""
    node = HTMLParser(document.text).css_first("title")
    title = " ".join(without_controls(node.text() if node else "").split())
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def verify(mention_id: int, target: str) -> Mention | None:
    """Fetch the mention's source and record whether it links to ``target``."""
    mention = Mention.objects.filter(pk=mention_id).first()
    if mention is None:
        return None
    try:
        document = fetcher()(mention.source_url)
    except Exception as exc:
        mention.verified, mention.verification = False, str(exc)[:200] or type(exc).__name__
    else:
        found = links_to(document, target)
        mention.verified = found
        mention.verification = ("the source links to the cable" if found
                                else "the source does not link to the cable")
        if found and not mention.title:
            mention.title = _title(document)
    mention.save(update_fields=["verified", "verification", "title"])
    return mention


def _verify_in_thread(mention_id: int, target: str) -> None:
    try:
        verify(mention_id, target)
    finally:
        connections.close_all()     # this thread's own connections


def schedule_verification(mention_id: int, target: str) -> threading.Thread | None:
    """Check the source as configured; returns the background thread when there is one."""
    mode = getattr(settings, "CABLES_WEBMENTION_VERIFY", "background")
    if mode == "off":
        return None
    if mode == "inline":
        verify(mention_id, target)
        return None
    thread = threading.Thread(target=_verify_in_thread, args=(mention_id, target),
                              name=f"webmention-{mention_id}", daemon=True)
    thread.start()
    return thread
