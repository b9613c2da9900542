"""The on-disk page cache's Django backend: python-diskcache's, with its connections kept open.

Django closes every cache at the end of each request (``request_finished``); for diskcache that
means closing the SQLite connections of the thread, and opening them again on the next request,
with their dozen PRAGMAs: 0.4 ms a request, most of what serving a kept page costs. A gunicorn
thread lives for many requests, so its connections do too; :meth:`close_connections` closes
them for real (the master calls it before forking the workers).
"""

from __future__ import annotations

from diskcache import DjangoCache


class PageCache(DjangoCache):
    def close(self, **kwargs) -> None:
        """Kept open: see the module's docstring."""

    def close_connections(self) -> None:
        super().close()
