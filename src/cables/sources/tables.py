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
    with _open_text(path) as f:
        return frozenset(
            canonical_id(line.split(",", 1)[0]) for line in f if line.strip() and line[0].isdigit()
        )


def _open_text(path: str | Path) -> io.TextIOBase:
    path = Path(path)
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")
