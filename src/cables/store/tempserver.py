"""A throwaway PostgreSQL server from the system's binaries, for the tests and the bench.

``initdb`` into a temporary directory, ``pg_ctl start`` on a free loopback port, one database,
trust authentication on 127.0.0.1 only; ``stop()`` shuts it down and deletes the directory.
:meth:`TemporaryPostgres.replica` adds a streaming replica of it (``pg_basebackup -R``), thrown
away with it. How a server is made and run is :mod:`.pgserver`'s; this module only decides where
(a temporary directory) and for how long.

    with TemporaryPostgres() as server:
        db.add_database("pg", server.url)
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .pgserver import FAST_SETTINGS, LocalPostgres, PostgresUnavailable, find_binaries, free_port

__all__ = ["TemporaryPostgres", "PostgresUnavailable", "find_binaries", "free_port"]


class TemporaryPostgres(LocalPostgres):
    """A PostgreSQL server living in a temporary directory; ``url`` reaches its database.

    ``durable``: False (tests) gives up fsync for speed; the bench keeps PostgreSQL's defaults.
    """

    def __init__(self, database: str = "cables", durable: bool = False) -> None:
        super().__init__(Path(tempfile.gettempdir()), 0, database=database,
                         settings={} if durable else dict(FAST_SETTINGS))
        self.durable = durable
        self.root: Path | None = None
        self.replicas: list[LocalPostgres] = []

    def start(self) -> TemporaryPostgres:
        if self.root is None:
            self.root = self.folder = Path(tempfile.mkdtemp(prefix="cables-pg-"))
            self.initialise()
            super().start(attempts=5)
            self.create_database()
        else:  # after halt(): the same data, the same port
            super().start()
        return self

    def fresh_database(self, name: str) -> str:
        """The URL of a new, empty database ``name`` on this server (one of that name dropped
        first): a test's or a bench's archive of its own beside the others."""
        import psycopg

        with psycopg.connect(self.url_of("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_of(name)

    def halt(self, mode: str = "immediate") -> None:
        """Stop the server and keep its data, as a crash would (``start()`` brings it back)."""
        super().stop(mode)

    def replica(self) -> LocalPostgres:
        """A streaming replica of this server, started, in a folder beside its own; stopped and
        deleted with it."""
        replica = self.clone(Path(tempfile.mkdtemp(prefix="cables-pg-replica-")))
        self.replicas.append(replica)
        return replica.start(attempts=5)

    def stop(self) -> None:
        if self.root is None:
            return
        try:
            for replica in self.replicas:
                try:
                    replica.stop("immediate")
                finally:
                    shutil.rmtree(replica.folder, ignore_errors=True)
            super().stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
            self.replicas = []

    def __enter__(self) -> TemporaryPostgres:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
