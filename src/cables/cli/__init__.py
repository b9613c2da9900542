"""The ``cables`` command: one module per subcommand, each a thin shell over a library call."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import (archive_cmds, export_cmd, ingest_cmd, moderator_cmd, parse_cmd, reindex_cmd, render_cmd,
               search_cmd, serve_cmd)

COMMANDS = [parse_cmd, ingest_cmd, archive_cmds, reindex_cmd, search_cmd, export_cmd, serve_cmd,
            render_cmd, moderator_cmd]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cables",
        description="The archive, reading room and toolkit for diplomatic cables.",
    )
    from .. import __version__
    from ..parse import compiled

    build = "compiled by mypyc" if compiled() else "plain Python"
    parser.add_argument("--version", action="version",
                        version=f"cables {__version__} (parser: {build})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
