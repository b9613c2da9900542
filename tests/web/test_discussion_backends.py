"""The discussion's tables and rules on both backends: a fresh archive on SQLite and on PostgreSQL,
migrated, then used by a separate process (as ``cables serve`` would) through the same functions the
views call: moderation, replies, counts, duplicate pings, long URLs, rate counters.

The cable is 06ASTANA38 as a bare row (its id, date and one paragraph): these tests are about the
discussion's storage, not the archive's.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import sys
from cables.store import db
db.setup(sys.argv[1])
db.migrate()
from django.conf import settings
from django.db import IntegrityError, connection, transaction
settings.CABLES_DISCUSSION_LIMITS = {"comment-address": [(2, 600)], "comment-email": [(100, 600)]}

from cables.store.models import Cable, Paragraph
from cables.web.discussion import moderation
from cables.web.discussion.forms import CommentForm
from cables.web.discussion.models import Comment, Mention, RateCounter
from cables.web.discussion.queries import comment_counts, discussion_of
from cables.web.discussion.ratelimit import RateLimited
from cables.web.discussion.views import submit

print("vendor", connection.vendor)
cable = Cable.objects.create(canonical_id="06ASTANA38", reference_id="06ASTANA38",
                             created="2006-04-24T03:36", subject="KAZAKHSTAN")
Paragraph.objects.create(cable=cable, position=0, number=1, text="SUMMARY: the Ambassador met")

def post(email, body, address="192.0.2.1", **extra):
    form = CommentForm({"name": "Reader", "email": email, "body": body, **extra}, cable=cable)
    assert form.is_valid(), form.errors
    return submit(form, cable, address)

first = post("Alice@Example.org", "first words")
print("first", first.status, first.email)
moderation.approve(Comment.objects.filter(pk=first.pk))
second = post("alice@example.org", "second words", parent=str(first.pk), paragraph="1")
print("second", second.status, second.parent_id == first.pk, second.paragraph)
try:
    post("bob@example.org", "one too many")
except RateLimited as exc:
    print("limited", str(exc).split(":")[0])
print("stored", Comment.objects.count(), "counters", RateCounter.objects.get(key__startswith="comment-address:").count)
print("counts", comment_counts(["06astana038"]), comment_counts([cable.pk]) == {cable.pk: 2})
d = discussion_of(cable)
print("threads", len(d.threads), len(d.threads[0].replies))

long_url = "https://blog.example/" + "é" * 1900
Mention.objects.create(cable=cable, kind="trackback", source_url=long_url)
try:
    with transaction.atomic():
        Mention.objects.create(cable=cable, kind="trackback", source_url=long_url + "#again")
    print("duplicate stored")
except IntegrityError:
    print("duplicate refused")
print("waiting", moderation.waiting())
"""


def test_the_discussion_on_each_backend(archive_url, tmp_path):
    script = tmp_path / "discussion_on_a_backend.py"
    script.write_text(SCRIPT)
    result = subprocess.run([sys.executable, str(script), archive_url], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    vendor = "postgresql" if "://" in archive_url else "sqlite"
    assert lines == [
        f"vendor {vendor}",
        "first pending alice@example.org",
        "second approved True 1",
        "limited Too many comments from your address",
        "stored 2 counters 2",   # the refused post was not counted
        "counts {'06ASTANA38': 2} True",
        "threads 1 1",
        "duplicate refused",
        "waiting {'comments': 0, 'mentions': 1}",
    ]
