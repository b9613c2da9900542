"""The archive's generation gets the time it last changed: the API's ``Last-Modified``.

An archive written before this migration gets the migration's time, which is later than its last
write: a client's copy is at worst fetched again once, never kept too long.
"""

from django.db import migrations, models
from django.utils import timezone


def now_for_existing(apps, schema_editor):
    state = apps.get_model("store", "ArchiveState")
    state.objects.using(schema_editor.connection.alias).filter(changed__isnull=True).update(
        changed=timezone.now())


class Migration(migrations.Migration):

    dependencies = [
        ("store", "0006_vector_storage"),
    ]

    operations = [
        migrations.AddField(
            model_name="archivestate",
            name="changed",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(now_for_existing, migrations.RunPython.noop),
    ]
