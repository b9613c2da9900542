"""A PostgreSQL server of the system's binaries in a folder of its own, listening on loopback,
and its streaming replicas.

The tests' throwaway servers (:mod:`.tempserver`), the cluster test and ``deploy/cluster`` (a
primary and a replica on one machine) all start PostgreSQL this way: ``initdb`` into the folder,
``pg_ctl start`` on a port of 127.0.0.1 with the Unix socket in the folder (no system directory
is touched), trust authentication on loopback only. A replica is a ``pg_basebackup -R`` of a
running primary (``-R`` writes ``standby.signal`` and ``primary_conninfo``), started like any
server: it streams the primary's WAL and answers read-only queries (``hot_standby``, on by
default). PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user
(or ``CABLES_PG_USER``) through ``runuser``.

    primary = LocalPostgres(Path("db/primary"), port=5433)
    primary.initialise(); primary.start(); primary.create_database()
    replica = primary.clone(Path("db/replica"), port=5434); replica.start()
"""

from __future__ import annotations

import glob
import os
import pwd
import random
import socket
import subprocess
import time
from pathlib import Path

BINARY_DIRS = ("/usr/lib/postgresql/*/bin", "/usr/local/bin", "/usr/bin", "/usr/local/pgsql/bin")

# What a test server may give up for speed: losing transactions on a crash of the machine (not of
# PostgreSQL) is fine for data that is thrown away. ``synchronous_commit`` stays on: a commit
# the server acknowledged survives the server being killed, which the fault tests rely on.
FAST_SETTINGS = {"fsync": "off", "full_page_writes": "off"}


class PostgresUnavailable(RuntimeError):
    """The binaries are missing (or cannot run here), or a server would not start."""


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


def free_port_run(count: int) -> int:
    """The first of ``count`` consecutive loopback ports free now (the public site's arrangement,
    ``deploy/cluster start --base-port``, numbers its servers from one)."""
    rng = random.Random()
    for _ in range(100):
        base = rng.randrange(20000, 60000)
        try:
            for port in range(base, base + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise OSError(f"no {count} free ports in a row on 127.0.0.1")


def server_user() -> pwd.struct_passwd | None:
    """Root cannot run PostgreSQL: the unprivileged user to run it as (``None``: ourselves)."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("CABLES_PG_USER", "postgres")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise PostgresUnavailable(f"running as root and there is no {name!r} user to run PostgreSQL")


class LocalPostgres:
    """One server: its folder (``data/`` and ``server.log`` inside), port and settings.

    ``settings`` are passed as ``-c name=value`` at each start; ``include``, a configuration
    fragment, is named in ``postgresql.conf`` by :meth:`initialise` (and by :meth:`clone` for
    the replica's own fragment), so an operator can read and change it between restarts.
    """

    def __init__(self, folder: Path, port: int = 0, *, database: str = "cables",
                 settings: dict[str, str] | None = None, include: Path | None = None) -> None:
        self.folder = Path(folder)
        self.port = port
        self.database = database
        self.settings = dict(settings or {})
        self.include = include
        self.bin = find_binaries()
        if self.bin is None:
            raise PostgresUnavailable("initdb/pg_ctl/postgres not found (install postgresql-15)")
        self.run_as = server_user()

    # --- where it is ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.url_of(self.database)

    def url_of(self, database: str) -> str:
        """The URL of another database of this server (``postgres``: where databases are made)."""
        return f"postgresql://cables@127.0.0.1:{self.port}/{database}"

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def exists(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    @property
    def is_replica(self) -> bool:
        return (self.data_dir / "standby.signal").exists()

    @property
    def running(self) -> bool:
        if not (self.data_dir / "postmaster.pid").exists():
            return False
        return subprocess.run(self._command("pg_ctl", "-D", str(self.data_dir), "status"),
                              capture_output=True).returncode == 0

    def listening_port(self) -> int | None:
        """The port the server running from this folder listens on (``postmaster.pid``'s fourth
        line), or None when none runs: a server another process started is reached by its
        folder alone."""
        if not self.running:
            return None
        try:
            return int((self.data_dir / "postmaster.pid").read_text().splitlines()[3])
        except (OSError, IndexError, ValueError):
            return None

    # --- making it -----------------------------------------------------------------------------

    def initialise(self) -> LocalPostgres:
        """A new, empty cluster in the folder (user ``cables``, trust on loopback)."""
        self._own_folder()
        self.run("initdb", "-D", str(self.data_dir), "-U", "cables", "-A", "trust", "-E", "UTF8",
                 "--locale=C", "--no-sync")
        self._include(self.include)
        return self

    def clone(self, folder: Path, port: int = 0, *, include: Path | None = None,
              settings: dict[str, str] | None = None) -> LocalPostgres:
        """A streaming replica of this (running) server in ``folder``: ``pg_basebackup -R``,
        WAL streamed during the copy so that it starts consistent. Not started."""
        replica = LocalPostgres(folder, port, database=self.database,
                                settings=self.settings if settings is None else settings,
                                include=include)
        replica._own_folder()
        replica.run("pg_basebackup", "-D", str(replica.data_dir), "-h", "127.0.0.1",
                    "-p", str(self.port), "-U", "cables", "-R", "-X", "stream", "--no-sync",
                    "-c", "fast")
        replica._include(include)
        return replica

    def create_database(self) -> None:
        """The database ``url`` names, unless it exists (on a primary)."""
        import psycopg

        with psycopg.connect(self.url_of("postgres"), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                [self.database]).fetchone():
                conn.execute(f'CREATE DATABASE "{self.database}"')

    # --- running it ----------------------------------------------------------------------------

    def start(self, attempts: int = 1) -> LocalPostgres:
        """``pg_ctl start`` and wait until it accepts connections. With ``port`` 0, or
        ``attempts`` > 1, a free port is picked (again, should another process take it first)."""
        options = [f"-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={self.folder}",
                   *(f"-c {name}={value}" for name, value in self.settings.items())]
        fixed = self.port
        for attempt in range(attempts):
            if not fixed or attempt:
                self.port = free_port()
            try:
                self.run("pg_ctl", "-D", str(self.data_dir), "-w", "-t", "60", "-l", str(self.log),
                         "-o", " ".join([f"-p {self.port}", *options]), "start")
                return self
            except PostgresUnavailable:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.2)
        return self

    def stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop``: ``fast`` (clients cut, a clean shutdown) or ``immediate`` (as if
        killed: what was committed survives, recovered at the next start). Its data stays."""
        if self.running:
            self.run("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "stop")

    def replayed_up_to(self, primary: LocalPostgres) -> bool:
        """Whether this replica has replayed everything ``primary`` has written until now."""
        import psycopg

        with psycopg.connect(primary.url, autocommit=True) as conn:
            written = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        with psycopg.connect(self.url, autocommit=True) as conn:
            return bool(conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn",
                                     [str(written)]).fetchone()[0])

    def wait_for_replay(self, primary: LocalPostgres, timeout: float = 60) -> None:
        """Wait until this replica has caught up with ``primary`` (a bound, not a measure)."""
        deadline = time.monotonic() + timeout
        while not self.replayed_up_to(primary):
            if time.monotonic() > deadline:
                raise PostgresUnavailable(f"the replica on port {self.port} did not catch up "
                                          f"with the primary within {timeout:.0f} s")
            time.sleep(0.1)

    # --- helpers -------------------------------------------------------------------------------

    def run(self, program: str, *args: str) -> None:
        done = subprocess.run(self._command(program, *args), capture_output=True, text=True,
                              cwd=self.folder)
        if done.returncode != 0:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise PostgresUnavailable(
                f"{program} failed ({done.returncode}): {done.stderr.strip()[-2000:]}\n{tail}")

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bin / program), *args]
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as.pw_name, "--", *command]
        return command

    def _own_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)
        if self.run_as is not None:
            os.chown(self.folder, self.run_as.pw_uid, self.run_as.pw_gid)

    def _include(self, fragment: Path | None) -> None:
        if fragment is None:
            return
        with open(self.data_dir / "postgresql.conf", "a") as conf:
            conf.write(f"\ninclude_if_exists = '{Path(fragment).resolve()}'\n")
