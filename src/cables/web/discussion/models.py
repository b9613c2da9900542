"""What readers and other sites say about a cable: comments, pings (mentions), rate counters.

Everything is plain columns and ordinary indexes so that the same migration runs on SQLite and
PostgreSQL, but for the triggers that keep :class:`DiscussionState` (one statement per backend).
A comment's text is stored as typed (Markdown) and turned into HTML only when shown
(:mod:`.markdown`), so a stricter sanitiser applies at once to every old comment and a moderator's
edit can never store HTML. E-mail addresses are stored to recognise a returning commenter and are
never rendered on the public site.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone

# Size limits of every field a visitor fills (the forms enforce them and say so).
NAME_MAX = 80
EMAIL_MAX = 254
WEBSITE_MAX = 200
BODY_MAX = 5000
URL_MAX = 2000
TITLE_MAX = 200
EXCERPT_MAX = 1000
BLOG_NAME_MAX = 200


def normalise_email(email: str) -> str:
    """One form per address, so that ``Alice@Example.org`` is the same commenter as ``alice@example.org``."""
    return (email or "").strip().lower()


class Status(models.TextChoices):
    PENDING = "pending", "waiting for a moderator"
    APPROVED = "approved", "approved"
    SPAM = "spam", "spam"


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=Status.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status=Status.PENDING)

    def on(self, cable) -> CommentQuerySet:
        return self.filter(cable=cable)

    def by(self, email: str) -> CommentQuerySet:
        return self.filter(email=normalise_email(email))


class Comment(models.Model):
    """A reader's comment on a cable; ``parent`` makes it a reply (one level: parents are top-level).

    ``paragraph`` is the number of the cable paragraph it is about (shown as a link to ``#parN``).
    """

    cable = models.ForeignKey("store.Cable", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="replies")
    name = models.CharField(max_length=NAME_MAX)
    email = models.EmailField(max_length=EMAIL_MAX, help_text="Never shown on the site.")
    website = models.URLField(max_length=WEBSITE_MAX, blank=True, default="")
    body = models.TextField(max_length=BODY_MAX, help_text="Markdown: paragraphs, *emphasis*, "
                            "**strong**, [links](https://…), > quotes. HTML is shown as text.")
    paragraph = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    moderated = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            models.Index(fields=["cable", "status", "created"], name="web_comment_cable_status"),
            models.Index(fields=["email", "status"], name="web_comment_email_status"),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.cable_id}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_approved(self) -> bool:
        return self.status == Status.APPROVED


class MentionQuerySet(models.QuerySet):
    def approved(self) -> MentionQuerySet:
        return self.filter(status=Status.APPROVED)

    def pending(self) -> MentionQuerySet:
        return self.filter(status=Status.PENDING)


def url_key(url: str) -> str:
    """What makes two pings "the same URL": the URL as sent, without its fragment. Hashed so that
    a unique index holds whatever the length (PostgreSQL's btree rows are limited)."""
    return hashlib.sha256(url.split("#", 1)[0].strip().encode()).hexdigest()


class Mention(models.Model):
    """Another page that talks about a cable, as a TrackBack or Webmention ping announced it.

    One per (cable, source URL): a second ping for the same URL is ignored. ``verified`` says
    whether the source was seen to link to the cable (Webmention; ``None``: not checked, or a
    TrackBack, which has no such check).
    """

    TRACKBACK, WEBMENTION = "trackback", "webmention"
    KINDS = [(TRACKBACK, "TrackBack"), (WEBMENTION, "Webmention")]

    cable = models.ForeignKey("store.Cable", on_delete=models.CASCADE, related_name="mentions")
    kind = models.CharField(max_length=10, choices=KINDS)
    source_url = models.URLField(max_length=URL_MAX)
    source_key = models.CharField(max_length=64, editable=False)
    title = models.CharField(max_length=TITLE_MAX, blank=True, default="")
    excerpt = models.TextField(max_length=EXCERPT_MAX, blank=True, default="")
    blog_name = models.CharField(max_length=BLOG_NAME_MAX, blank=True, default="")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    verified = models.BooleanField(null=True, blank=True)
    verification = models.CharField(max_length=200, blank=True, default="",
                                    help_text="What the check of the source found.")
    client_address = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    moderated = models.DateTimeField(null=True, blank=True)

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cable", "source_key"], name="web_mention_once_per_url"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.source_url}"

    def save(self, *args, **kwargs):
        self.source_key = url_key(self.source_url)
        super().save(*args, **kwargs)


class RateCounter(models.Model):
    """How many posts one client (an address, an e-mail's hash) made in one fixed time window.

    Kept in the database, not in process memory, so that every gunicorn worker counts the same
    posts (see :mod:`.ratelimit`).
    """

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="web_ratecounter_window"),
        ]
        indexes = [models.Index(fields=["window_start"], name="web_ratecounter_start")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class DiscussionState(models.Model):
    """One row: a token that changes whenever what a page shows of the discussion may have
    changed, and when it did (see :func:`.queries.discussion_state`).

    The database keeps it, by triggers on the comment and mention tables (migration
    ``web.0004``), whatever makes the change: a post, a moderation (a queryset ``update()``,
    which sends no signal), the admin, a cascade, plain SQL. A page's key reads this one row
    instead of aggregating both tables on every request, which cost a scan of every comment.
    """

    id = models.SmallIntegerField(primary_key=True)
    token = models.CharField(max_length=32)
    changed = models.DateTimeField(null=True, blank=True)
