# The discussion's state in one row, kept by triggers (cables.web.discussion.models.DiscussionState)

import secrets

from django.db import migrations, models

TABLE = "web_discussionstate"
WATCHED = ("web_comment", "web_mention")   # what pages show of the discussion
SHOWN = "'approved'"                       # cables.web.discussion.models.Status.APPROVED

# When a row change may change a page: a row shown before or after, or a moderation.
CONDITIONS = {
    "INSERT": f"NEW.status = {SHOWN}",
    "DELETE": f"OLD.status = {SHOWN}",
    "UPDATE": (f"OLD.status = {SHOWN} OR NEW.status = {SHOWN} "
               "OR NEW.moderated IS DISTINCT FROM OLD.moderated"),
}

# A new random token (a counter could meet an old value again after a restore or a rolled-back
# transaction, and a page kept under it would be served), and the time, upserted: the row is
# made again if something removed it.
SQLITE_TOUCH = (f"INSERT INTO {TABLE} (id, token, changed) "
                "VALUES (1, lower(hex(randomblob(8))), strftime('%Y-%m-%d %H:%M:%f', 'now')) "
                "ON CONFLICT (id) DO UPDATE SET token = excluded.token, changed = excluded.changed;")
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION web_discussion_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (id, token, changed) VALUES (1, md5(random()::text || clock_timestamp()::text), now())
    ON CONFLICT (id) DO UPDATE SET token = excluded.token, changed = excluded.changed;
    RETURN NULL;
END $$;
"""


def _triggers(vendor: str) -> list[str]:
    statements = [POSTGRES_FUNCTION] if vendor == "postgresql" else []
    for table in WATCHED:
        for event, condition in CONDITIONS.items():
            name = f"{table}_{event.lower()}_shown"
            if vendor == "postgresql":
                statements.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW "
                                  f"WHEN ({condition}) EXECUTE FUNCTION web_discussion_touch();")
            else:
                sqlite_condition = condition.replace("IS DISTINCT FROM", "IS NOT")
                statements.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                                  f"WHEN {sqlite_condition} BEGIN {SQLITE_TOUCH} END;")
    return statements


def create(apps, schema_editor):
    from django.db.models import Max

    vendor = schema_editor.connection.vendor
    for statement in _triggers(vendor):
        schema_editor.execute(statement)
    # the state of an archive that already has a discussion: the latest time it shows
    times = []
    for name in ("Comment", "Mention"):
        model = apps.get_model("web", name)
        found = model.objects.using(schema_editor.connection.alias).aggregate(
            shown=Max("created", filter=models.Q(status="approved")), moderated=Max("moderated"))
        times.extend(t for t in found.values() if t is not None)
    state = apps.get_model("web", "DiscussionState")
    state.objects.using(schema_editor.connection.alias).update_or_create(
        id=1, defaults={"token": secrets.token_hex(8), "changed": max(times) if times else None})


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in WATCHED:
        for event in CONDITIONS:
            on = f" ON {table}" if vendor == "postgresql" else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{event.lower()}_shown{on};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS web_discussion_touch();")


class Migration(migrations.Migration):

    dependencies = [
        ('web', '0003_carried_generation'),
    ]

    operations = [
        migrations.CreateModel(
            name='DiscussionState',
            fields=[
                ('id', models.SmallIntegerField(primary_key=True, serialize=False)),
                ('token', models.CharField(max_length=32)),
                ('changed', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
