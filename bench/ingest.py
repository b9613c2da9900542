"""Ingest a collection into a new archive on SQLite and on PostgreSQL; print cables/s, archive
size, peak memory, and the ratio to `cables parse` of the same source in the same run.

Each figure comes from the real command in a child process (peak memory is the child's maximum
resident set). The ratio is what to read on a shared, noisy machine: storing and indexing
should cost no more than parsing (target <= 2 on SQLite, <= 2.5 on PostgreSQL: issue 13).
Beside it, the CPU the whole machine spent during each command (from /proc/stat, where there is
one: it counts PostgreSQL's server processes too) and how many cores that kept busy: what a
command costs, whatever the wall time.
And "own CPU": the CPU of the command's own processes (and, for PostgreSQL, of the bench's
server), which what else runs on a shared machine does not swell: the steadiest of the ratios.

    python bench/ingest.py                       # the 6,712-page mirror (.tar.xz as given)
    python bench/ingest.py --rounds 3            # parse and ingest three times, one line each
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
last_own_cpu = 0.0
CORPUS = HERE.parent.parent / "shared" / "corpus"
TARGET_RATIO = {"sqlite": 2, "postgresql": 2.5}   # issue 13's, of the wall time to parse's


def run_child(args: list[str]) -> tuple[float, float, float | None, subprocess.CompletedProcess]:
    """Wall seconds, peak resident MiB and the machine's CPU seconds of one child command."""
    global last_own_cpu
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_maxrss
    own_before = usage.ru_utime + usage.ru_stime
    cpu_before = machine_cpu_seconds()
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    cpu_after = machine_cpu_seconds()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss
    last_own_cpu = usage.ru_utime + usage.ru_stime - own_before  # the command and its processes
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


def process_tree_cpu(pid: int) -> float:
    """CPU seconds of a process, its live descendants and the children it has waited for (a
    PostgreSQL server: the postmaster, its backends and the backends that exited). Unlike the
    machine's figure, what other work on a shared machine does is not in it."""
    ticks = os.sysconf("SC_CLK_TCK")

    def stat(p: int) -> list[str] | None:
        try:
            return Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None

    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo, first = 0.0, [pid], True
    while todo:
        current = todo.pop()
        fields = stat(current)
        if fields is None:
            continue
        # utime, stime (fields 14, 15 of stat); cutime, cstime (16, 17) of the root only: a
        # live child's own waited-for children are counted once, in it
        total += (int(fields[11]) + int(fields[12])) / ticks
        if first:
            total += (int(fields[13]) + int(fields[14])) / ticks
            first = False
        todo.extend(children.get(current, []))
    return total


def server_cpu(server) -> float | None:
    """CPU seconds the PostgreSQL server of the bench spent so far (None: not readable here)."""
    try:
        pid = int((server.data_dir / "postmaster.pid").read_text().split()[0])
        return process_tree_cpu(pid)
    except (OSError, ValueError, IndexError):
        return None


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
    ap.add_argument("--rounds", type=int, default=1, help="parse and ingest this many times")
    args = ap.parse_args()
    tables = ["--routes", str(args.tables / "route2name.csv"),
              "--known-ids", str(args.tables / "cable2month.csv.gz")]
    print(f"source: {args.source}")
    for round_number in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"round {round_number}")
        bench_round(args, tables)
    return 0


def bench_round(args: argparse.Namespace, tables: list[str]) -> None:
    """Parse once, then ingest into each backend; the ratios are to that parse."""
    parse_seconds = parse_cpu = parse_own = None
    if not args.skip_parse:
        parse_seconds, parse_peak, parse_cpu, _ = run_child(
            [*cables_command(), "parse", "--summary", *tables, str(args.source)])
        parse_own = last_own_cpu
        print(f"parse                 {parse_seconds:7.1f} s   peak {parse_peak:6.0f} MiB   "
              f"{cpu_figure(parse_cpu, parse_seconds)}   own cpu {parse_own:6.1f} s")
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
            server_before = server_cpu(server) if server else 0.0
            try:
                seconds, peak, cpu, done = run_child([*cables_command(), "ingest", "--json", "--db",
                                                      db, *tables, str(args.source)])
                own = last_own_cpu
                server_after = server_cpu(server) if server else 0.0
                if server_before is not None and server_after is not None:
                    own += server_after - server_before
                    if server:
                        print(f"  ({backend}: the command's processes {last_own_cpu:.1f} s of CPU, "
                              f"the server's {server_after - server_before:.1f} s)")
                else:
                    own = None
                report = json.loads(done.stdout)[0]
                stored = report["new"] + report["changed"]
                size = archive_size(db)
            finally:
                if server:
                    server.stop()
        ratio = (f"ratio to parse {seconds / parse_seconds:.2f} (target <= {TARGET_RATIO[backend]})"
                 if parse_seconds else "")
        if cpu is not None and parse_cpu:
            ratio += f", in CPU {cpu / parse_cpu:.2f}"
        if own is not None and parse_own:
            ratio += f", in own CPU {own / parse_own:.2f}"
        print(f"ingest {backend:<14} {seconds:7.1f} s   peak {peak:6.0f} MiB   {stored / seconds:7.0f} "
              f"cables/s   archive {size / 2**20:8.1f} MiB   {report['failed']} failed   "
              f"{cpu_figure(cpu, seconds)}   {ratio}")


if __name__ == "__main__":
    sys.exit(main())
