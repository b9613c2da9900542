"""The one error of the search layer, in a module of its own so that the grammar (:mod:`.query`)
and the filters it checks values with (:mod:`.filters`) can both raise it without importing
each other."""

from __future__ import annotations


class QueryError(ValueError):
    """A query the grammar does not accept; ``str()`` is a message for the person who typed it."""

    def __init__(self, message: str, position: int | None = None):
        self.message = message
        self.position = position
        super().__init__(message if position is None else f"{message} (at character {position + 1})")
