"""A throwaway PostgreSQL server from the system's binaries, for the tests and the bench.

``initdb`` into a temporary directory, ``pg_ctl start`` on a free loopback port, one database,
trust authentication on 127.0.0.1 only; ``stop()`` shuts it down and deletes the directory.
PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user (or
``CABLES_PG_USER``) through ``runuser``.

    with TemporaryPostgres() as server:
        db.add_database("pg", server.url)
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BINARY_DIRS = ("/usr/lib/postgresql/*/bin", "/usr/local/bin", "/usr/bin", "/usr/local/pgsql/bin")


class PostgresUnavailable(RuntimeError):
    """The binaries are missing (or cannot run here)."""


def find_binaries() -> Path | None:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``, newest version first."""
    override = os.environ.get("CABLES_PG_BIN")
    candidates = [override] if override else []
    for pattern in BINARY_DIRS:
        candidates += sorted(glob.glob(pattern), reverse=True)
    for directory in candidates:
        if all(os.access(Path(directory, n), os.X_OK) for n in ("initdb", "pg_ctl", "postgres")):
            return Path(directory)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TemporaryPostgres:
    """A PostgreSQL server living in a temporary directory; ``url`` reaches its database."""

    def __init__(self, database: str = "cables", durable: bool = False) -> None:
        self.database = database
        self.durable = durable  # False: fsync off, for tests; the bench keeps the defaults
        self.bin = find_binaries()
        if self.bin is None:
            raise PostgresUnavailable("initdb/pg_ctl/postgres not found (install postgresql-15)")
        self.port = 0
        self.root: Path | None = None
        self._run_as = _server_user()

    @property
    def url(self) -> str:
        return f"postgresql://cables@127.0.0.1:{self.port}/{self.database}"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def start(self) -> TemporaryPostgres:
        self.root = Path(tempfile.mkdtemp(prefix="cables-pg-"))
        self.root.chmod(0o755)
        if self._run_as is not None:
            os.chown(self.root, self._run_as.pw_uid, self._run_as.pw_gid)
        self._run("initdb", "-D", str(self.data_dir), "-U", "cables", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        settings = ["-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={self.root}"]
        if not self.durable:
            settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        for attempt in range(5):
            self.port = free_port()
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-w", "-t", "60", "-l",
                          str(self.root / "server.log"), "-o", " ".join([f"-p {self.port}", *settings]),
                          "start")
                break
            except PostgresUnavailable:
                if attempt == 4:
                    raise
                time.sleep(0.2)
        self._create_database()
        return self

    def stop(self) -> None:
        if self.root is None:
            return
        try:
            if (self.data_dir / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> TemporaryPostgres:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _create_database(self) -> None:
        import psycopg

        url = f"postgresql://cables@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self._run_as is not None:
            command = ["runuser", "-u", self._run_as.pw_name, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            log = self.root / "server.log" if self.root else None
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise PostgresUnavailable(
                f"{program} failed ({done.returncode}): {done.stderr.strip()[-2000:]}\n{tail}"
            )


def _server_user() -> pwd.struct_passwd | None:
    """Root cannot run PostgreSQL: the unprivileged user to run it as (``None``: ourselves)."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("CABLES_PG_USER", "postgres")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise PostgresUnavailable(f"running as root and there is no {name!r} user to run PostgreSQL")
