"""What the pages show of the discussion: counts, latest comments, one cable's threads.

Only approved comments and mentions leave this module; e-mail addresses never do (the
querysets here defer them, so a template cannot show one by mistake).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, Q

from ...ids import canonical_id
from ...store.generation import as_time
from ...store.models import Cable
from ...store.routing import read_alias
from .models import Comment, DiscussionState, Mention, Status

PUBLIC_COMMENT_FIELDS = ("id", "cable_id", "parent_id", "name", "website", "body", "paragraph",
                         "status", "created")


def public_comments():
    """Approved comments whose thread is shown too (a reply to a hidden comment is hidden with it)."""
    return (Comment.objects.approved()
            .filter(Q(parent__isnull=True) | Q(parent__status=Status.APPROVED))
            .only(*PUBLIC_COMMENT_FIELDS))


MAX_REF = 64  # longer than any way of writing a reference id


def find_cable(reference) -> Cable | None:
    """The store row for a cable given as a row, a parsed record, a search hit or an id."""
    if isinstance(reference, Cable):
        return reference
    ref = getattr(reference, "canonical_id", None) or getattr(reference, "reference_id", None) or reference
    if not isinstance(ref, str) or not ref.strip() or len(ref) > MAX_REF:
        return None
    return Cable.objects.by_ref(ref).only("id", "canonical_id", "created", "subject").first()


def _key(item) -> int | str:
    if isinstance(item, int):
        return item
    if isinstance(item, str):
        return canonical_id(item)
    if isinstance(item, Cable):
        return item.canonical_id
    return canonical_id(getattr(item, "canonical_id", None) or item.reference_id)


def comment_counts(cable_ids: Iterable) -> dict:
    """Approved comments (replies included) per cable, in one query: ``{key: count}``.

    Keys are what was given: cable primary keys (ints) or reference ids (strings, any written
    form, keyed by their canonical form); rows, records and search hits count by canonical id.
    Cables without comments are absent (use ``.get(key, 0)``).
    """
    keys = {_key(item) for item in cable_ids}
    pks = {k for k in keys if isinstance(k, int)}
    ids = {k for k in keys if isinstance(k, str)}
    counts: dict = {}
    if pks:
        rows = (public_comments().filter(cable_id__in=pks).values_list("cable_id")
                .annotate(n=Count("id")).order_by())
        counts.update(rows)
    if ids:
        rows = (public_comments().filter(cable__canonical_id__in=ids)
                .values_list("cable__canonical_id").annotate(n=Count("id")).order_by())
        counts.update(rows)
    return counts


def latest_comments(limit: int = 5) -> list[Comment]:
    """The newest approved comments of the whole site, with their cables."""
    return list(public_comments().select_related("cable").only(
        *PUBLIC_COMMENT_FIELDS, "cable__canonical_id", "cable__created", "cable__subject")
        .order_by("-created", "-id")[:limit])


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


@dataclass
class Discussion:
    threads: list[Thread]
    mentions: list[Mention]

    @property
    def count(self) -> int:
        return sum(1 + len(t.replies) for t in self.threads)


def discussion_of(cable: Cable) -> Discussion:
    """A cable's approved comments as threads (oldest first) and its approved mentions.

    Most cables have neither: one plain query says so first, for a tenth of what building the
    two querysets costs (a first visit's page is counted in milliseconds of CPU)."""
    if not _has_discussion(cable.pk):
        return Discussion([], [])
    threads: dict[int, Thread] = {}
    replies: list[Comment] = []
    for comment in public_comments().filter(cable=cable).order_by("created", "id"):
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment)
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in threads:     # a reply to a hidden comment is hidden with it
            threads[reply.parent_id].replies.append(reply)
    mentions = list(Mention.objects.approved().filter(cable=cable).order_by("created", "id"))
    return Discussion(list(threads.values()), mentions)


def _has_discussion(cable_pk: int) -> bool:
    approved = Status.APPROVED.value
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {Comment._meta.db_table} WHERE cable_id = %s "
                       f"AND status = %s) OR EXISTS (SELECT 1 FROM {Mention._meta.db_table} "
                       "WHERE cable_id = %s AND status = %s)", [cable_pk, approved, cable_pk, approved])
        return bool(cursor.fetchone()[0])


def visible_comment(cable: Cable, pk) -> Comment | None:
    try:
        return public_comments().filter(cable=cable, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def discussion_generation() -> str:
    """A token that changes whenever what any page shows of the discussion may have changed.

    Pages show approved comments and mentions only, so the token changes when one is added,
    changed or deleted, or a comment or mention is moderated (approving, marking as spam and
    editing all set ``moderated``). A comment that waits for a moderator changes nothing shown,
    and keeps every kept page. Pages that show comments or their counts are cached under it
    (:mod:`cables.web.pagecache`). The database keeps it (:class:`.models.DiscussionState`).
    """
    return discussion_state()[0]


# One row, so one query whatever the number of comments; also read together with the archive's
# generation (:func:`cables.store.generation.state_with`).
STATE_SELECT = (f"SELECT (SELECT token FROM {DiscussionState._meta.db_table} WHERE id = 1), "
                f"(SELECT changed FROM {DiscussionState._meta.db_table} WHERE id = 1)")


def discussion_state() -> tuple[str, dt.datetime | None]:
    """:func:`discussion_generation`'s token, and when it last changed: what an HTTP
    ``Last-Modified`` of an answer counting comments is."""
    with connections[read_alias()].cursor() as cursor:  # where this request reads comments
        cursor.execute(STATE_SELECT)
        return state_of(cursor.fetchone())


def state_of(row: tuple) -> tuple[str, dt.datetime | None]:
    """The token and time of :data:`STATE_SELECT`'s row."""
    token, changed = row
    return token or "", as_time(changed)
