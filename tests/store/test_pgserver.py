"""The local PostgreSQL server of a folder (cables.store.pgserver), as the bench reuses one."""

from __future__ import annotations

from cables.store.pgserver import LocalPostgres


def test_a_running_server_is_found_by_its_folder(pg_server):
    """bench/web.py reaches an archive's server that another process started by its folder
    alone: the port is the one the server listens on, and a stopped server has none."""
    found = LocalPostgres(pg_server.folder)
    assert found.listening_port() == pg_server.port
    pg_server.halt("fast")
    try:
        assert found.listening_port() is None
    finally:
        pg_server.start()
        _forget_connections_it_cut()
    assert found.listening_port() == pg_server.port


def _forget_connections_it_cut() -> None:
    """The halt cut this process's connections to the session's server (the mirror archive's,
    shared by other modules: tests/store/test_browse_order.py opens it before this module and
    tests/test_differential.py uses it after): closed, so the next query connects again."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.vendor == "postgresql":
            connection.close()
