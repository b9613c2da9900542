"""Walk what a user points at and yield raw documents: bytes and a name, nothing parsed.

A path may be a directory (a site mirror at any depth, or text files), a tar archive (.tar,
.tar.gz, .tgz, .tar.xz, .tar.bz2; read straight from the archive, nothing unpacked to disk), a
cables.csv dump (streamed row by row), a JSONL export of records already parsed (``cables export``:
see :mod:`.records`; streamed line by line), or a single page or text file.
"""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .csvdump import is_csv_dump, iter_csv_dump_rows
from .records import is_record_lines, iter_record_lines

PAGE_SUFFIXES = {".html", ".htm", ".txt", ".text", ".csv", ""}
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2")


PAGE, RECORD = "page", "record"


@dataclass(frozen=True, slots=True)
class Document:
    """One raw input: where it came from and its bytes (or text, for dump rows and records).

    ``kind``: ``page`` for what the parser reads (a page, a text, a dump row: it finds the shape),
    ``record`` for a line of a JSONL export, a record parsed already (see :mod:`.records`)."""

    name: str
    data: bytes | str
    kind: str = PAGE


class SourceError(OSError):
    """A source that cannot be read at all (missing, unreadable archive)."""


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(TAR_SUFFIXES)


def iter_documents(path: str | Path) -> Iterator[Document]:
    """Every document under ``path``, in a stable order."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: no such file or directory")
    if path.is_dir():
        yield from _iter_directory(path)
    elif is_archive(path):
        yield from _iter_archive(path)
    elif is_csv_dump(path):
        for n, row in iter_csv_dump_rows(path):
            yield Document(f"{path}#row{n}", row)
    elif is_record_lines(path):
        for n, line in iter_record_lines(path):
            yield Document(f"{path}#line{n}", line, RECORD)
    else:
        yield Document(str(path), path.read_bytes())


def _wanted(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    if base.startswith("."):
        return False
    suffix = "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""
    return suffix in PAGE_SUFFIXES


def _iter_directory(root: Path) -> Iterator[Document]:
    for p in sorted(root.rglob("*")):
        if p.is_file() and _wanted(p.name):
            if is_archive(p):
                yield from _iter_archive(p)
            else:
                yield Document(str(p), p.read_bytes())


def _iter_archive(path: Path) -> Iterator[Document]:
    try:
        with tarfile.open(path) as tar:
            for member in tar:
                if member.isfile() and _wanted(member.name):
                    f = tar.extractfile(member)
                    if f is not None:
                        yield Document(f"{path}!{member.name}", f.read())
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise SourceError(f"{path}: unreadable archive ({exc})") from exc
