"""A reader's value and the warnings it leaves on the record.

The field readers are pure functions of the body and return values, not the record; a reader that
can meet text it cannot read returns :class:`Warned` instead, and :mod:`.assemble` puts its
warnings on ``Cable.warnings`` (feedparser's ``bozo``: what was recovered, and what was not).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Warned(Generic[T]):
    """``value`` as read, and what could not be read (one sentence each, naming the problem)."""

    value: T
    warnings: tuple[str, ...] = ()
