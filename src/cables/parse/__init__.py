"""Text in, :class:`~cables.record.Cable` out. Pure: no Django, no network, no files.

``parse(data)`` accepts any input shape (site page of any generation, plain cable text, a page
quoting a cable, a cables.csv row), as ``str`` or ``bytes``, and returns the cables it finds.
Odd input gives warnings on the record; only input that holds no readable cable raises
:class:`ParseError` (feedparser's "bozo" habit, not exceptions for every flaw).

The modules are plain Python. An install with a C compiler compiles most of them with mypyc
(``setup.py``); Python then imports each compiled module in place of the ``.py`` beside it, so a
compiled module older than its source runs old code: importing the package warns of that.
"""

from __future__ import annotations

import os
import warnings
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from . import assemble
from .assemble import parse, parse_one
from .context import EMPTY_CONTEXT, ParseContext
from .errors import ParseError

__all__ = ["parse", "parse_one", "ParseContext", "ParseError", "EMPTY_CONTEXT", "compiled"]

# A wheel install writes a module's compiled file and its source a moment apart, in either order;
# an edit of the source comes later than that.
_INSTALL_SLACK_SECONDS = 2.0


def compiled() -> bool:
    """Whether the parser runs compiled by mypyc, or as plain Python (the same source either way).

    ``setup.py`` compiles all of its modules or none (except ``memo``, ``warned`` and this one)."""
    return not str(assemble.__file__).endswith(".py")


def stale_modules(folder: Path = Path(__file__).parent) -> list[str]:
    """The compiled modules of a folder (the package's) older than the ``.py`` beside them: built
    from an earlier source, they run in its place until the install builds them again."""
    stale = []
    for suffix in EXTENSION_SUFFIXES:
        for built in folder.glob(f"*{suffix}"):
            source = folder / (built.name.removesuffix(suffix) + ".py")
            if source.exists() and (os.stat(source).st_mtime
                                    > os.stat(built).st_mtime + _INSTALL_SLACK_SECONDS):
                stale.append(source.stem)
    return sorted(stale)


if _stale := stale_modules():
    warnings.warn("compiled parser modules older than their source run instead of it ("
                  + ", ".join(f"{name}.py" for name in _stale) + "): `make install` builds them "
                  "again (CABLES_NO_MYPYC=1 makes it install plain Python)", RuntimeWarning,
                  stacklevel=2)
