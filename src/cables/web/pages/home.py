"""The home page and the about pages as data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...store.models import Cable
from .base import PageContext


@dataclass(frozen=True, slots=True)
class HomePage(PageContext):
    """How many cables the archive holds, the latest releases (newest first) and the latest
    cables by date."""

    total: int
    releases: list[dict[str, Any]]
    latest: list[Cable]


@dataclass(frozen=True, slots=True)
class AboutClassificationPage(PageContext):
    """What the markings mean: each level with the archive's count, the levels the archive holds
    and the page does not explain (``others``), handling words, paragraph markings, E.O. reasons."""

    levels: list[dict[str, Any]]
    others: list[dict[str, Any]]
    total: int
    handling: tuple
    markings: list[dict[str, Any]]
    reasons: tuple
