"""How often one client may post (or call the API): fixed-window counters kept in the database.

The site runs as several gunicorn worker processes (and threads), so counts in process memory
would give each worker its own allowance. Counters live in :class:`.models.RateCounter` rows
instead, one per (key, window), incremented with ``UPDATE … SET count = count + 1`` (atomic on
both backends; on SQLite every write transaction takes the lock at ``BEGIN``). The increments run
inside the caller's transaction: when a limit is passed the transaction rolls back, so a refused
post is neither stored nor counted, and a refused client is not locked out longer by retrying.

The API (:mod:`cables.api`) counts its requests per client address here too, in a scope of its
own (:data:`API_ADDRESS`); a refused request is not counted either.

Batched scopes (:data:`BATCHED`: the API's). A write per request would put every API answer in
SQLite's one write queue (every worker waiting on every other's ``BEGIN IMMEDIATE``), for a
count that only needs to be about right. So each worker process keeps the counts of a batched
scope in memory (:class:`BatchedCounts`) and adds them to the same database counters in one
transaction every :attr:`Batching.hits` requests (all clients together) or
:attr:`Batching.seconds`, whichever comes first (checked at each request: an idle worker's last
hits wait for its next request), and when the process exits. It decides from what it knows: the
database's count as its last write returned it, plus its own hits not written yet. Discussion
scopes stay exact: a post writes anyway, and its count must not be passed.

How far over a limit ``L`` a client can get in one window, across ``W`` worker processes (of
every instance sharing the database) with batches of ``N`` hits: at most ``L - 1 + W × N``
requests. Until the database's count first reaches ``L``, every admitted request is in it or
unwritten in some process; the write that reached ``L`` added at most ``N``; after it, each
process admits at most ``N`` more (its unwritten hits, which it writes by the ``N``-th, and the
count read back then refuses the rest). A process alone is exact: its own hits are all in what
it knows (a write holds its threads back: none decides while one is on its way). Time-triggered
writes only make the view fresher. (The API's default, ``N`` = 20 with 5 workers: 300 a minute
may become up to 399.)

A fixed window lets a client post up to twice the limit across a window boundary; the daily
windows cap that. Limits (``count``, ``seconds``) per scope come from ``CABLES_DISCUSSION_LIMITS``
(a setting read from the environment variable of that name, as JSON: see
:mod:`cables.settings.common`) or :data:`DEFAULT_LIMITS`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import logging
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

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
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Batching:
    """How a batched scope's counts reach the database: after ``hits`` requests of a process
    (all its clients together) or ``seconds`` after the first one not written, whichever first."""

    hits: int
    seconds: float


BATCHED: dict[str, Batching] = {API_ADDRESS: Batching(hits=20, seconds=2.0)}


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


def _increment(counter_key: str, start: dt.datetime, by: int = 1) -> int:
    """Add ``by`` to the window's counter and return its count: one ``UPDATE … RETURNING`` (both
    backends have it) when the row exists, as it does for all but a window's first post."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    key_column = connection.ops.quote_name("key")
    when = connection.ops.adapt_datetimefield_value(start)
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET count = count + %s WHERE {key_column} = %s AND "
                           "window_start = %s RETURNING count", [by, counter_key, when])
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=counter_key, window_start=start, count=by)
            return by
        except IntegrityError:  # another worker created it in between: count on it
            continue
    return RateCounter.objects.get(key=counter_key, window_start=start).count


def _refusal(scope: str, limit: int, seconds: int, start: dt.datetime,
             now: dt.datetime) -> RateLimited:
    retry = int((start + dt.timedelta(seconds=seconds) - now).total_seconds())
    return RateLimited(scope, limit, seconds, retry)


def hit(scope: str, value: str | None, now: dt.datetime | None = None) -> None:
    """Count one post of ``value`` (an address, an e-mail) in ``scope``; raise RateLimited when it
    is one too many. Call inside ``transaction.atomic()`` with the post's own writes (a batched
    scope writes nothing here: see :func:`count_request`)."""
    now = now or timezone.now()
    if scope in BATCHED:
        batched_counts(scope).hit(value, now)
        return
    counter_key = key(scope, value)
    for limit, seconds in limits(scope):
        start = _window_start(now, seconds)
        if _increment(counter_key, start) > limit:
            raise _refusal(scope, limit, seconds, start, now)


def count_request(scope: str, value: str | None, now: dt.datetime | None = None) -> None:
    """Count one request that writes nothing else (an API call): in memory for a batched scope,
    else in a transaction of its own, which a refusal rolls back."""
    if scope in BATCHED:
        hit(scope, value, now)
        return
    with transaction.atomic():
        hit(scope, value, now)


# --- batched scopes --------------------------------------------------------------------------------

Window = tuple[str, int, dt.datetime]   # counter key, window length in seconds, window start


class BatchedCounts:
    """One process's counts of a batched scope (see the module's docstring), shared by its
    threads: ``known`` is the database's count of each window as this process last wrote it,
    ``unwritten`` its own hits since. A write happens under the lock, so a thread never decides
    while some of its process's hits are on their way (a batch is never more than ``hits``);
    the other threads wait for it, once every ``hits`` requests."""

    def __init__(self, scope: str, batching: Batching):
        self.scope, self.batching = scope, batching
        self.lock = threading.Lock()
        self.known: dict[Window, int] = {}
        self.unwritten: Counter[Window] = Counter()
        self.unwritten_hits = 0
        self.oldest_unwritten: float | None = None   # time.monotonic() of the first one

    def hit(self, value: str | None, now: dt.datetime) -> None:
        """Count one request of ``value``, or raise RateLimited (and count nothing)."""
        counter_key = _batched_key(self.scope, value)
        windows = [(limit, (counter_key, seconds, _window_start(now, seconds)))
                   for limit, seconds in limits(self.scope)]
        with self.lock:
            for limit, window in windows:
                if self.known.get(window, 0) + self.unwritten[window] >= limit:
                    raise _refusal(self.scope, limit, window[1], window[2], now)
            for _, window in windows:
                self.unwritten[window] += 1
            self.unwritten_hits += 1
            if self.oldest_unwritten is None:
                self.oldest_unwritten = time.monotonic()
            if (self.unwritten_hits >= self.batching.hits
                    or time.monotonic() - self.oldest_unwritten >= self.batching.seconds):
                self._write(now)

    def write(self, now: dt.datetime | None = None) -> None:
        """Add the unwritten hits to the database's counters now."""
        with self.lock:
            self._write(now)

    def _write(self, now: dt.datetime | None) -> None:
        """One transaction adds the unwritten hits; the counts it returns are kept, windows that
        are over forgotten. If it fails, the hits stay unwritten (nothing lost) and the error
        goes up as any database error of the request would. Call holding the lock."""
        if not self.unwritten:
            return
        with transaction.atomic():
            counts = {window: _increment(window[0], window[2], n)
                      for window, n in self.unwritten.items()}
        self.unwritten, self.unwritten_hits, self.oldest_unwritten = Counter(), 0, None
        self.known.update(counts)
        now = now or timezone.now()
        self.known = {w: c for w, c in self.known.items()
                      if w[2] + dt.timedelta(seconds=w[1]) > now}


# A batched scope counts every request of the API: its keys, of client addresses (never e-mails,
# which stay in no memory longer than their post), are hashed once per address.
_batched_key = lru_cache(maxsize=4096)(key)

_batched: dict[str, BatchedCounts] = {}
_batched_lock = threading.Lock()


def batched_counts(scope: str) -> BatchedCounts:
    """This process's counts of a batched scope."""
    with _batched_lock:
        if scope not in _batched:
            _batched[scope] = BatchedCounts(scope, BATCHED[scope])
        return _batched[scope]


def write_counts() -> None:
    """Write every batched scope's unwritten hits now (at exit; a test that reads the table)."""
    for counts in list(_batched.values()):
        counts.write()


def write_counts_at_exit() -> None:
    try:
        write_counts()
    except Exception:   # noqa: BLE001 — the process is ending: say so, never hang or crash it
        log.warning("rate counts of this process could not be written at exit", exc_info=True)


def _forget_in_child() -> None:
    """A forked worker starts with no counts of its own (its parent's are the parent's)."""
    global _batched_lock
    _batched.clear()
    _batched_lock = threading.Lock()


atexit.register(write_counts_at_exit)
os.register_at_fork(after_in_child=_forget_in_child)


def forget_old(now: dt.datetime | None = None) -> int:
    """Drop counters of windows long over (the longest window is a day)."""
    longest = max(s for scope in DEFAULT_LIMITS for _, s in limits(scope))
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=2 * longest)
    return RateCounter.objects.filter(window_start__lt=cutoff).delete()[0]
