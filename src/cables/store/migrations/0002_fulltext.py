"""Full-text indexes, per backend: FTS5 tables and triggers on SQLite, tsvectors + GIN on PostgreSQL."""

from django.db import migrations

from cables.store import fts


def install(apps, schema_editor):
    fts.install(schema_editor)


def uninstall(apps, schema_editor):
    fts.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("store", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
