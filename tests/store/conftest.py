"""Every store test runs on both backends: SQLite (a temp file) and a throwaway PostgreSQL server.

The PostgreSQL server is started once per test session (per xdist worker) from the system's
binaries (:class:`cables.store.tempserver.TemporaryPostgres`) and deleted at the end. Without the
binaries the PostgreSQL variant is skipped, except under ``CI=true``, where it fails.

Each backend's archive is migrated once per session; each test runs inside a transaction that
is rolled back at its end, so tests see an empty archive and the writer's own transactions
become savepoints.
"""

from __future__ import annotations


import pytest

from cables.store import db
from conftest import setup_django

BACKENDS = ["sqlite", "postgresql"]

setup_django()


@pytest.fixture(scope="session")
def postgres_server(pg_server):
    """The session's PostgreSQL server (root conftest), with our connections closed at the end."""
    yield pg_server
    from django.db import connections

    for alias in list(connections.settings):
        if alias.startswith("store_postgresql"):
            connections[alias].close()


@pytest.fixture(scope="session")
def _archives() -> dict[str, str]:
    return {}


@pytest.fixture(scope="session", params=BACKENDS)
def archive(request, _archives, db_access, tmp_path_factory) -> str:
    """A migrated, session-wide archive on one backend: its Django alias."""
    backend = request.param
    if backend not in _archives:
        if backend == "sqlite":
            target = str(tmp_path_factory.mktemp("store-sqlite") / "cables.db")
        else:
            target = request.getfixturevalue("postgres_server").url
        alias = db.add_database(f"store_{backend}", target)
        with db_access():
            db.migrate(alias)
        _archives[backend] = alias
    return _archives[backend]


@pytest.fixture
def store(archive, db_access):
    """An empty archive for one test (rolled back afterwards): its alias."""
    from django.db import transaction

    with db_access(), transaction.atomic(using=archive):
        yield archive
        transaction.set_rollback(True, using=archive)
