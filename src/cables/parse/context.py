"""Reference tables the parser is given: routing indicators and the universe of known ids.

They are inputs a user points the tool at (``sources.tables`` loads them from files); the parser
never reads files itself. Without them everything works, less enriched: routes stay undecoded and
REF citations resolve by the citing cable's year alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParseContext:
    routes: Mapping[str, str] = field(default_factory=dict)
    """Routing indicator → station name (``RUEHC`` → ``SECSTATE WASHDC``)."""
    known_ids: Set[str] = frozenset()
    """Canonical reference ids known to exist (released or not)."""


EMPTY_CONTEXT = ParseContext()
