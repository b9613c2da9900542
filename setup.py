"""Build the parser's modules with mypyc when it can, and leave them plain Python when it cannot.

The parser is pure Python and its ``.py`` files stay the source of truth: mypyc compiles the same
files to C extension modules, which Python imports in place of the ``.py`` beside them. Compiled,
the parse is faster (what brings ``bench/parse.py`` under its target: README.md has the figures),
with records identical on the whole mirror.

``CABLES_NO_MYPYC=1`` builds without compiling. Without mypy, a C compiler or Python's headers the
build warns and installs the plain modules. Either way any compiled module left by an earlier build
is removed from the sources, so that it cannot shadow the ``.py`` it was built from.
"""

from __future__ import annotations

import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import CCompilerError, ExecError, PlatformError

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
PARSE = SRC / "cables" / "parse"
# memo's closure and warned's generic slots dataclass are what mypyc cannot compile; the package's
# __init__ stays plain so that `cables.parse.compiled()` can look at its modules.
INTERPRETED = {"__init__.py", "memo.py", "warned.py"}
COMPILED = sorted(p for p in PARSE.glob("*.py") if p.name not in INTERPRETED)
# The analysis ingest runs beside the parser (cables.words, store/fts_postgres.py) is not compiled:
# its time goes to dicts and strings that compiled code handles no faster (tried on 1,678 mirror
# cables: index_form 0.32 ms a cable either way, the tsvector literal 0.25 against 0.23).
# The shared library holding all the compiled code: cables_parse__mypyc, a top-level module as
# mypyc expects (it derives each module's __file__ from that library's folder).
GROUP = "cables_parse"
SHARED_LIBRARY = f"{GROUP}__mypyc"


def _say(message: str) -> None:
    print(f"cables setup.py: {message}", file=sys.stderr)


def remove_compiled() -> None:
    """Delete the compiled modules an earlier in-place (editable) build left in the sources, all
    of them: one of a module no longer compiled would shadow its source too."""
    removed = 0
    for suffix in EXTENSION_SUFFIXES:
        for path in [*PARSE.glob(f"*{suffix}"), *SRC.glob(f"{SHARED_LIBRARY}{suffix}")]:
            path.unlink()
            removed += 1
    if removed:
        _say(f"removed the {removed} compiled modules of an earlier build")


def compiled_extensions() -> list:
    """The mypyc extensions of the parser, or none (and a warning) when mypyc cannot make them."""
    if os.environ.get("CABLES_NO_MYPYC"):
        _say("CABLES_NO_MYPYC is set: the parser stays plain Python")
        return []
    try:
        from mypyc.build import mypycify

        return mypycify(
            ["--ignore-missing-imports", *(str(p.relative_to(HERE)) for p in COMPILED)],
            group_name=GROUP,
            opt_level="3",
        )
    except (Exception, SystemExit) as error:  # mypy reports a type error by exiting
        _say(f"mypyc could not compile the parser ({error!r}): it stays plain Python")
        return []


class BuildExtOrPlain(build_ext):
    """Build the compiled modules all together, or none of them: a compiler or header that is
    missing leaves a warning and the plain modules, not a failed install. After a build the
    in-place modules are touched, so they are newer than the sources they were built from (the
    staleness check of ``cables.parse`` compares the two)."""

    def run(self) -> None:
        in_place = self.inplace or getattr(self, "editable_mode", False)
        if in_place:
            remove_compiled()
        try:
            super().run()
        except (CCompilerError, ExecError, PlatformError) as error:
            _say(f"the C build failed ({error}): the parser stays plain Python")
            remove_compiled()
            self.extensions = []
            return
        if in_place:
            for ext in self.extensions:
                path = Path(self.get_ext_fullpath(ext.name))
                if path.exists():
                    path.touch()


# Only a build compiles (pip also runs this file for the package's metadata, twice).
BUILD_COMMANDS = {"build", "build_ext", "bdist_wheel", "editable_wheel", "develop", "install"}
BUILDING = not BUILD_COMMANDS.isdisjoint(sys.argv[1:])
extensions = compiled_extensions() if BUILDING else []
if BUILDING and not extensions:
    remove_compiled()
setup(ext_modules=extensions, cmdclass={"build_ext": BuildExtOrPlain})
