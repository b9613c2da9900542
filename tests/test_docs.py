"""Every command and every query filter is documented in the README (a test fails otherwise).

The filters' documentation is their registry (:mod:`cables.search.filters`): the README's table,
``cables search --help`` and the search page all show what the registry holds, and these tests
fail when one of them says something else.
"""

from __future__ import annotations

import re
from pathlib import Path

from cables.cli import build_parser
from cables.search.filters import REGISTRY

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_subcommand_is_documented():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"cables {name}" not in README]
    assert not missing, f"undocumented commands: {missing}"


def test_the_readme_table_of_filters_is_the_registry():
    """One row per registered filter, in the registry's order, as the registry words it."""
    rows = [f"| {', '.join(f'`{e}`' for e in spec.written_examples)} | {spec.about} |"
            for spec in REGISTRY.values()]
    table = [line for line in README.splitlines() if re.match(r"\| `[a-z]+:", line)]
    assert table == rows


def test_every_filter_is_in_the_help_of_cables_search():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    text = " ".join(sub.choices["search"].format_help().split())
    missing = [name for name, spec in REGISTRY.items()
               if f"{', '.join(spec.written_examples)} {spec.about}" not in text]
    assert not missing, f"filters missing from `cables search --help`: {missing}"


def test_every_export_format_and_csv_column_is_documented():
    """The README names each format of ``cables export`` and has a row per CSV column, as the
    columns' registry words it."""
    from cables.export import FORMATS
    from cables.export.records import COLUMNS

    missing = [name for name in FORMATS if f"`{name}`" not in README]
    assert not missing, f"undocumented export formats: {missing}"
    rows = [f"| `{column.name}` | {column.about} |" for column in COLUMNS]
    table = [line for line in README.splitlines() if line in rows]
    assert table == rows
