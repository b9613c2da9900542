"""REF citations: ``REF: A) ALMATY 1450, B) ASTANA 33`` → references resolved to ids."""

from __future__ import annotations

from collections.abc import Set

from ..record import Reference


def parse_references(
    body: str, cable_id: str, year: int | None, known_ids: Set[str] = frozenset()
) -> tuple[Reference, ...]:
    return ()
