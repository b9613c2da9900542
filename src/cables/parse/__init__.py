"""Text in, :class:`~cables.record.Cable` out. Pure: no Django, no network, no files.

``parse(data)`` accepts any input shape (site page of any generation, plain cable text, a page
quoting a cable, a cables.csv row), as ``str`` or ``bytes``, and returns the cables it finds.
Odd input gives warnings on the record; only input that holds no readable cable raises
:class:`ParseError` (feedparser's "bozo" habit, not exceptions for every flaw).
"""

from __future__ import annotations

from .assemble import parse, parse_one
from .context import EMPTY_CONTEXT, ParseContext
from .errors import ParseError

__all__ = ["parse", "parse_one", "ParseContext", "ParseError", "EMPTY_CONTEXT"]
