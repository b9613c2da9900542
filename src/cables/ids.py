"""Reference ids and station names: the one canonicalizer.

Every layer that compares, stores or links ids goes through :func:`canonical_id`, so that
``06astana38``, ``06ASTANA038`` and ``08ECTION01OF02MANAMA492``-style garbage meet at one key.
"""

from __future__ import annotations

import re

_ID = re.compile(r"^(\d{2})([A-Z]+?)(\d+)$")


def canonical_id(reference_id: str) -> str:
    """Corrected form of a reference id (placeholder: upper-cased, leading zeros dropped)."""
    ref = re.sub(r"[^A-Z0-9]", "", reference_id.upper())
    m = _ID.match(ref)
    if not m:
        return ref
    return f"{m.group(1)}{m.group(2)}{int(m.group(3))}"


def make_id(year: int, station: str, number: int | str) -> str:
    """``(2006, "ALMATY", "1450")`` → ``06ALMATY1450``."""
    return canonical_id(f"{year % 100:02d}{station}{int(number)}")
