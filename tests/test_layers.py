"""The layers import one way: the parser needs nothing above it, and what reads the archive
(store, search, web) never needs the parser or the ingest that feeds the store.

Read from the sources' import statements (no module is imported), so a lazy import inside a
function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "cables"

# layer → the packages of cables it must never import
FORBIDDEN = {
    "parse": {"ingest", "store", "search", "web", "cli", "sources"},
    "store": {"parse", "ingest", "search", "web", "cli"},
    "search": {"parse", "ingest", "web", "cli"},
    "web": {"parse", "ingest", "cli"},
    "api": {"parse", "ingest", "cli"},
    "export": {"parse", "ingest", "sources", "web", "api", "cli"},
}


def _imported_packages(path: Path, layer: str) -> set[str]:
    """The first-level packages of ``cables`` a module imports (``..parse.tags`` → ``parse``)."""
    depth = len(path.relative_to(PACKAGE).parts) - 1  # folders between cables/ and the module
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] == "cables" and len(parts) > 1:
                    found.add(parts[1])
            elif node.level == depth + 1 and node.module:  # relative to cables/
                found.add(node.module.split(".")[0])
            elif node.level == depth + 1:
                found.update(alias.name for alias in node.names)
            elif node.level <= depth:  # inside the module's own layer
                found.add(layer)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "cables" and len(parts) > 1:
                    found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_below_it(layer):
    wrong = {}
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        bad = _imported_packages(path, layer) & FORBIDDEN[layer]
        if bad:
            wrong[str(path.relative_to(PACKAGE))] = sorted(bad)
    assert not wrong, f"{layer}/ imports what it must not: {wrong}"
