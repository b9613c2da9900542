"""What every API request goes through around its endpoint: the answer to a request it cannot
serve, the per-client rate limit, revalidation (``ETag`` / ``Last-Modified`` → 304) and kept
answers.

:func:`endpoint` puts them around an operation, outermost first:

1. the guard: a NUL character anywhere in the request is a 400 (PostgreSQL cannot even compare
   one), then one request counted against the client's limit (the discussion's rate limiter,
   :mod:`cables.web.discussion.ratelimit`, scope ``api-address``: counters in the database that
   every worker shares, which each worker adds its counts to in batches, so that a request does
   not wait for a write) — a 429 with ``Retry-After`` past it;
2. Django's ``condition``: the validators come from the archive's generation
   (:mod:`cables.store.generation`), plus the discussion's for an answer that counts comments, and
   the code's version; a client holding the current answer gets a 304 without it being made;
3. the reading room's page cache (:func:`cables.web.pagecache.cached_page`): an answer is made
   once per generation, whichever worker is asked.

Errors are JSON everywhere: ``{"error": kind, "detail": words, "position": n}`` (:func:`error`).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable
from functools import wraps

from django.http import JsonResponse
from django.views.decorators.http import condition
from ninja.decorators import decorate_view

from ..web import pagecache
from ..web.discussion import ratelimit
from ..web.discussion.clients import client_address

FORGET_EVERY = 1000   # about one request in so many drops the counters of windows long over


class NotFound(LookupError):
    """A 404: the message says what was looked for and, for an id, what is close."""


class BadRequest(ValueError):
    """A 400 for a parameter the API cannot take (a bad query is a QueryError, with a position)."""


def error(status: int, kind: str, detail: str, position: int | None = None, **headers) -> JsonResponse:
    """The JSON answer to a request the API cannot serve."""
    response = JsonResponse({"error": kind, "detail": detail, "position": position}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


# --- the guard --------------------------------------------------------------------------------------

def _holds_nul(request) -> bool:
    return "\x00" in request.path or any("\x00" in k or any("\x00" in v for v in values)
                                         for k, values in request.GET.lists())


def guarded(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _holds_nul(request):
            return error(400, "invalid_request", "the request holds a NUL character (%00), which "
                                                 "no id, query or name can contain")
        try:
            ratelimit.count_request(ratelimit.API_ADDRESS, client_address(request))
        except ratelimit.RateLimited as exc:
            return error(429, "rate_limited", str(exc), Retry_After=str(max(exc.retry_after, 1)))
        if random.randrange(FORGET_EVERY) == 0:   # now and then, without a scheduler
            ratelimit.forget_old()
        return view(request, *args, **kwargs)

    return wrapper


# --- revalidation -----------------------------------------------------------------------------------

def _validators(request, discussion: bool):
    """(ETag, Last-Modified) of the answer: what it is made from (read once per request, with
    the page cache's key: :func:`.pagecache.states`; Django's ``condition`` asks for each)."""
    made = request.__dict__.setdefault("_cables_validators", {})
    if discussion not in made:
        made[discussion] = _made_validators(request, discussion)
    return made[discussion]


def _made_validators(request, discussion: bool):
    (token, changed), talk = pagecache.states(request, discussion)
    parts, times = [pagecache.CODE_VERSION, token], [changed]
    if talk:
        parts.append(talk[0])
        times.append(talk[1])
    etag = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
    known = [t for t in times if t is not None]
    return f'"{etag}"', max(known) if known else None


def revalidated(discussion: bool) -> Callable:
    """Django's ``condition`` with the validators of :func:`_validators`; an error answer keeps
    none (a client caches answers, not errors)."""
    conditional = condition(
        etag_func=lambda request, *a, **k: _validators(request, discussion)[0],
        last_modified_func=lambda request, *a, **k: _validators(request, discussion)[1])

    def decorate(view: Callable) -> Callable:
        checked = conditional(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = checked(request, *args, **kwargs)
            if response.status_code >= 400:
                del response["ETag"]
                del response["Last-Modified"]
            return response

        return wrapper

    return decorate


# --- an endpoint ------------------------------------------------------------------------------------

def endpoint(params: Iterable[str] = (), discussion: bool = False) -> Callable:
    """The decorators of an operation: ``params`` are the query parameters its answer depends on
    (the key of a kept answer), ``discussion`` whether it shows comment counts."""
    kept = pagecache.cached_page(discussion=discussion, params=tuple(params))
    # decorate_view wraps in the order given: the first innermost
    return decorate_view(kept, revalidated(discussion), guarded)
