"""CABLES_DB → Django database settings, and the layers Django must stay out of."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cables.settings.database import database_settings

# (CABLES_DB, expected engine, expected name, host, port, user)
TARGETS = [
    ("cables.db", "sqlite3", str(Path("cables.db").resolve()), None, None, None),
    ("/srv/archive/cables.sqlite", "sqlite3", "/srv/archive/cables.sqlite", None, None, None),
    ("postgresql://cables@127.0.0.1:5433/archive", "postgresql", "archive", "127.0.0.1", "5433",
     "cables"),
    ("postgres://u:p%40ss@db.example/cables?sslmode=require", "postgresql", "cables",
     "db.example", "", "u"),
]


@pytest.mark.parametrize("target, engine, name, host, port, user", TARGETS)
def test_cables_db_picks_the_backend(target, engine, name, host, port, user):
    entry = database_settings(target)
    assert entry["ENGINE"] == f"django.db.backends.{engine}"
    assert entry["NAME"] == name
    if engine == "sqlite3":
        assert "journal_mode=WAL" in entry["OPTIONS"]["init_command"]
        assert entry["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    else:
        assert (entry["HOST"], entry["PORT"], entry["USER"]) == (host, port, user)


def test_postgres_url_options_and_password_are_decoded():
    entry = database_settings("postgres://u:p%40ss@db.example/cables?sslmode=require")
    assert entry["PASSWORD"] == "p@ss" and entry["OPTIONS"] == {"sslmode": "require"}


def test_other_urls_are_refused():
    with pytest.raises(ValueError):
        database_settings("mysql://root@localhost/cables")


def test_the_parser_never_imports_django():
    code = ("import sys, cables, cables.parse, cables.ids, cables.store.versions; "
            "sys.exit('django' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.parametrize("value, backend", [
    (None, "django.core.cache.backends.locmem.LocMemCache"),
    ("memory", "django.core.cache.backends.locmem.LocMemCache"),
    ("off", "django.core.cache.backends.dummy.DummyCache"),
    ("~/pages", "cables.web.cache_backend.PageCache"),
])
def test_cables_cache_picks_where_pages_are_kept(value, backend):
    from cables.settings.common import cache_settings

    entry = cache_settings(value)["default"]
    assert entry["BACKEND"] == backend
    if value == "~/pages":  # a folder: absolute, every worker finds the same one
        assert entry["LOCATION"] == str(Path("~/pages").expanduser())
        assert entry["TIMEOUT"] is None and entry["OPTIONS"]["size_limit"] > 0


@pytest.mark.parametrize("text, size", [(None, 2 * 1024**3), ("8G", 8 * 1024**3), ("500M", 500 * 1024**2),
                                        ("1.5GiB", int(1.5 * 1024**3)), ("2097152", 2 * 1024**2)])
def test_cables_cache_size(text, size):
    from cables.settings.common import cache_settings, cache_size

    assert cache_size(text) == size
    assert cache_settings("/srv/pages", text)["default"]["OPTIONS"]["size_limit"] == size


@pytest.mark.parametrize("text", ["lots", "12", "-3G", "G", "0"])
def test_a_cache_size_that_is_no_size_is_refused(text):
    from cables.settings.common import cache_size

    with pytest.raises(ValueError, match="CABLES_CACHE_SIZE"):
        cache_size(text)


@pytest.mark.parametrize("text, size", [(None, 32 * 1024**2), ("256M", 256 * 1024**2), ("0", 0),
                                        ("1G", 1024**3)])
def test_cables_cache_memory_sizes_each_workers_recent_answers(text, size):
    from cables.settings.common import cache_memory, cache_settings

    assert cache_memory(text) == size
    assert cache_settings("/srv/pages", None, text)["default"]["RECENT_BYTES"] == size


@pytest.mark.parametrize("text", ["lots", "12", "-1M"])
def test_a_cache_memory_that_is_no_size_is_refused(text):
    from cables.settings.common import cache_memory

    with pytest.raises(ValueError, match="CABLES_CACHE_MEMORY.*or 0"):
        cache_memory(text)


# --- a streaming replica (CABLES_DB_REPLICA) -------------------------------------------------------

def test_a_replica_is_an_alias_holding_the_primarys_data():
    from cables.settings.database import replica_settings

    primary = database_settings("postgresql://cables@127.0.0.1:5433/archive")
    replica = replica_settings("postgresql://cables@127.0.0.1:5434/archive", primary)
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("127.0.0.1", "5434", "archive")
    assert replica["TEST"] == {"MIRROR": "default"}       # read as default's data (search index)
    assert replica["OPTIONS"]["connect_timeout"] == "2"   # a vanished replica holds no page long
    assert replica["CONN_HEALTH_CHECKS"] and primary["CONN_HEALTH_CHECKS"]


@pytest.mark.parametrize("primary, replica", [
    ("cables.db", "postgresql://cables@127.0.0.1:5434/archive"),
    ("postgresql://cables@127.0.0.1:5433/archive", "replica.db"),
])
def test_a_replica_needs_postgresql_on_both_sides(primary, replica):
    from cables.settings.database import replica_settings

    with pytest.raises(ValueError, match="CABLES_DB_REPLICA"):
        replica_settings(replica, database_settings(primary))


def test_a_url_through_pgbouncer_can_turn_named_cursors_off():
    entry = database_settings("postgresql://cables@127.0.0.1:6432/cables"
                              "?disable_server_side_cursors=true&sslmode=disable")
    assert entry["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert entry["OPTIONS"] == {"sslmode": "disable"}     # not handed to libpq
    assert database_settings("postgresql://cables@h/c")["DISABLE_SERVER_SIDE_CURSORS"] is False


def test_cables_db_replica_adds_the_alias_and_the_router_and_nothing_without_it():
    code = ("from cables.settings import common; "
            "print(sorted(common.DATABASES), common.DATABASE_ROUTERS)")
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("CABLES_DB")}
    plain = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**env, "CABLES_DB": "postgresql://cables@127.0.0.1:5433/a"})
    assert plain.stdout.strip() == "['default'] []"
    both = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**env, "CABLES_DB": "postgresql://cables@127.0.0.1:5433/a",
                               "CABLES_DB_REPLICA": "postgresql://cables@127.0.0.1:5434/a"})
    assert both.stdout.strip() == ("['default', 'replica'] "
                                   "['cables.store.routing.PrimaryReplicaRouter']"), both.stderr
