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
    assert found.listening_port() == pg_server.port
