"""Pages kept once rendered, so that a reader's click costs a lookup instead of a render.

The archive changes when something is ingested, the discussion when someone comments or a
moderator acts; pages are read far more often than either. Every entry's key carries the
generations it depends on — the archive's (:mod:`cables.store.generation`, which every write
replaces), the discussion's (:func:`.discussion.queries.discussion_generation`) — and the code's
(:data:`CODE_VERSION`), so a write or an upgrade puts older entries out of reach at once:
nothing to invalidate, no page older than the data, no time-to-live to tune. Where entries live
is Django's cache (``CABLES_CACHE``: on disk and shared by the workers under ``cables serve``,
the most recently asked whole answers also kept decoded in each worker's memory:
:class:`.cache_backend.RecentAnswers`).

Two ways in:

- :func:`cached_page`, a view decorator: the whole answer to a GET (cable pages, home, browse
  lists, search, about pages, and their JSON twins), keyed by its address and format;
- :func:`cable_fragment` and :func:`fragment`, inside the cable page: what it shows of the
  archive, so that a new comment re-renders only the discussion around it.

An answer that sets a cookie, read the CSRF token, the session or the reader's messages, or is
not a 200, is never stored: what is stored is the same for every reader. The one thing that
differs, the CSRF token of a page with a form, is left as a hole (:data:`CSRF_HOLE`) filled in
for each answer.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpResponse
from django.middleware.csrf import get_token

from ..store import compression, generation
from ..store.routing import read_alias
from .discussion import queries as discussion_queries
from .links import FORMAT_PARAM


def _code_version() -> str:
    """A digest of the package's files (names, sizes, times): new code, new keys, so an on-disk
    cache never serves a page from the templates before an upgrade."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=6)
    for folder, _dirs, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.endswith((".py", ".html", ".css", ".js", ".svg")):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


CODE_VERSION = _code_version()
KEPT_LEVEL = 3
STORED_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")


def keeping() -> bool:
    """Whether pages are kept at all (``CABLES_CACHE=off`` is Django's dummy cache: then a page
    does not pay for keys, generations and compression that keep nothing)."""
    return not isinstance(caches["default"], DummyCache)


def _put(key: str, value: object, recent: bool = False) -> None:
    """Keep ``value`` compressed: pages are text, four to five times smaller so (the mirror's
    6,711 cable pages take 200 MB instead of about a GB). Zstandard at level 3: on the mirror's
    API answers (28 kB) it packs in 0.10 ms and inflates in 0.03 ms, where zlib at level 1 took
    0.18 and 0.09 ms for a 20 % bigger result.
    ``recent``: and decoded in the process's memory, if the cache has room for that (the
    on-disk one: :class:`.cache_backend.RecentAnswers`), for a value nobody changes."""
    pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    cache.set(key, compression.compress(pickled, KEPT_LEVEL))
    tier = getattr(cache, "recent", None) if recent else None
    if tier is not None:
        tier.put(key, value, len(pickled))


def _get(key: str, recent: bool = False):
    tier = getattr(cache, "recent", None) if recent else None
    if tier is not None and (value := tier.get(key)) is not None:
        return value
    packed = cache.get(key)
    if packed is None:
        return None
    pickled = compression.decompress(packed)
    value = pickle.loads(pickled)
    if tier is not None:
        tier.put(key, value, len(pickled))
    return value


def _key(kind: str, *parts: object) -> str:
    text = "\x1f".join(str(p) for p in parts)
    return f"{kind}:{CODE_VERSION}:{hashlib.blake2b(text.encode(), digest_size=16).hexdigest()}"


def _same_for_everyone(request, response) -> bool:
    """Whether an answer may be given to the next reader as it is."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds this reader's CSRF token
        return False
    session = getattr(request, "session", None)
    if session is not None and session.accessed:
        return False
    if len(get_messages(request)):  # the page may show this reader's messages
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


CSRF_HOLE = "cables-csrf-token-of-the-reader-goes-here"


def csrf_hole(request) -> dict:
    """Context processor: on a page being rendered for the cache, ``{% csrf_token %}`` writes
    :data:`CSRF_HOLE`, which each answer replaces with its reader's own token."""
    return {"csrf_token": CSRF_HOLE} if getattr(request, "renders_for_cache", False) else {}


def cached_page(view: Callable | None = None, *, discussion: bool = True,
                params: tuple[str, ...] | None = None):
    """Keep a view's GET answers.

    ``discussion``: the page shows comments or their counts, so it is keyed on the discussion's
    generation too. ``params``: the query parameters the page depends on (``None``: all of
    them); others (``?utm_source=…``) share its entry, so made-up ones cannot fill the cache.
    A reader with messages waiting ("your comment waits for a moderator") gets a page of their
    own, rendered and not kept.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (request.method not in ("GET", "HEAD") or len(get_messages(request))
                    or not keeping()):
                return view(request, *args, **kwargs)
            archive, talk = states(request, discussion)
            key = _key("page", _address(request, params), archive[0], talk[0] if talk else "")
            stored = _get(key, recent=True)
            if stored is not None:
                headers, body = stored
                response = HttpResponse(_fill_csrf(request, body))
                for name, value in headers:
                    response[name] = value
                return response
            request.renders_for_cache = True
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.renders_for_cache = False
            if _same_for_everyone(request, response):
                headers = tuple((n, response[n]) for n in STORED_HEADERS if n in response)
                _put(key, (headers, response.content), recent=True)
            if not response.streaming:  # whatever its status: no hole reaches a reader
                response.content = _fill_csrf(request, response.content)
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


def states(request, discussion: bool) -> tuple[tuple[str, object], tuple[str, object] | None]:
    """The archive's (:func:`.generation.state`) and, with ``discussion``, the discussion's
    (:func:`.discussion.queries.discussion_state`) token and time, read once per request and
    database read from, both in one query: a page's key and an API answer's validators
    (``ETag``, ``Last-Modified``) are made of them."""
    memo = request.__dict__.setdefault("_cables_states", {})
    alias = read_alias()   # a request answered again from the other database reads again
    if discussion and (alias, "discussion") not in memo:
        archive, row = generation.state_with(discussion_queries.STATE_SELECT, alias)
        memo.setdefault((alias, "archive"), archive)   # one key for the whole request
        memo[alias, "discussion"] = discussion_queries.state_of(row)
    if (alias, "archive") not in memo:
        memo[alias, "archive"] = generation.state(alias)
    return memo[alias, "archive"], memo.get((alias, "discussion")) if discussion else None


def _address(request, params: tuple[str, ...] | None) -> str:
    """The page's address as its key: the parameters it depends on, and the format asked for
    (a page and its JSON twin are two entries; see :mod:`.twins`)."""
    if params is None:
        return request.build_absolute_uri()
    kept = [(name, request.GET.get(name)) for name in (*params, FORMAT_PARAM) if name in request.GET]
    return request.build_absolute_uri(request.path) + "?" + urlencode(kept)


def _fill_csrf(request, body: bytes) -> bytes:
    hole = CSRF_HOLE.encode()
    if hole not in body:
        return body
    return body.replace(hole, get_token(request).encode())


def fragment(name: str, render: Callable[[], object], *key: object):
    """A part of a page that depends on ``key`` alone: from the cache, or ``render()`` then kept."""
    if not keeping():
        return render()
    cache_key = _key(f"fragment-{name}", *key)
    value = _get(cache_key)
    if value is None:
        value = render()
        _put(cache_key, value)
    return value


def cable_fragment(request, cable, name: str, render: Callable[[], object], *vary: object):
    """A part of a cable's page made from the archive alone (see :func:`fragment`).

    Keyed by the cable's row and version and the archive's generation as ``request`` read it
    (:func:`archive_generation`: cited-by lists, reference statuses and release facts change with
    other cables), plus whatever else the part shows (``vary``: the site's address, in canonical
    and share links).
    """
    if not keeping():  # no key to make (the archive's generation is a query)
        return render()
    return fragment(f"cable-{name}", render, cable.pk, cable.latest_version_id,
                    archive_generation(request), *vary)


def archive_generation(request) -> str:
    """The archive's generation as this request reads it (:func:`states`: once, whichever of the
    page's key, its archive part's key and its kept render asks first)."""
    return states(request, discussion=False)[0][0]
