"""Set Django up for the CLI, the bench and the tests, and bring a database's schema up to date.

``setup()`` is the one entry point: it configures Django from :mod:`cables.settings.common` with
the database from ``CABLES_DB`` (or the path/URL given) and calls ``django.setup()``. A process that
already configured Django (e.g. the web app with its own settings module) keeps its settings.
``add_database()`` adds a second alias at run time, so one process can hold a SQLite and a
PostgreSQL archive at once (the tests and the bench compare both).
"""

from __future__ import annotations

import os
from typing import Any

from ..settings.database import database_settings


def setup(db: str | os.PathLike | None = None) -> None:
    """Configure Django (once per process) with ``db`` or ``CABLES_DB`` as the default database."""
    import django
    from django.apps import apps
    from django.conf import settings

    if not settings.configured:
        from ..settings import common

        values: dict[str, Any] = {k: getattr(common, k) for k in dir(common) if k.isupper()}
        if db is not None:
            values["DATABASES"] = common.databases(db)
        settings.configure(**values)
    elif db is not None and _db_name(settings.DATABASES["default"]) != _db_name(database_settings(db)):
        raise RuntimeError(
            "Django is already set up with another default database; use add_database() for a "
            "second archive in the same process"
        )
    if not apps.ready:
        django.setup()


def add_database(alias: str, db: str | os.PathLike) -> str:
    """Make ``db`` reachable as ``using=alias`` (after :func:`setup`); returns the alias."""
    from django.conf import settings
    from django.db import connections

    entry = database_settings(db)
    if alias in connections.settings:
        if _db_name(connections.settings[alias]) == _db_name(entry):
            return alias
        connections[alias].close()
        del connections[alias]
    settings.DATABASES[alias] = entry
    configured = connections.configure_settings({"default": connections.settings["default"], alias: dict(entry)})
    connections.settings[alias] = configured[alias]
    return alias


def migrate(using: str = "default", verbosity: int = 0) -> None:
    """Apply the store's migrations (creating tables and full-text indexes) to ``using``."""
    from django.core.management import call_command

    call_command("migrate", database=using, verbosity=verbosity, interactive=False)


def vendor(using: str = "default") -> str:
    """``sqlite`` or ``postgresql``: which backend an alias runs on."""
    from django.db import connections

    return connections[using].vendor


def _db_name(entry: dict[str, Any]) -> tuple[str, str, str, str]:
    return (entry["ENGINE"], str(entry.get("NAME")), str(entry.get("HOST", "")), str(entry.get("PORT", "")))
