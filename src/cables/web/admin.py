"""Django's admin autodiscovery imports this module: the moderation queue lives in
:mod:`.discussion.admin`."""

from .discussion import admin  # noqa: F401
