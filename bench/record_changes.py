"""Compare two runs of ``cables parse --json`` field by field: what a parser change changed.

A rule of the cable format fixed in one place should change only the records it is about. Run the
parser on the mirror before and after a change, then this script prints, per JSON field, how many
cables changed and a few examples, so a closing note can list the changes with counts:

    cables parse --json --routes … --known-ids … MIRROR > before.jsonl
    (change the parser)
    cables parse --json --routes … --known-ids … MIRROR > after.jsonl
    python bench/record_changes.py before.jsonl after.jsonl [--field references] [--examples 5]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path


def read_records(path: Path) -> dict[str, dict]:
    records: dict[str, dict] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                records[record["canonical_id"]] = record
    return records


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--field", action="append", help="show examples of this field only (repeatable)")
    ap.add_argument("--examples", type=int, default=3, help="examples shown per field")
    ap.add_argument("--ignore", action="append", default=[],
                    help="a field left out of the comparison (repeatable), e.g. warnings")
    args = ap.parse_args()
    before, after = read_records(args.before), read_records(args.after)
    gone = sorted(before.keys() - after.keys())
    new = sorted(after.keys() - before.keys())
    print(f"cables: {len(before):,} before, {len(after):,} after; "
          f"{len(gone)} gone {gone[:5]}, {len(new)} new {new[:5]}")
    changed: Counter[str] = Counter()
    examples: dict[str, list[tuple[str, object, object]]] = {}
    for key in sorted(before.keys() & after.keys()):
        old, now = before[key], after[key]
        for name in sorted(old.keys() | now.keys()):
            if name in args.ignore or old.get(name) == now.get(name):
                continue
            changed[name] += 1
            examples.setdefault(name, []).append((key, old.get(name), now.get(name)))
    touched = {key for rows in examples.values() for key, _, _ in rows}
    print(f"cables with a changed field: {len(touched):,}")
    for name, count in changed.most_common():
        print(f"  {name:16} {count:6,}")
    for name in args.field or list(changed):
        for key, old, now in examples.get(name, [])[: args.examples]:
            print(f"\n{key} {name}:\n  before {_short(old)}\n  after  {_short(now)}")
    return 0


def _short(value: object, limit: int = 400) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


if __name__ == "__main__":
    sys.exit(main())
