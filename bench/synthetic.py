"""Make a synthetic collection for the scale run: real cables re-labelled with real ids.

Cycles through the pages of a mirror and writes each as a row of a cables.csv-style dump under
the next id of cable2month (the 251,287 ids of the full collection), its creation date moved to
that id's year and month. The dump is the shape a 250,000-cable collection really comes in, and it
streams: nothing of it is held in memory, by this script or by the ingest.

    python bench/synthetic.py --count 250000 --out /tmp/cables-synthetic-250000.csv
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tarfile
import time
from itertools import cycle, islice
from pathlib import Path

from cables.parse.extract import extract

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mirror_extracts(archive: Path, limit: int) -> list:
    """Up to ``limit`` readable pages of the mirror (header, body, metadata)."""
    found = []
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".html"):
                x = extract(tar.extractfile(member).read().decode("utf-8"))[0]
                if x.created and x.body.strip():
                    found.append(x)
                    if len(found) >= limit:
                        break
    return found


def known_ids(path: Path):
    with gzip.open(path, "rt") as f:
        for line in f:
            ref, _, month = line.strip().partition(",")
            if ref[:2].isdigit():
                yield ref, int(month or 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=250_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/cables-synthetic-250000.csv"))
    ap.add_argument("--mirror", type=Path, default=CORPUS / "cablegate-site-2011-04-25.tar.xz")
    ap.add_argument("--ids", type=Path, default=CORPUS / "ids" / "cable2month.csv.gz")
    ap.add_argument("--pages", type=int, default=2000, help="distinct real pages to cycle through")
    args = ap.parse_args()
    started = time.perf_counter()
    pages = mirror_extracts(args.mirror, args.pages)
    with open(args.out, "w", encoding="utf-8") as out:
        for n, ((ref, month), x) in enumerate(islice(zip(known_ids(args.ids), cycle(pages)), args.count), 1):
            year = 1900 + int(ref[:2]) + (100 if int(ref[:2]) < 60 else 0)
            date = f"{month}/{x.created[8:10].lstrip('0') or '1'}/{year} {x.created[11:16] or '00:00'}"
            row = [str(n), date, ref, x.origin or "", x.classification or "", "", x.header, x.body]
            out.write(",".join(quote(v) for v in row) + "\n")
    size = args.out.stat().st_size
    print(f"{n:,} cables from {len(pages):,} real pages -> {args.out} ({size / 2**20:,.0f} MiB) "
          f"in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
