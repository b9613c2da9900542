"""Shared fixtures: where the corpus is, and real pages from it.

The corpus lives in ``../shared/corpus`` (override with ``CABLES_SHARED``). Outside CI a test that
needs it is skipped with the reason; with ``CI=true`` it fails instead, so a CI run can never pass
by skipping.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from types import ModuleType
from functools import cache
from pathlib import Path

import pytest

from cables import ParseContext, parse, parse_one
from cables.record import Cable

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CABLES_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
MIRROR_TAR = CORPUS / "cablegate-site-2011-04-25.tar.xz"
BLOG_PAGE = CORPUS / "formats" / "blog-page" / "06ASTANA38.txt"
ROUTES_CSV = CORPUS / "ids" / "route2name.csv"
KNOWN_IDS_CSV = CORPUS / "ids" / "cable2month.csv.gz"
FORMAT_TARS = sorted((CORPUS / "formats").glob("*.tar.xz"))
BUILD_TARS = sorted((CORPUS / "builds").glob("*.tar.xz"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# A PostgreSQL archive's ranking index goes to the current directory by default: the tests' go to
# a temporary folder (their commands inherit it), not the checkout, deleted when the session's
# first process ends (xdist's workers inherit the variable and make none).
if "CABLES_SEARCH_INDEX_ROOT" not in os.environ:
    os.environ["CABLES_SEARCH_INDEX_ROOT"] = tempfile.mkdtemp(prefix="cables-index-")
    atexit.register(shutil.rmtree, os.environ["CABLES_SEARCH_INDEX_ROOT"], ignore_errors=True)


def require(path: Path) -> Path:
    """Skip (or, in CI, fail) when a corpus file is missing."""
    if not path.exists():
        message = f"corpus file {path} is absent (set CABLES_SHARED or put the corpus in ../shared)"
        if IN_CI:
            pytest.fail(message + " — CI must have it")
        pytest.skip(message)
    return path


@cache
def _unpacked(tar_path: Path, dest: Path) -> Path:
    marker = dest / ".complete"
    if not marker.exists():
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tar_path) as tar:
            tar.extractall(dest, filter="data")
        marker.touch()
    return dest


def unpack(tar_path: Path) -> Path:
    """Unpack a corpus archive once per machine, outside the repository."""
    require(tar_path)
    base = Path(os.environ.get("CABLES_CORPUS_CACHE", "/tmp/cables-corpus-cache"))
    return _unpacked(tar_path, base / tar_path.name.removesuffix(".tar.xz"))


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The 6,712-page mirror, unpacked."""
    return unpack(MIRROR_TAR)


@cache
def _page_index(root: Path) -> dict[str, Path]:
    return {p.stem.upper(): p for p in root.rglob("*.html")}


def page_path(reference_id: str) -> Path:
    """The path of a page of the mirror (or of a format fixture) by its reference id."""
    for tar in [MIRROR_TAR, *FORMAT_TARS]:
        index = _page_index(unpack(tar))
        if reference_id.upper() in index:
            return index[reference_id.upper()]
    raise LookupError(f"{reference_id} is in no corpus archive")


@pytest.fixture(scope="session")
def plain_module(tmp_path_factory):
    """``plain_module("parse.refs")``: a module of the package as plain Python, even where the
    install compiled the parser (setup.py). Compiled code calls the functions of its modules
    directly, so a test that replaces one of them, or compares with the source as written, needs
    this. A copy of ``src/cables`` without its compiled modules is imported as
    ``cables_plain``: the package's imports of itself are relative."""
    root = tmp_path_factory.mktemp("plain")
    shutil.copytree(ROOT / "src" / "cables", root / "cables_plain",
                    ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))
    sys.path.insert(0, str(root))

    def module(name: str) -> ModuleType:
        return importlib.import_module(f"cables_plain.{name}")

    yield module
    sys.path.remove(str(root))


@cache
def routes() -> dict[str, str]:
    from cables.sources.tables import load_routes

    return load_routes(require(ROUTES_CSV))


@cache
def known_ids() -> frozenset[str]:
    from cables.sources.tables import load_known_ids

    return load_known_ids(require(KNOWN_IDS_CSV))


@cache
def full_context() -> ParseContext:
    """The context `cables ingest --routes --known-ids` gives the parser (the same function)."""
    from cables.cli.tables import load_context

    return load_context(require(ROUTES_CSV), require(KNOWN_IDS_CSV))


def cable(reference_id: str, context: ParseContext | None = None) -> Cable:
    """Parse a real corpus page, with both reference tables loaded."""
    if reference_id.upper() == "06ASTANA38":
        data = require(BLOG_PAGE).read_bytes()
    else:
        data = page_path(reference_id).read_bytes()
    return parse_one(data, source=reference_id, context=context or full_context())


def cables_of(path: Path, context: ParseContext | None = None) -> list[Cable]:
    return parse(path.read_bytes(), source=str(path), context=context or full_context())


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server for the session (skipped outside CI when not installed)."""
    from cables.store.tempserver import PostgresUnavailable, TemporaryPostgres

    try:
        server = TemporaryPostgres().start()
    except PostgresUnavailable as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is needed in CI: {exc}")
        pytest.skip(f"PostgreSQL is not installed here: {exc}")
    yield server
    server.stop()


_databases = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def mirror_archive(request, tmp_path_factory):
    """``mirror_archive(backend)``: (``--db`` target, Django alias) of the whole mirror (6,712
    pages) ingested by the real command with the reference tables (``--routes --known-ids``, so
    REF ids not released are ``known``), into a SQLite file or a PostgreSQL database of the
    session's server, with its ranking index.

    Made once per session and backend, on first need, and shared by the modules that only read it
    (the differential, ranking-index and export tests: each had an ingest of its own, a minute or
    more apiece). A test must not change it; one that writes makes an archive of its own."""
    from django.db import connections

    from cables.store import db

    made: dict[str, tuple[str, str]] = {}

    def archive(backend: str) -> tuple[str, str]:
        if backend not in made:
            if backend == "sqlite":
                target = str(tmp_path_factory.mktemp("mirror") / "cables.db")
            else:
                target = request.getfixturevalue("pg_server").fresh_database(f"mirror_{os.getpid()}")
            done = subprocess.run(
                [sys.executable, "-m", "cables", "ingest", str(unpack(require(MIRROR_TAR))),
                 "--routes", str(require(ROUTES_CSV)), "--known-ids", str(require(KNOWN_IDS_CSV)),
                 "--db", target], capture_output=True, text=True, timeout=1800)
            assert done.returncode == 0, f"cables ingest of the mirror failed:\n{done.stderr}"
            made[backend] = (target, db.add_database(f"mirror_{backend}", target))
        return made[backend]

    yield archive
    for _target, alias in made.values():
        connections[alias].close()


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request, tmp_path) -> str:
    """A new, empty archive on each backend: a SQLite path or a PostgreSQL URL (a new database)."""
    if request.param == "sqlite":
        return str(tmp_path / "cables.db")
    server = request.getfixturevalue("pg_server")
    return server.fresh_database(f"archive_{os.getpid()}_{next(_databases)}")


def setup_django() -> None:
    """Set Django up for the in-process tests (store, web), once per process.

    The default database is a scratch SQLite file per process: the store tests never open it
    (they use aliases of their own); the web tests fill it with their archive.
    """
    from django.conf import settings

    from cables.store import db

    if settings.configured:
        db.setup()
    else:
        db.setup(os.path.join(tempfile.gettempdir(), f"cables-test-default-{os.getpid()}.db"))


@pytest.fixture(scope="session")
def db_access(request):
    """Database access for in-process tests: pytest-django blocks it by default."""
    if request.config.pluginmanager.has_plugin("django"):
        return request.getfixturevalue("django_db_blocker").unblock
    return contextlib.nullcontext
