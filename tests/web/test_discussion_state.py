"""The discussion's state (cables.web.discussion.models.DiscussionState): one row the database
keeps by triggers, the key of every kept page that shows comments. It must change for every
change a page may show, however the change is made (a moderator's queryset ``update()`` sends no
Django signal; an admin may delete with plain SQL), and for nothing a page does not show (a
comment waiting for a moderator), on both backends.

The cable is the blog page's 06ASTANA38, ingested into a new archive of each backend.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import pytest

from conftest import BLOG_PAGE, require

pytestmark = pytest.mark.corpus
ASTANA = "06ASTANA38"
_aliases = itertools.count(1)


@pytest.fixture
def archive(archive_url, db_access):
    """(alias, the 06ASTANA38 cable) of a new archive holding the blog page."""
    from django.db import connections

    from cables.store import db
    from cables.store.models import Cable

    done = subprocess.run([sys.executable, "-m", "cables", "ingest", str(require(BLOG_PAGE)),
                           "--db", archive_url], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with db_access():
        alias = db.add_database(f"discussion_state_{os.getpid()}_{next(_aliases)}", archive_url)
        yield alias, Cable.objects.using(alias).get(canonical_id=ASTANA)
        connections[alias].close()


def _state(alias: str):
    from cables.store import routing
    from cables.web.discussion.queries import discussion_state

    with routing.reading_from(alias):
        return discussion_state()


def test_every_change_a_page_shows_changes_the_state_and_nothing_else_does(archive):
    from django.db import connections

    from cables.web.discussion.models import Comment, Mention, Status
    from cables.web.discussion.moderation import approve, mark_spam

    alias, cable = archive
    comments, mentions = Comment.objects.using(alias), Mention.objects.using(alias)
    seen = [_state(alias)]

    def changed() -> bool:
        seen.append(_state(alias))
        return seen[-1][0] != seen[-2][0]

    waiting = comments.create(cable=cable, name="Reader", email="reader@example.org",
                              body="On the anti-trafficking law.")
    assert not changed(), "a comment waiting for a moderator shows nowhere"
    assert approve(comments.filter(pk=waiting.pk)) == 1     # a queryset update(): no signal
    assert changed()
    token, when = seen[-1]
    assert token and when is not None
    waiting.refresh_from_db(using=alias)
    waiting.body = "On the anti-trafficking law (edited)."
    waiting.save(using=alias)
    assert changed(), "an approved comment's text is shown"
    with connections[alias].cursor() as cursor:
        cursor.execute(f"DELETE FROM {Comment._meta.db_table} WHERE id = %s", [waiting.pk])
    assert changed(), "a deletion in plain SQL"

    ping = mentions.create(cable=cable, kind=Mention.TRACKBACK, source_url="https://blog.example/kz")
    assert not changed()
    assert mark_spam(mentions.filter(pk=ping.pk)) == 1
    assert changed(), "a moderation"
    shown = mentions.create(cable=cable, kind=Mention.WEBMENTION, source_url="https://blog.example/tip",
                            status=Status.APPROVED)
    assert changed()
    shown.delete()
    assert changed()
    assert len({token for token, _ in seen}) == len(seen) - 2   # no token came back


def test_a_removed_state_row_is_made_again_by_the_next_change(archive):
    from django.db import connections

    from cables.web.discussion.models import Comment, DiscussionState, Status

    alias, cable = archive
    with connections[alias].cursor() as cursor:
        cursor.execute(f"DELETE FROM {DiscussionState._meta.db_table}")
    assert _state(alias) == ("", None)
    Comment.objects.using(alias).create(cable=cable, name="Reader", email="reader@example.org",
                                        body="Shown at once.", status=Status.APPROVED)
    token, when = _state(alias)
    assert token and when is not None
