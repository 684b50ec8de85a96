"""Latency of ``Store.get_cable`` (cable + paragraphs) over random refs; figures printed, never asserted.

    python bench/lookup.py sqlite:///bench/out/bench.db [--n 20000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cableshare.schema import cables
from cableshare.store import Store


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    store = Store(args.url)
    with store.read() as conn:
        refs = list(conn.execute(sa.select(cables.c.ref_id)).scalars())
    rng = random.Random(args.seed)
    sample = [rng.choice(refs) for _ in range(args.n)]
    for ref in sample[:200]:  # warm the pool and the statement cache
        store.get_cable(ref)
    timings, pars = [], 0
    for ref in sample:
        start = time.perf_counter()
        cable = store.get_cable(ref)
        timings.append(time.perf_counter() - start)
        pars += len(cable.paragraphs)
    timings.sort()
    ms = [t * 1000 for t in timings]
    print(f"{args.n} lookups of {len(refs):,} cables ({pars / args.n:.1f} paragraphs each) on {store.dialect}: "
          f"p50 {percentile(ms, 0.5):.3f} ms  p90 {percentile(ms, 0.9):.3f} ms  "
          f"p99 {percentile(ms, 0.99):.3f} ms  max {ms[-1]:.3f} ms  mean {statistics.mean(ms):.3f} ms")
    store.close()


if __name__ == "__main__":
    main()
