"""Every command and every query filter is documented in the README (a test fails otherwise)."""

from __future__ import annotations

from pathlib import Path

from cables.cli import build_parser
from cables.search.query import FILTERS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_subcommand_is_documented():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"cables {name}" not in README]
    assert not missing, f"undocumented commands: {missing}"


def test_every_filter_is_documented():
    missing = [name for name in FILTERS if f"`{name}:" not in README]
    assert not missing, f"undocumented filters: {missing}"
