"""Load the reference tables a user points the tool at: routing indicators, known ids."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from ..ids import canonical_id


def load_routes(path: str | Path) -> dict[str, str]:
    """``route2name.csv`` (``RUEHC,SECSTATE WASHDC``) → {routing indicator: station name}."""
    table: dict[str, str] = {}
    with _open_text(path) as f:
        for row in csv.reader(f):
            if len(row) >= 2 and row[0].strip() and not row[0].startswith("#"):
                table[row[0].strip().upper()] = row[1].strip()
    return table


def load_known_ids(path: str | Path) -> frozenset[str]:
    """``cable2month.csv.gz`` (``06ASTANA38,4``) → the set of canonical known ids."""
    return frozenset(load_known_id_months(path))


def load_known_id_months(path: str | Path) -> dict[str, int | None]:
    """``cable2month.csv.gz`` (``06ASTANA38,4``) → {canonical known id: month 1–12, or None
    where the line gives none or an unreadable one}."""
    months: dict[str, int | None] = {}
    with _open_text(path) as f:
        for line in f:
            if not line.strip() or not line[0].isdigit():
                continue
            ref, _, month = line.partition(",")
            month = month.strip()
            months[canonical_id(ref)] = int(month) if month.isdigit() and 1 <= int(month) <= 12 else None
    return months


def _open_text(path: str | Path) -> io.TextIOBase:
    path = Path(path)
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")
