"""The transmission header: VZCZC id, precedence, date-time group, FM/TO/INFO with routes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..record import Addressee

_BODY_START = re.compile(
    r"^[ \t]*(?:UNCLAS\b|UNCLASSIFIED\b|C O N F I D E N T I A L\b|S E C R E T\b|CONFIDENTIAL\b|"
    r"SECRET\b|LIMITED OFFICIAL USE\b|L I M I T E D\b|BT\s*$)",
    re.M,
)


def split_header_body(text: str) -> tuple[str, str]:
    """Cut plain cable text where the header ends and the body (classification line) begins."""
    m = _BODY_START.search(text)
    if not m:
        return "", text
    return text[: m.start()], text[m.start() :]


@dataclass(frozen=True)
class Header:
    transmission_id: str | None = None
    precedence: str | None = None
    dtg: str | None = None
    from_: Addressee | None = None
    to: tuple[Addressee, ...] = ()
    info: tuple[Addressee, ...] = ()
    warnings: tuple[str, ...] = ()


def parse_header(text: str, routes: Mapping[str, str]) -> Header:
    """Read the header lines; placeholder to be completed."""
    return Header()


def origin_from_station(name: str) -> str | None:
    """The metadata's origin for a FM station (placeholder: as written)."""
    return name or None
