"""How often one client may post (or call the API): fixed-window counters kept in the database.

The site runs as several gunicorn worker processes (and threads), so counts in process memory
would give each worker its own allowance. Counters live in :class:`.models.RateCounter` rows
instead, one per (key, window), incremented with ``UPDATE … SET count = count + 1`` (atomic on
both backends; on SQLite every write transaction takes the lock at ``BEGIN``). The increments run
inside the caller's transaction: when a limit is passed the transaction rolls back, so a refused
post is neither stored nor counted, and a refused client is not locked out longer by retrying.

The API (:mod:`cables.api`) counts its requests per client address here too, in a scope of its
own (:data:`API_ADDRESS`), each request in a transaction of its own, so a refused request is not
counted either.

A fixed window lets a client post up to twice the limit across a window boundary; the daily
windows cap that. Limits (``count``, ``seconds``) per scope come from ``CABLES_DISCUSSION_LIMITS``
(a setting read from the environment variable of that name, as JSON: see
:mod:`cables.settings.common`) or :data:`DEFAULT_LIMITS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import RateCounter

COMMENT_ADDRESS = "comment-address"
COMMENT_EMAIL = "comment-email"
PING_ADDRESS = "ping-address"
API_ADDRESS = "api-address"

DEFAULT_LIMITS: dict[str, list[tuple[int, int]]] = {
    COMMENT_ADDRESS: [(6, 600), (50, 86400)],
    COMMENT_EMAIL: [(4, 600), (30, 86400)],
    PING_ADDRESS: [(10, 3600), (50, 86400)],
    API_ADDRESS: [(300, 60), (20000, 86400)],   # a script paging steadily; bulk data: exports
}

WHO = {COMMENT_ADDRESS: "from your address", COMMENT_EMAIL: "with this e-mail address",
       PING_ADDRESS: "from your address", API_ADDRESS: "from your address"}
WHAT = {COMMENT_ADDRESS: "comments", COMMENT_EMAIL: "comments", PING_ADDRESS: "pings",
        API_ADDRESS: "requests"}
POSTS = {COMMENT_ADDRESS, COMMENT_EMAIL, PING_ADDRESS}   # a refused one is not stored


class RateLimited(Exception):
    """Too many posts: the message says how many, over what time, and when to come back."""

    def __init__(self, scope: str, limit: int, seconds: int, retry_after: int):
        self.scope, self.limit, self.seconds, self.retry_after = scope, limit, seconds, retry_after
        super().__init__(
            f"Too many {WHAT[scope]} {WHO[scope]}: at most {limit} in {_duration(seconds)}. "
            f"Please try again in {_duration(max(retry_after, 60))}."
            + (" Nothing was saved." if scope in POSTS else ""))


def _duration(seconds: int) -> str:
    if seconds >= 86400 and seconds % 86400 == 0:
        n, unit = seconds // 86400, "day"
    elif seconds >= 3600:
        n, unit = round(seconds / 3600), "hour"
    else:
        n, unit = max(1, round(seconds / 60)), "minute"
    return f"{n} {unit}" + ("s" if n != 1 else "")


def limits(scope: str) -> list[tuple[int, int]]:
    configured = getattr(settings, "CABLES_DISCUSSION_LIMITS", None) or {}
    return [(int(n), int(s)) for n, s in configured.get(scope, DEFAULT_LIMITS[scope])]


def key(scope: str, value: str | None) -> str:
    """The counter key: scope and a hash of the value (e-mail addresses are not stored twice)."""
    digest = hashlib.sha256((value or "unknown").encode()).hexdigest()[:32]
    return f"{scope}:{digest}"


def _window_start(now: dt.datetime, seconds: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def _increment(counter_key: str, start: dt.datetime) -> int:
    """Add one to the window's counter and return its count: one ``UPDATE … RETURNING`` (both
    backends have it) when the row exists, as it does for all but a window's first post; the
    API counts every request, so this is on each request's path."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    key_column = connection.ops.quote_name("key")
    when = connection.ops.adapt_datetimefield_value(start)
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET count = count + 1 WHERE {key_column} = %s AND "
                           "window_start = %s RETURNING count", [counter_key, when])
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=counter_key, window_start=start, count=1)
            return 1
        except IntegrityError:  # another worker created it in between: count on it
            continue
    return RateCounter.objects.get(key=counter_key, window_start=start).count


def hit(scope: str, value: str | None, now: dt.datetime | None = None) -> None:
    """Count one post of ``value`` (an address, an e-mail) in ``scope``; raise RateLimited when it
    is one too many. Call inside ``transaction.atomic()`` with the post's own writes."""
    now = now or timezone.now()
    counter_key = key(scope, value)
    for limit, seconds in limits(scope):
        start = _window_start(now, seconds)
        if _increment(counter_key, start) > limit:
            retry = int((start + dt.timedelta(seconds=seconds) - now).total_seconds())
            raise RateLimited(scope, limit, seconds, retry)


def forget_old(now: dt.datetime | None = None) -> int:
    """Drop counters of windows long over (the longest window is a day)."""
    longest = max(s for scope in DEFAULT_LIMITS for _, s in limits(scope))
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=2 * longest)
    return RateCounter.objects.filter(window_start__lt=cutoff).delete()[0]
