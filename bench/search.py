"""Full-text search latency on the full corpus; figures printed, never asserted.

    python bench/search.py --db sqlite:///bench/out/serve_sqlite.db \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/cableshare_bench [--queries 1000]

Queries are single words drawn from random real paragraphs (so common words come up as often as
they do in the text), plus a fixed list of very common ones. Each is one ``Store.search`` call
(page 1, 20 hits with highlights and the capped count), after a short warm-up.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa

from cableshare.schema import paragraphs
from cableshare.store import Store

COMMON = ("government", "minister", "said", "president", "embassy", "security", "official", "would",
          "also", "economic", "political", "state", "national", "support", "meeting")
TARGET_P95_MS = 50.0
_WORD = re.compile(r"[A-Za-z]{3,}")


def real_words(store: Store, n: int, seed: int) -> list[str]:
    """One random word of each of ``n`` random paragraphs."""
    rng = random.Random(seed)
    with store.read() as conn:
        top = conn.execute(sa.select(sa.func.max(paragraphs.c.id))).scalar_one()
        words: list[str] = []
        while len(words) < n:
            ids = rng.sample(range(1, top + 1), min(2 * (n - len(words)), top))
            texts = conn.execute(sa.select(paragraphs.c.text).where(paragraphs.c.id.in_(ids))).scalars()
            words += [rng.choice(found) for text in texts if (found := _WORD.findall(text))]
    return words[:n]


def timed(store: Store, queries: list[str]) -> list[tuple[float, str, int]]:
    out = []
    for query in queries:
        start = time.perf_counter()
        page = store.search(query)
        out.append(((time.perf_counter() - start) * 1000, query, page.total))
    return out


def report(name: str, runs: list[tuple[float, str, int]]) -> None:
    ms = sorted(r[0] for r in runs)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(f"  {name:28} n={len(ms):5}  p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  "
          f"max {ms[-1]:7.1f} ms   (target p95 < {TARGET_P95_MS:.0f} ms: "
          f"{'met' if p95 < TARGET_P95_MS else 'MISSED'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    for url in args.db:
        store = Store(url)
        words = real_words(store, args.queries, args.seed)
        timed(store, words[:50])  # warm-up: connections, statement caches
        runs = timed(store, words)
        print(f"\n{url}")
        report("real words", runs)
        report("very common words", timed(store, list(COMMON)))
        print("  slowest:", ", ".join(f"{q!r} {ms:.0f} ms ({total} hits)"
                                      for ms, q, total in sorted(runs, reverse=True)[:5]))
        store.close()


if __name__ == "__main__":
    main()
