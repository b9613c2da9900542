"""Which database a query goes to, when the archive has a streaming replica.

With ``CABLES_DB_REPLICA`` set (see :mod:`cables.settings.database`), Django has two aliases:
``default``, the primary, which takes every write, and ``replica``, a read-only copy streamed
from it. Reads go to the replica only where it is safe and someone asked for it: inside a web
request that the reading room's middleware (:mod:`cables.web.replica`) marked with
:func:`reading_from`. Everything else — the CLI, an ingest, a comment being posted, a reader who
has just posted, any query inside a transaction of the primary — reads the primary, so a write
is never followed by a read of a copy that has not received it yet.

The choice lives in a context variable, so each thread of a gunicorn worker has its own.
Whether the replica is fit to be read is a flag of the process (:func:`replica_failed`), set
when a query on it fails and cleared after :data:`RETRY_SECONDS` (longer after failures in a
row), when it is tried again.

Raw SQL asks :func:`read_alias` for its connection (the archive's generation, the discussion's,
search); the ORM asks :class:`PrimaryReplicaRouter`, named in ``DATABASE_ROUTERS``.
"""

from __future__ import annotations

import contextlib
import threading
import time
from contextvars import ContextVar

PRIMARY = "default"
REPLICA = "replica"
RETRY_SECONDS = 5.0   # after a failure, reads stay on the primary this long before a new try
LONGEST_WAIT = 60.0   # … and at most this long after failures in a row

_reads: ContextVar[str] = ContextVar("cables_reads", default=PRIMARY)
_failed_until = 0.0
_failures = 0         # in a row
_lock = threading.Lock()


def has_replica() -> bool:
    from django.conf import settings

    return REPLICA in settings.DATABASES


def replica_usable() -> bool:
    """Configured, and not failed within its back-off (see :func:`replica_failed`)."""
    return has_replica() and time.monotonic() >= _failed_until


def replica_failed() -> None:
    """A query on the replica failed: read from the primary for :data:`RETRY_SECONDS`, then try
    again; each failed try after that doubles the wait, up to :data:`LONGEST_WAIT`, so a replica
    that stays down is tried about once a minute, not every few seconds."""
    global _failed_until, _failures
    with _lock:
        now = time.monotonic()
        if now < _failed_until:  # known already (reads that were under way when it failed)
            return
        wait = min(RETRY_SECONDS * 2 ** _failures, LONGEST_WAIT)
        _failures += 1
        _failed_until = now + wait


def replica_answered() -> None:
    """A read on the replica went well: the next failure waits :data:`RETRY_SECONDS` again."""
    global _failures
    if _failures:
        with _lock:
            _failures = 0


@contextlib.contextmanager
def reading_from(alias: str):
    """Send this context's reads to ``alias`` (``replica`` or ``default``) until the block ends."""
    token = _reads.set(alias)
    try:
        yield
    finally:
        _reads.reset(token)


def same_data_as(alias: str) -> str:
    """The alias whose data ``alias`` holds: ``default`` for its replica (``TEST["MIRROR"]``, see
    :func:`cables.settings.database.replica_settings`), else ``alias`` itself. What is derived
    from the archive and kept (the search index, the facet index) is kept once for both."""
    from django.db import connections

    return (connections.settings[alias].get("TEST") or {}).get("MIRROR") or alias


def read_alias() -> str:
    """The alias a read should use now (``default`` outside :func:`reading_from`)."""
    alias = _reads.get()
    if alias == PRIMARY:
        return PRIMARY
    from django.db import connections

    if connections[PRIMARY].in_atomic_block:  # a transaction reads what it wrote
        return PRIMARY
    return alias


class PrimaryReplicaRouter:
    """Django's router: writes to the primary, reads where :func:`read_alias` says; the replica
    takes no migration (it receives the primary's schema through replication)."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == REPLICA else None
