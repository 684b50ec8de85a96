"""Share results per second, and the resolver over mixed inputs; figures printed, never asserted.

    python bench/share.py                                  # the sample + ../shared/cables/html
    python bench/share.py sqlite:///bench/out/bench.db --cables 2000   # a big store

Each share is ``build_share`` for one paragraph, from the store read to the last post (the same
call the API makes). Interleaved with it, two baselines: the store read alone (``get_cable``)
and twitter-text's ``parse_tweet`` of the share's X post (one validation of one post; the brief
measured it at ~1.2 ms). On a shared or busy machine the ratios of the medians are the figures.
The resolver runs over 10,000 inputs of every accepted form, 5% unknown.
"""

from __future__ import annotations

import argparse
import glob
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

with warnings.catch_warnings():  # twitter-text-parser imports pkg_resources
    warnings.simplefilter("ignore")
    from twitter_text import parse_tweet

from cableshare.errors import ShareError
from cableshare.importer import import_cables
from cableshare.model import Cable
from cableshare.resolve import resolve
from cableshare.schema import cables
from cableshare.share import ShareSettings, build_share
from cableshare.store import Store

SETTINGS = ShareSettings.from_config({"PUBLIC_BASE_URL": "https://cableshare.example.org"})


def sample_store() -> Store:
    """A fresh SQLite store with the bundled sample and the release pages in ../shared."""
    from cableshare.parse import read_sources

    paths = sorted(str(p) for p in (ROOT / "cableshare/sample").glob("*.txt"))
    paths += sorted(glob.glob(str(ROOT.parent / "shared/cables/html/**/*.html"), recursive=True))
    store = Store(f"sqlite:///{tempfile.mkdtemp()}/bench-share.db")
    store.create_schema()
    import_cables(store, (c for c in read_sources(paths) if isinstance(c, Cable)))
    return store


def report(name: str, timings: list[float]) -> None:
    timings.sort()
    median, p99 = statistics.median(timings), timings[min(len(timings) - 1, int(0.99 * len(timings)))]
    print(f"{name}: n={len(timings)} median={median * 1e3:.3f} ms p99={p99 * 1e3:.3f} ms "
          f"-> {len(timings) / sum(timings):,.0f}/s (mean), {1 / median:,.0f}/s (median)")


def bench_shares(store: Store, refs: list[str]) -> None:
    targets = [(ref, par.anchor) for cable in store.get_cables(refs).values()
               for ref, par in ((cable.ref_id, p) for p in cable.paragraphs)]
    for ref, anchor in targets[:50]:  # warm pools and caches of the process
        build_share(store, SETTINGS, ref, anchor)
    timings, reads, tweets = [], [], []
    for ref, anchor in targets:
        start = time.perf_counter()
        store.get_cable(ref)
        middle = time.perf_counter()
        result = build_share(store, SETTINGS, ref, anchor)
        end = time.perf_counter()
        parse_tweet(result.posts["x"].text)
        tweets.append(time.perf_counter() - end)
        reads.append(middle - start)
        timings.append(end - middle)
    report("baseline: store read only (get_cable)", reads)
    report("baseline: twitter-text's parse_tweet of the X post", tweets)
    report(f"share ({len(refs)} cables, every paragraph)", timings)
    median = statistics.median(timings)
    print(f"share / store read (medians): {median / statistics.median(reads):.2f}; "
          f"share / parse_tweet (medians): {median / statistics.median(tweets):.2f}; "
          f"target median < 1 ms: {'met' if median < 1e-3 else 'MISSED'}")


def mixed_inputs(refs: list[str], n: int, rng: random.Random) -> list[str]:
    forms = [
        lambda r: r, lambda r: "#" + r.lower(), lambda r: f"{r} ¶3", lambda r: f"{r}#par2",
        lambda r: f"https://wikileaks.org/cable/2007/03/{r}.html#par1",
        lambda r: f"https://wikileaks.org/plusd/cables/{r}_a.html",
        lambda r: f"https://cableshare.example.org/share/{r}/1", lambda r: f"{r[:2]} {r[2:-3]} {r[-3:]}",
    ]
    out = []
    for i in range(n):
        ref = rng.choice(refs)
        out.append(ref[:-1] + "9X" if i % 20 == 0 else rng.choice(forms)(ref))
    return out


def bench_resolver(store: Store, refs: list[str], n: int) -> None:
    inputs = mixed_inputs(refs, n, random.Random(1))
    timings, errors = [], 0
    for text in inputs:
        start = time.perf_counter()
        try:
            resolve(store, text)
        except ShareError:
            errors += 1
        timings.append(time.perf_counter() - start)
    report(f"resolve ({errors} errors incl. suggestions)", timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="a store's DB URL (default: a fresh sample store)")
    parser.add_argument("--cables", type=int, default=2000, help="cables to share (random sample)")
    parser.add_argument("--resolve", type=int, default=10_000)
    args = parser.parse_args()
    store = Store(args.url) if args.url else sample_store()
    with store.read() as conn:
        refs = list(conn.execute(sa.select(cables.c.ref_id)).scalars())
    rng = random.Random(7)
    chosen = rng.sample(refs, min(args.cables, len(refs)))
    print(f"store: {store.dialect}, {len(refs):,} cables")
    bench_shares(store, chosen)
    bench_resolver(store, refs, args.resolve)


if __name__ == "__main__":
    main()
