"""bench/web.py's spread of cable requests (--access): what its figures for issue 15 rest on.

The 250,000-cable run asks for cables with a long tail (Zipf); a picker that drew from a few
cables only, or flat, or differently at each run, would make the bench measure another site.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from collections import Counter

from conftest import ROOT


def _web():
    spec = importlib.util.spec_from_file_location("bench_web", ROOT / "bench" / "web.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


CABLES = [f"/cable/2009/01/09CABLE{n}.html" for n in range(5000)]


def _draws(access, seed: int = 7, count: int = 50_000) -> Counter:
    pick = access.picker(CABLES, seed=2010)
    rng = random.Random(seed)
    return Counter(pick(rng) for _ in range(count))


def test_zipf_gives_the_kth_cable_a_share_of_one_over_k_to_the_exponent():
    web = _web()
    drawn = _draws(web.Access("zipf", 0.8))
    harmonic = sum(k ** -0.8 for k in range(1, len(CABLES) + 1))
    ranked = [n for _, n in drawn.most_common()]
    assert abs(ranked[0] / 50_000 - 1 / harmonic) < 0.01          # the most asked: ~3 %
    top_100 = sum(ranked[:100]) / 50_000
    assert abs(top_100 - sum(k ** -0.8 for k in range(1, 101)) / harmonic) < 0.02
    assert len(drawn) > 3000          # the long tail: most cables are asked at least once


def test_zipf_ranks_the_cables_in_an_order_of_the_seed_not_the_archive_s():
    web = _web()
    zipf = web.Access("zipf", 1.0)
    most = _draws(zipf).most_common(1)[0][0]
    assert most != CABLES[0]
    assert _draws(zipf, seed=8).most_common(1)[0][0] == most    # the same order at every run
    other = zipf.picker(CABLES, seed=2011)
    rng = random.Random(7)
    assert Counter(other(rng) for _ in range(20_000)).most_common(1)[0][0] != most


def test_uniform_asks_every_cable_alike():
    web = _web()
    drawn = _draws(web.Access("uniform"))
    assert max(drawn.values()) < 30   # 10 on average: no cable stands out
