"""What is shown at once and what waits: the moderation rules, in one place.

- A commenter is known by their e-mail address (case-insensitive). Their comments wait for a
  moderator until one of them has been approved; from then on they appear at once.
- A commenter with a comment marked as spam is trusted no more: their comments wait again, even if
  an older one was approved (a stolen or shared address cannot be used to spam the site).
- Every TrackBack and Webmention ping waits: a ping carries no e-mail to build trust on.

The admin's actions (:mod:`.admin`) call :func:`approve` and :func:`mark_spam`, so that every
way of moderating stamps the same fields.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from .models import Comment, Mention, Status, normalise_email


def is_trusted(email: str) -> bool:
    statuses = set(Comment.objects.by(normalise_email(email)).exclude(status=Status.PENDING)
                   .values_list("status", flat=True).distinct())
    return Status.APPROVED in statuses and Status.SPAM not in statuses


def status_for_new_comment(email: str) -> str:
    return Status.APPROVED if is_trusted(email) else Status.PENDING


def approve(items: QuerySet) -> int:
    """Approve comments or mentions; returns how many changed."""
    return items.exclude(status=Status.APPROVED).update(status=Status.APPROVED,
                                                         moderated=timezone.now())


def mark_spam(items: QuerySet) -> int:
    return items.exclude(status=Status.SPAM).update(status=Status.SPAM, moderated=timezone.now())


def waiting() -> dict[str, int]:
    """What waits for a moderator: the queue's counts."""
    return {"comments": Comment.objects.pending().count(),
            "mentions": Mention.objects.pending().count()}
