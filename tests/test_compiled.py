"""The parser compiled by mypyc (setup.py) runs the source as written.

The install compiles the parser's modules when it can, and Python imports a compiled module in
place of its ``.py``: these tests say which of the two runs, that a compiled module older than its
source is caught, and that the compiled parser gives the records the plain source gives, on real
pages of each kind.
"""

from __future__ import annotations

import importlib
import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from cables import __version__, parse
from cables.cli import main
from cables.parse import compiled, stale_modules

from conftest import (BUILD_TARS, FORMAT_TARS, IN_CI, KNOWN_IDS_CSV, MIRROR_TAR, ROUTES_CSV,
                      full_context, page_path, require, unpack)

PARSE = Path(importlib.import_module("cables.parse").__file__).parent
PLAIN_ALWAYS = {"__init__", "memo", "warned"}  # what setup.py leaves uncompiled

# Pages whose shape is rare: each goes through a path of the parser few pages take.
HARD_PAGES = [
    "04BOGOTA11339",  # a partial extract whose body is a tab-separated dump row
    "07BERN881",  # a corrupted page: its own row and other cables' rows
    "07MOSCOW1537",  # a REF block cut short, without a full copy
    "09BERLIN1167",  # cited by many: REF mentions and uses
    "79TEHRAN8980",  # a 1979 cable
    "05SOFIA1207",  # a mixed-case topic in TAGS
    "09BUENOSAIRES295",  # a "Classified by" signer cut after an initial
]


def test_the_version_says_how_the_parser_runs(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    build = "compiled by mypyc" if compiled() else "plain Python"
    assert capsys.readouterr().out.strip() == f"cables {__version__} (parser: {build})"


def test_the_parser_is_compiled_whole_or_not_at_all():
    names = {p.stem for p in PARSE.glob("*.py")}
    built = {name for name in names
             if not str(importlib.import_module(f"cables.parse.{name}").__file__).endswith(".py")}
    assert built == (names - PLAIN_ALWAYS if compiled() else set())


@pytest.mark.skipif(not IN_CI or bool(os.environ.get("CABLES_NO_MYPYC")),
                    reason="CI has a C compiler: there the install must have compiled the parser")
def test_ci_runs_the_compiled_parser():
    assert compiled(), "the install fell back to plain Python: see setup.py's warning in its log"


def test_no_compiled_module_is_older_than_its_source():
    assert stale_modules() == [], "make install (or pip install -e .) builds them again"


def test_a_compiled_module_older_than_its_source_is_stale(tmp_path):
    suffix = EXTENSION_SUFFIXES[0]
    for name, source_age, built_age in [("edited", 100, 200), ("fresh", 200, 100),
                                        ("same_install", 100, 101)]:
        (tmp_path / f"{name}.py").write_text("")
        (tmp_path / f"{name}{suffix}").write_bytes(b"")
        os.utime(tmp_path / f"{name}.py", (0, 1_000_000 - source_age))
        os.utime(tmp_path / f"{name}{suffix}", (0, 1_000_000 - built_age))
    (tmp_path / f"cables_parse__mypyc{suffix}").write_bytes(b"")  # a library without source
    assert stale_modules(tmp_path) == ["edited"]


def _sample_pages() -> list[tuple[str, bytes]]:
    """The hard pages, every 500th page of the mirror, and the first two of each other archive."""
    pages = [(ref, page_path(ref).read_bytes()) for ref in HARD_PAGES]
    mirror = sorted(unpack(MIRROR_TAR).rglob("*.html"))
    pages += [(p.name, p.read_bytes()) for p in mirror[::500]]
    for tar in [*FORMAT_TARS, *BUILD_TARS]:
        pages += [(p.name, p.read_bytes()) for p in sorted(unpack(tar).rglob("*.html"))[:2]]
    return pages


@pytest.mark.corpus
def test_compiled_and_plain_parsers_give_the_same_records(plain_module):
    assert str(plain_module("parse.assemble").__file__).endswith(".py")
    plain_parse = plain_module("parse").parse
    plain_context = plain_module("cli.tables").load_context(require(ROUTES_CSV),
                                                            require(KNOWN_IDS_CSV))
    pages = _sample_pages()
    assert len(pages) > 20
    for name, data in pages:
        got = [c.dumps() for c in parse(data, source=name, context=full_context())]
        assert got == [c.dumps() for c in plain_parse(data, source=name, context=plain_context)], name
