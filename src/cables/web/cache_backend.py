"""The on-disk page cache's Django backend: python-diskcache's, with its connections kept open
and the answers asked most recently kept decoded in the process's memory too.

Django closes every cache at the end of each request (``request_finished``); for diskcache that
means closing the SQLite connections of the thread, and opening them again on the next request,
with their dozen PRAGMAs: 0.4 ms a request, most of what serving a kept page costs. A gunicorn
thread lives for many requests, so its connections do too; :meth:`close_connections` closes
them for real (the master calls it before forking the workers).

:class:`RecentAnswers` is the other half of a kept answer's cost: reading it from disk, then
inflating and unpickling it (in process, on the mirror's API answers: 0.2 ms, 30 % of a kept
answer's CPU, when the page cache used zlib; since it uses Zstandard, less than 0.1 ms, within
the noise of bench/api_request.py: 0.47-0.52 ms a GET with all 6,711 answers in memory, 0.51
with none). Its keys are the page cache's, which carry every state an answer depends
on, so an entry is never stale, only unreachable; the least recently asked go beyond the budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from diskcache import DjangoCache


class RecentAnswers:
    """A process's most recently asked answers, decoded, up to ``budget`` bytes (each counted at
    its pickled size), shared by the process's threads. Values must not be changed by those who
    read them: every reader gets the same object."""

    def __init__(self, budget: int):
        self.budget = budget
        self.lock = threading.Lock()
        self.entries: OrderedDict[str, tuple[object, int]] = OrderedDict()
        self.size = 0

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            self.entries.move_to_end(key)
            return entry[0]

    def put(self, key: str, value: object, size: int) -> None:
        if size > self.budget // 8:   # one huge answer does not push out a hundred others
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self.entries[key] = (value, size)
            self.size += size
            while self.size > self.budget:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= dropped

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


class PageCache(DjangoCache):
    """``RECENT_BYTES`` (a parameter of ``CACHES``): the budget of :attr:`recent` [0: none]."""

    _recents: dict[tuple[str, int], RecentAnswers] = {}   # the process's, by folder and budget
    _recents_lock = threading.Lock()

    def __init__(self, directory, params):
        params = dict(params)
        budget = params.pop("RECENT_BYTES", 0)
        super().__init__(directory, params)
        self.recent: RecentAnswers | None = None   # each thread has its own backend: one tier
        if budget:
            with self._recents_lock:
                self.recent = self._recents.setdefault((directory, budget), RecentAnswers(budget))

    def close(self, **kwargs) -> None:
        """Kept open: see the module's docstring."""

    def close_connections(self) -> None:
        super().close()

    def clear(self):
        """Everything kept, on disk and in this process's memory (another process's memory
        keeps its answers, which are still right: see :class:`RecentAnswers`)."""
        if self.recent is not None:
            self.recent.clear()
        return super().clear()
