"""The reading room's own tables. Django looks for an app's models here; they live, with the rest of
the discussion, in :mod:`.discussion.models`."""

from .discussion.models import Comment, Mention, RateCounter  # noqa: F401
