"""Where each request reads, and what a reader sees when a database is down.

With a streaming replica (``CABLES_DB_REPLICA``; see :mod:`cables.store.routing`):

- a ``GET`` (or ``HEAD``) reads from the replica; every write goes to the primary;
- *read your writes*: a ``POST`` reads the primary too, and its answer sets a cookie
  (:data:`PIN_COOKIE`, :data:`PIN_SECONDS`) under which the same browser's next requests read
  the primary, so the reader who just commented finds their comment on the page they are sent
  back to, whatever the replica's lag. This is django-multidb-router's "pinning" (a cookie after
  a write, 15 seconds there too): a cookie because the next request may reach another instance
  behind nginx, which knows nothing of this one's memory; nothing secret in it — a client that
  forges it only reads the primary;
- *failover for reads*: a ``GET`` that fails because its database cannot be reached is answered
  again from the other one (the replica killed → the primary; the primary down → the replica).
  A replica that failed is not tried again for :data:`cables.store.routing.RETRY_SECONDS`
  in this process (longer when it keeps failing), so one failed connection is paid for, not
  one a request.

With or without a replica, a request that cannot reach the database it needs gets a clear page
with status 503 and ``Retry-After`` instead of a server error: a comment posted while the
primary is down is told it was not saved (its text shown back to copy). Nothing more is needed
for writes to resume once the primary is back: Django checks a kept connection at the start of
each request (``CONN_HEALTH_CHECKS``) and connects again.
"""

from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.shortcuts import render

from ..store import routing

PIN_COOKIE = "cables_primary"
PIN_SECONDS = 15
RETRY_AFTER = 30    # seconds: what the 503 page asks a client to wait
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UNREACHABLE = (OperationalError, InterfaceError)   # connection refused, lost, server shut down
log = logging.getLogger(__name__)


class DatabaseFailover:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in SAFE_METHODS
        replica = routing.has_replica()
        first = routing.REPLICA if (replica and safe and routing.replica_usable()
                                    and PIN_COOKIE not in request.COOKIES) else routing.PRIMARY
        response, failed = self._answer(request, first)
        if failed and safe and replica and len(failed) == 1:
            # the one database that failed is the other's copy: ask that one
            response, failed = self._answer(request, routing.REPLICA if routing.PRIMARY in failed
                                            else routing.PRIMARY)
        if failed:
            response = unavailable(request)
        if replica and not safe and response.status_code < 500:
            response.set_cookie(PIN_COOKIE, "1", max_age=PIN_SECONDS, httponly=True,
                                samesite="Lax", secure=request.is_secure())
        return response

    def _answer(self, request, alias: str):
        """The response of the rest of the chain reading from ``alias``, and the aliases that
        could not be reached meanwhile (empty: it went well)."""
        for connection in connections.all(initialized_only=True):
            if connection.connection is None:  # a flag left by a connection that never came back
                connection.errors_occurred = False
        request.database_failure = None
        with routing.reading_from(alias):
            response = self.get_response(request)
        # A view may have caught the error itself (search answers a DatabaseError with its own
        # page): a connection left unusable says so too.
        failed = _unreachable()
        if not failed and not _failed(request):
            if alias == routing.REPLICA:
                routing.replica_answered()
            return response, set()
        failed = failed or {alias}
        reason = str(request.database_failure or "").strip().splitlines() or ["a view caught it"]
        log.warning("%s %s: database %s unreachable (%s)", request.method, request.path,
                    " and ".join(sorted(failed)), reason[0][:200])
        for name in failed:
            _close(name)
        if routing.REPLICA in failed:
            routing.replica_failed()
        return response, failed

    def process_exception(self, request, exception):
        """A view that could not reach its database: noted, and answered by :meth:`__call__`
        (tried again elsewhere, or the 503 page) rather than logged as a server error."""
        if isinstance(exception, UNREACHABLE):
            request.database_failure = exception
            return unavailable(request)
        return None


def _database_unreachable(sender, request=None, **kwargs) -> None:
    """The same for a failure outside the view (a middleware saving the session…), which Django
    has already turned into a 500: noted so that :class:`DatabaseFailover` answers it."""
    exception = sys.exc_info()[1]
    if request is not None and isinstance(exception, UNREACHABLE):
        request.database_failure = exception


got_request_exception.connect(_database_unreachable, dispatch_uid="cables-database-unreachable")


def _unreachable() -> set[str]:
    """The aliases whose connection failed in this request and does not work now."""
    return {c.alias for c in connections.all(initialized_only=True)
            if c.errors_occurred and (c.connection is None or not c.is_usable())}


def _failed(request) -> bool:
    return getattr(request, "database_failure", None) is not None


def _close(alias: str) -> None:
    """Drop a connection that failed, so that the next request of this thread connects anew."""
    if alias not in connections.settings:
        return
    try:
        connections[alias].close()
    except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is dropped anyway
        connections[alias].connection = None


def unavailable(request):
    """The 503 page: the site cannot reach the database this request needs."""
    posted = request.method not in SAFE_METHODS
    response = render(request, "web/503.html", {
        "posted": posted,
        "text": request.POST.get("body", "")[:20000] if posted else "",
    }, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
