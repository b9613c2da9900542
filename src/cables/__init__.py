"""cables: the archive, reading room and toolkit for diplomatic cables."""

from .parse import EMPTY_CONTEXT, ParseContext, ParseError, parse, parse_one
from .record import Cable

__all__ = ["parse", "parse_one", "Cable", "ParseContext", "ParseError", "EMPTY_CONTEXT"]
__version__ = "0.1.0"
