"""The archives the benches load: made once with `cables ingest`, reused by every run after.

``--archive`` of bench/web.py names one:

- ``mirror``: the 6,712-page mirror on SQLite, in $TMPDIR/cables-bench/mirror.db;
- ``250k``: the 250,000 synthetic cables (bench/synthetic.py's dump,
  $TMPDIR/cables-synthetic-250000.csv) on PostgreSQL, in the server folder
  $TMPDIR/cables-bench/pg-synthetic-250000/ (about 30 minutes to make on 2 cores, once);
- a folder (an existing one, or a path ending in ``/``): a PostgreSQL server's folder, made from
  ``--corpus`` when it holds none;
- a ``postgresql://`` URL: the archive of a server already running, used as it is;
- any other path: a SQLite archive, made from ``--corpus`` when missing or empty.

A PostgreSQL folder is :class:`cables.store.pgserver.LocalPostgres`'s, as for the public site's
servers (deploy/cluster): ``data/`` and ``server.log``, PostgreSQL's default settings (a bench
measures what a site would run, not a test's fsync=off), the ranking index in ``ranking.index/``
beside them (named, so that another port next time does not make it anew), and ``ingested``, the
source whose `cables ingest` finished. A folder whose ingest did not finish is ingested again (the
ingest resumes where it stopped); a server already running from the folder is used and left
running, one the bench started is stopped after the run (its data stays).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
SCRATCH = Path(tempfile.gettempdir())
MIRROR = CORPUS / "cablegate-site-2011-04-25.tar.xz"
SYNTHETIC_250K = SCRATCH / "cables-synthetic-250000.csv"

# name → (where it is kept, what it is made from)
NAMED = {
    "mirror": (SCRATCH / "cables-bench" / "mirror.db", MIRROR),
    "250k": (SCRATCH / "cables-bench" / "pg-synthetic-250000", SYNTHETIC_250K),
}


@dataclass
class Archive:
    """An archive ready to serve: ``db`` is what ``cables --db`` takes."""

    db: str
    described: str          # where it is, for the bench's table
    server: object | None = None    # the LocalPostgres this bench started: stopped by close()

    @property
    def is_postgres(self) -> bool:
        return "://" in self.db

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def open_archive(spec: str, corpus: Path | None, routes: Path, known_ids: Path) -> Archive:
    """The archive ``spec`` names (see the module's docstring), made from ``corpus`` (or the
    named archive's own source) when it holds no cable yet."""
    if spec in NAMED:
        where, source = NAMED[spec]
        if spec == "250k":
            return postgres_folder(where, corpus or source, routes, known_ids)
        return sqlite_file(where, corpus or source, routes, known_ids)
    if "://" in spec:
        return Archive(spec, spec)
    path = Path(spec).expanduser()
    if path.is_dir() or spec.endswith("/"):
        return postgres_folder(path, corpus, routes, known_ids)
    return sqlite_file(path, corpus or MIRROR, routes, known_ids)


def ingest(db: str, source: Path, routes: Path, known_ids: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "cables", "ingest", "--db", db, "--routes",
                           str(routes), "--known-ids", str(known_ids), str(source)], check=False)
    if done.returncode not in (0, 1):   # 1: some documents failed, the others are in
        sys.exit(f"cables ingest failed with status {done.returncode}")


def sqlite_file(path: Path, source: Path, routes: Path, known_ids: Path) -> Archive:
    """A SQLite archive, ``source`` ingested into it when it holds no cable yet."""
    if path.exists():
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
                if conn.execute("SELECT count(*) FROM store_cable").fetchone()[0]:
                    return Archive(str(path), str(path))
        except sqlite3.Error:
            pass  # no schema yet: ingest
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"Ingesting {source} into {path} (once)…", file=sys.stderr, flush=True)
    ingest(str(path), source, routes, known_ids)
    return Archive(str(path), str(path))


def postgres_folder(folder: Path, source: Path | None, routes: Path, known_ids: Path) -> Archive:
    """The PostgreSQL archive of a server folder: reused when it is there, made (server and
    ingest, of ``source``: the mirror when None) when it is not, its server started when none
    runs from it. An archive made from another source than ``source`` is refused."""
    from cables.store.pgserver import LocalPostgres, PostgresUnavailable

    folder = folder.resolve()
    done_marker = folder / "ingested"
    # the ranking index the ingest makes and the server reads (and this process: the bench's)
    os.environ["CABLES_SEARCH_INDEX"] = str(folder / "ranking.index")
    try:
        server = LocalPostgres(folder)
        started = None
        if not server.exists:
            if folder.exists() and any(folder.iterdir()):
                sys.exit(f"--archive {folder}/: a folder that is neither empty nor a PostgreSQL "
                         "server's (no data/PG_VERSION in it)")
            require_source(source or MIRROR)
            print(f"No archive in {folder}: making one, a PostgreSQL server there and "
                  f"`cables ingest {source or MIRROR}` into it (once: the next runs reuse it; the 250,000 "
                  "synthetic cables take about 30 minutes on 2 cores)…", file=sys.stderr, flush=True)
            server.initialise()
        port = server.listening_port()
        if port is not None:
            server.port = port
            print(f"Reusing the PostgreSQL server running from {folder} (port {port}).",
                  file=sys.stderr, flush=True)
        else:
            started = server.start(attempts=5)
        server.create_database()
    except PostgresUnavailable as exc:
        sys.exit(f"--archive {folder}: {exc}")
    archive = Archive(server.url, f"{folder}/ ({server.url})", started)
    made_from = done_marker.read_text().strip() if done_marker.exists() else None
    try:
        if made_from is None:
            source = source or MIRROR
            require_source(source)
            print(f"Ingesting {source} into {server.url} (an ingest that did not finish resumes)…",
                  file=sys.stderr, flush=True)
            ingest(server.url, source, routes, known_ids)
            done_marker.write_text(f"{source.resolve()}\n")
        elif source is not None and made_from != str(source.resolve()):
            sys.exit(f"{folder} holds {made_from}, not {source}: give another folder")
        else:
            print(f"Reusing the archive in {folder} (made from {made_from}).", file=sys.stderr,
                  flush=True)
    except BaseException:
        archive.close()
        raise
    return archive


def require_source(source: Path) -> None:
    if source.exists():
        return
    how = (f" (make it: python bench/synthetic.py --count 250000 --out {source})"
           if source == SYNTHETIC_250K else "")
    sys.exit(f"{source}: not found{how}")
