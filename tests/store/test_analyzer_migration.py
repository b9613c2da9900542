"""An archive made before the one analyzer (migration 0005) keeps working once migrated: its
index is made again from its records, with the analyzer's terms, on both backends."""

from __future__ import annotations

from conftest import cable
from django.core.management import call_command
from django.db import connections

from cables.store import db, fts, fts_postgres, writer
from cables.store.models import Cable


def _found(alias: str, text: str) -> list[str]:
    ids = fts.matching_cable_ids(connections[alias], text)
    return sorted(Cable.objects.using(alias).filter(id__in=ids).values_list("canonical_id", flat=True))


def _analyzers_index(alias: str) -> bool:
    """Does the index hold the analyzer's terms (after 0005), not the engine's own analysis?"""
    with connections[alias].cursor() as c:
        if connections[alias].vendor == "sqlite":
            c.execute("SELECT sql FROM sqlite_master WHERE name = 'store_cable_fts'")
            return "porter" not in c.fetchone()[0]
        record = cable("06ASTANA38")  # english counted stop words' places: the vectors differ
        c.execute("SELECT search = %s::tsvector FROM store_cable WHERE canonical_id = '06ASTANA38'",
                  fts_postgres.index_values(record.subject, record.body))
        return c.fetchone()[0]


def test_an_archive_of_the_engines_analysis_is_migrated(archive_url, db_access):
    alias = db.add_database(f"migrated_{abs(hash(archive_url))}", archive_url)
    with db_access():
        db.migrate(alias)
        writer.store_batch([("a", cable("06ASTANA38")), ("b", cable("06BOGOTA3049"))], using=alias)
        call_command("migrate", "store", "0004", database=alias, verbosity=0)  # as before
        assert not _analyzers_index(alias)
        call_command("migrate", database=alias, verbosity=0)                   # `cables` does this
        assert _analyzers_index(alias)
        assert _found(alias, "Baliyeva") == ["06ASTANA38"]
        assert _found(alias, "minister's") == ["06ASTANA38"]
        assert _found(alias, '"minister of justice"') == ["06ASTANA38"]
        assert _found(alias, "concessions") == ["06BOGOTA3049"]
        connections[alias].close()
