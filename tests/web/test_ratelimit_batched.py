"""The rate limiter's batched scopes (the API's): counts kept in each worker's memory and added
to the shared database counters in batches (cables.web.discussion.ratelimit, BatchedCounts).

Each ``BatchedCounts`` below stands for one worker process: they share the test database as
gunicorn workers share the archive. A real second process shows the counts written at exit.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from web.discussion_support import discussion_fixture  # noqa: F401  (fixture reused)

# 30 s into a minute window; every write is given it too: one made at the real time forgets the
# windows over by then (this test failed on the day after NOW, its day window forgotten)
NOW = dt.datetime(2026, 12, 3, 12, 0, 30, tzinfo=dt.UTC)


def stored(address: str, seconds: int, now: dt.datetime = NOW) -> int | None:
    """The database's count of ``address``'s window of ``seconds`` holding ``now``."""
    from cables.web.discussion import ratelimit
    from cables.web.discussion.models import RateCounter

    start = ratelimit._window_start(now, seconds)
    row = RateCounter.objects.filter(key=ratelimit.key(ratelimit.API_ADDRESS, address),
                                     window_start=start).first()
    return row.count if row else None


def worker(hits: int):
    from cables.web.discussion import ratelimit

    return ratelimit.BatchedCounts(ratelimit.API_ADDRESS, ratelimit.Batching(hits=hits, seconds=3600))


def test_one_worker_is_exact_and_writes_every_n_hits(discussion, settings):
    """5 a minute and 7 a day: the 6th request of the minute is refused (Retry-After: the
    window's 30 s left) and not counted; the next minute, the day's limit refuses the 3rd."""
    from cables.web.discussion.ratelimit import RateLimited

    settings.CABLES_DISCUSSION_LIMITS = {"api-address": [(5, 60), (7, 86400)]}
    address, counts = "192.0.2.31", worker(hits=3)
    for _ in range(2):
        counts.hit(address, NOW)
    assert stored(address, 60) is None                  # two hits: nothing written yet
    counts.hit(address, NOW)
    assert stored(address, 60) == 3 and stored(address, 86400) == 3   # the third wrote the batch
    for _ in range(2):
        counts.hit(address, NOW)
    with pytest.raises(RateLimited) as refused:
        counts.hit(address, NOW)
    assert refused.value.retry_after == 30
    assert str(refused.value).startswith("Too many requests from your address: at most 5 in 1 minute.")
    counts.write(NOW)
    assert stored(address, 60) == 5                     # the refused one is not counted

    later = NOW + dt.timedelta(minutes=1)
    counts.hit(address, later)
    counts.hit(address, later)
    with pytest.raises(RateLimited) as refused:
        counts.hit(address, later)
    assert "at most 7 in 1 day" in str(refused.value)
    counts.write(later)
    assert stored(address, 60, later) == 2 and stored(address, 86400) == 7
    assert [w[2] for w in counts.known if w[1] == 60] == [later.replace(second=0)]   # over: forgotten


def test_a_batch_is_written_after_its_seconds(discussion, settings):
    """``seconds`` 0: every hit is already old enough to be written (no clock waited for)."""
    from cables.web.discussion import ratelimit

    settings.CABLES_DISCUSSION_LIMITS = {"api-address": [(100, 60)]}
    counts = ratelimit.BatchedCounts(ratelimit.API_ADDRESS, ratelimit.Batching(hits=1000, seconds=0))
    counts.hit("192.0.2.32", NOW)
    assert stored("192.0.2.32", 60) == 1


def test_the_threads_of_one_worker_are_exact_together(discussion, settings):
    """8 threads of one worker ask 80 times for a limit of 25: exactly 25 pass, all written."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from cables.web.discussion.ratelimit import RateLimited

    settings.CABLES_DISCUSSION_LIMITS = {"api-address": [(25, 60)]}
    address, counts = "192.0.2.35", worker(hits=3)

    def ten() -> int:
        admitted = 0
        try:
            for _ in range(10):
                try:
                    counts.hit(address, NOW)
                    admitted += 1
                except RateLimited:
                    pass
        finally:
            connection.close()      # this thread's own
        return admitted

    with ThreadPoolExecutor(8) as pool:
        admitted = sum(pool.map(lambda _: ten(), range(8)))
    counts.write(NOW)
    assert admitted == 25 and stored(address, 60) == 25


@pytest.mark.parametrize("workers,batch", [(4, 3), (3, 5)])
def test_workers_together_stay_within_the_bound(discussion, settings, workers, batch):
    """Workers taking turns (the case that spreads a client's requests the most): together they
    admit at least the limit and at most ``L - 1 + W × N`` (the module's docstring), and every
    admitted request reaches the database."""
    from cables.web.discussion.ratelimit import RateLimited

    limit = 10
    settings.CABLES_DISCUSSION_LIMITS = {"api-address": [(limit, 60)]}
    address, processes = "192.0.2.33", [worker(batch) for _ in range(workers)]
    admitted = 0
    for _ in range(4 * limit):
        for counts in processes:
            try:
                counts.hit(address, NOW)
                admitted += 1
            except RateLimited:
                pass
    for counts in processes:
        counts.write(NOW)
    assert limit <= admitted <= limit - 1 + workers * batch
    assert stored(address, 60) == admitted


def test_a_worker_writes_its_counts_when_it_exits(discussion, tmp_path):
    """A second process counts 7 API requests, fewer than a batch, and ends: they are written."""
    from django.conf import settings

    database = settings.DATABASES["default"]["NAME"]
    script = tmp_path / "worker.py"
    script.write_text(f"""
from cables.store import db
db.setup({database!r})
from cables.web.discussion import ratelimit
assert ratelimit.BATCHED[ratelimit.API_ADDRESS].hits > 7
for _ in range(7):
    ratelimit.count_request(ratelimit.API_ADDRESS, "192.0.2.34")
""")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    from cables.web.discussion import ratelimit
    from cables.web.discussion.models import RateCounter

    rows = RateCounter.objects.filter(key=ratelimit.key(ratelimit.API_ADDRESS, "192.0.2.34"))
    assert sum(r.count for r in rows) == 7 * 2        # the minute's window and the day's
