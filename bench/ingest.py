"""Ingest a collection into a new archive on SQLite and on PostgreSQL; print cables/s, archive
size, peak memory, and the ratio to `cables parse` of the same source in the same run.

Each figure comes from the real command in a child process (peak memory is the child's maximum
resident set). The ratio is what to read on a shared, noisy machine: storing and indexing
should cost no more than parsing (target <= 2). Beside it, the CPU the whole machine spent
during each command (from /proc/stat, where there is one: it counts PostgreSQL's server
processes too) and how many cores that kept busy: what a command costs, whatever the wall time.

    python bench/ingest.py                       # the 6,712-page mirror (.tar.xz as given)
    python bench/ingest.py --source /tmp/cables-synthetic-250000.csv --backends sqlite
    (make the synthetic collection with bench/synthetic.py)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"


def run_child(args: list[str]) -> tuple[float, float, float | None, subprocess.CompletedProcess]:
    """Wall seconds, peak resident MiB and the machine's CPU seconds of one child command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cpu_before = machine_cpu_seconds()
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    cpu_after = machine_cpu_seconds()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return seconds, max(peak, before) / 1024, cpu, done


def machine_cpu_seconds() -> float | None:
    """CPU seconds every core of the machine has spent busy since boot (user, nice, system, irq,
    softirq), or None where there is no /proc/stat."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:8]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def cpu_figure(cpu: float | None, seconds: float) -> str:
    return f"cpu {cpu:6.1f} s on {cpu / seconds:4.2f} cores" if cpu is not None else ""


def cables_command() -> list[str]:
    return [sys.executable, "-m", "cables"]


def archive_size(db: str) -> int:
    if "://" in db:
        import psycopg

        with psycopg.connect(db) as conn:
            return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return sum(p.stat().st_size for p in Path(db).parent.glob(Path(db).name + "*"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=CORPUS / "cablegate-site-2011-04-25.tar.xz")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--tables", type=Path, default=CORPUS / "ids")
    ap.add_argument("--skip-parse", action="store_true", help="no parse run (for the scale run)")
    args = ap.parse_args()
    tables = ["--routes", str(args.tables / "route2name.csv"),
              "--known-ids", str(args.tables / "cable2month.csv.gz")]
    print(f"source: {args.source}")
    parse_seconds = parse_cpu = None
    if not args.skip_parse:
        parse_seconds, parse_peak, parse_cpu, _ = run_child(
            [*cables_command(), "parse", "--summary", *tables, str(args.source)])
        print(f"parse                 {parse_seconds:7.1f} s   peak {parse_peak:6.0f} MiB   "
              f"{cpu_figure(parse_cpu, parse_seconds)}")
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="cables-bench-") as tmp:
            os.environ["CABLES_SEARCH_INDEX_ROOT"] = tmp  # a PostgreSQL archive's ranking index
            server = None
            if backend == "postgresql":
                from cables.store.tempserver import TemporaryPostgres

                server = TemporaryPostgres(durable=True).start()
                db = server.url
            else:
                db = os.path.join(tmp, "cables.db")
            try:
                seconds, peak, cpu, done = run_child([*cables_command(), "ingest", "--json", "--db",
                                                      db, *tables, str(args.source)])
                report = json.loads(done.stdout)[0]
                stored = report["new"] + report["changed"]
                size = archive_size(db)
            finally:
                if server:
                    server.stop()
        ratio = f"ratio to parse {seconds / parse_seconds:.2f} (target <= 2)" if parse_seconds else ""
        if cpu is not None and parse_cpu:
            ratio += f", in CPU {cpu / parse_cpu:.2f}"
        print(f"ingest {backend:<14} {seconds:7.1f} s   peak {peak:6.0f} MiB   {stored / seconds:7.0f} "
              f"cables/s   archive {size / 2**20:8.1f} MiB   {report['failed']} failed   "
              f"{cpu_figure(cpu, seconds)}   {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
