"""``cables export`` of the mirror against ``cables parse --json`` of it: wall time, and the ratio.

The issue's target: exporting the mirror's archive as JSONL takes at most twice the time of
parsing the mirror to the same JSON (``cables parse --json``, on every core). Both run as the
commands a user types, output to /dev/null, in alternating rounds so that a shared machine's
load weighs on both alike; the load average is printed before and after. The other formats are
timed once each. The archive is the mirror ingested with the reference tables, made once
(``--db``, default a temporary folder's).

    python bench/export.py [--corpus ../shared/corpus/cablegate-site-2011-04-25.tar.xz] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from parse import DEFAULT_CORPUS, unpack  # noqa: E402  (bench/parse.py: the mirror unpacked once)

IDS = HERE.parent.parent / "shared" / "corpus" / "ids"
TABLES = ["--routes", str(IDS / "route2name.csv"), "--known-ids", str(IDS / "cable2month.csv.gz")]


def cables(*args: str) -> float:
    """Run ``cables ARGS`` with its output to /dev/null; its wall time in seconds."""
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        subprocess.run([sys.executable, "-m", "cables", *args], stdout=sink, check=True)
    return time.perf_counter() - started


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "cables-bench-export.db"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    mirror = unpack(args.corpus)
    if not Path(args.db).exists():
        print(f"ingesting the mirror into {args.db}…", flush=True)
        cables("ingest", str(mirror), *TABLES, "--db", args.db)
    print(load(), flush=True)
    for n in range(1, args.rounds + 1):
        parse = cables("parse", "--json", *TABLES, str(mirror))
        export = cables("export", "--format", "jsonl", "--db", args.db, "--out", os.devnull)
        print(f"round {n}: parse --json {parse:.2f} s, export jsonl {export:.2f} s: "
              f"{export / parse:.2f}× (target ≤ 2×)", flush=True)
    for fmt in ("csv", "graphml", "gexf"):
        print(f"export {fmt}: {cables('export', '--format', fmt, '--db', args.db, '--out', os.devnull):.2f} s")
    print(load())


if __name__ == "__main__":
    main()
