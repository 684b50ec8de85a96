"""Serving throughput under gunicorn, driven by wrk on 127.0.0.1; figures printed, never asserted.

    python bench/serve.py --db sqlite:///bench/out/serve_sqlite.db \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/cableshare_bench [--seconds 12]

Per database: gunicorn with the production ``gunicorn.conf.py`` (WEB_CONCURRENCY=2, sync workers)
serves the real app plus one bare endpoint returning a constant JSON object (the baseline: what
Flask, gunicorn and the app's request hooks cost with no work behind them). wrk (32 connections,
2 threads) asks for random real ref/paragraph pairs (bench/paths.lua): "share API" draws from
20,000 pairs, so nearly every request misses the per-worker response cache (webapp.http_cache) and
runs the share engine; "hot set" draws from 100 pairs, the release-day case. Rate limits are off: one
client address would otherwise be refused after 120 requests. wrk shares the machine's CPUs with
the server, so absolute figures are lower than on a separate load generator; the ratio is fair.
Each store is first read into the OS cache (``warm_cache``; ``--cold`` skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = "/__bench/bare"
TARGET_RATIO, TARGET_P99_MS = 0.8, 20.0
HOT = 100  # a release-day crowd: many readers sharing the same few paragraphs


def bench_app():
    """gunicorn's entry point (``serve:bench_app()``): the real app plus the bare endpoint."""
    from flask import jsonify

    from app import create_app

    app = create_app()
    app.add_url_rule(BARE, "bench_bare", lambda: jsonify({"ok": True, "service": "cableshare"}))
    return app


def sample_targets(url: str, n: int, seed: int) -> list[tuple[str, str, str]]:
    """``n`` random (ref_id, created ISO, anchor) paragraphs of the store, spread by row id."""
    sys.path.insert(0, str(ROOT))
    import sqlalchemy as sa

    from cableshare.schema import cables, paragraphs
    from cableshare.store import Store

    store = Store(url)
    rng = random.Random(seed)
    with store.read() as conn:
        top = conn.execute(sa.select(sa.func.max(paragraphs.c.id))).scalar_one()
        ids = rng.sample(range(1, top + 1), min(n * 2, top))
        rows = conn.execute(
            sa.select(cables.c.ref_id, cables.c.created, paragraphs.c.anchor)
            .join(cables, cables.c.id == paragraphs.c.cable_id).where(paragraphs.c.id.in_(ids))).all()
    store.close()
    return [(r.ref_id, r.created.isoformat(), r.anchor) for r in rows[:n]]


def warm_cache(url: str) -> None:
    """Read the whole store once so the OS caches it: the figures are for a server with RAM for
    its database (README, Deploying). On a cold 4-5 GB store random paragraphs are disk reads
    (p99 ~60 ms each on this machine's disk), which no server setting changes; ``--cold`` skips this."""
    start = time.monotonic()
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        total = 0
        for name in (path, Path(f"{path}-wal")):
            if name.exists():
                with name.open("rb") as f:
                    while chunk := f.read(1 << 24):
                        total += len(chunk)
    else:
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            total = conn.exec_driver_sql(
                "SELECT sum(pg_prewarm(c.oid::regclass, 'read')) * current_setting('block_size')::int "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 't')").scalar() or 0
        engine.dispose()
    print(f"warmed {url}: {total / 2**20:,.0f} MiB read in {time.monotonic() - start:.1f} s", flush=True)


def endpoint_paths(targets: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    q = urllib.parse.quote
    return {
        "bare (baseline)": [BARE],
        "share API": [f"/api/v1/share?ref={q(r)}&par={q(a)}" for r, _, a in targets],
        f"share API, hot set of {HOT}": [f"/api/v1/share?ref={q(r)}&par={q(a)}" for r, _, a in targets[:HOT]],
        "share page": [f"/share/{q(r)}/{q(a)}" for r, _, a in targets],
        "viewer page": [f"/cable/{c[:4]}/{c[5:7]}/{q(r)}.html" for r, c, _ in targets],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict]:
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        conn.close()


def start_server(url: str, port: int, workers: int, log) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(DATABASE_URL=url, WEB_CONCURRENCY=str(workers), GUNICORN_BIND=f"127.0.0.1:{port}",
               SECRET_KEY="bench-only", PUBLIC_BASE_URL="https://cableshare.example",
               CABLESHARE_RATELIMIT_ENABLED="false", CABLESHARE_LOAD_SAMPLE_CORPUS="false")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--pythonpath",
                             "bench", "serve:bench_app()"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if get(port, BARE)[0] == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    stop(proc)
    raise SystemExit(f"gunicorn did not start on {url}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def wrk(port: int, paths_file: str, seconds: int, connections: int) -> dict:
    env = {**os.environ, "PATHS_FILE": paths_file}
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                          "-s", str(ROOT / "bench" / "paths.lua"), f"http://127.0.0.1:{port}"],
                         env=env, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def run_db(url: str, args: argparse.Namespace, tmp: Path) -> dict[str, dict]:
    if not args.cold:
        warm_cache(url)
    targets = sample_targets(url, args.pairs, args.seed)
    paths = endpoint_paths(targets)
    port = free_port()
    with (tmp / "gunicorn.log").open("ab") as log:
        proc = start_server(url, port, args.workers, log)
        try:
            for name, some in paths.items():  # every endpoint answers 200 before it is timed
                bad = [(p, s) for p in some[:20] if (s := get(port, p)[0]) != 200]
                if bad:
                    raise SystemExit(f"{name}: {bad[:3]}")
            etags = [(p, get(port, p)[1]["ETag"]) for p in paths["share API"][:args.revalidate]]
            assert all(get(port, p, {"If-None-Match": e})[0] == 304 for p, e in etags[:20])
            files = {name: [*some] for name, some in paths.items()}
            files["304 revalidation (share API)"] = [f"{p}\t{e}" for p, e in etags]
            results = {}
            for name, lines in files.items():
                paths_file = tmp / f"{abs(hash(name))}.txt"
                paths_file.write_text("\n".join(lines) + "\n")
                wrk(port, str(paths_file), args.warmup, args.connections)
                results[name] = wrk(port, str(paths_file), args.seconds, args.connections)
        finally:
            stop(proc)
    return results


def report(url: str, results: dict[str, dict], connections: int) -> None:
    bare = results["bare (baseline)"]["rps"]
    print(f"\n{url}  ({connections} connections)")
    print(f"{'endpoint':30} {'req/s':>8} {'x bare':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for name, r in results.items():
        print(f"{name:30} {r['rps']:8.0f} {r['rps'] / bare:7.2f} {r['p50_us'] / 1000:7.1f} "
              f"{r['p99_us'] / 1000:7.1f} {r['errors'] + r['non2xx3xx']:6d}")
    share = results["share API"]
    ok = share["rps"] / bare >= TARGET_RATIO and share["p99_us"] / 1000 < TARGET_P99_MS
    print(f"share API target (>= {TARGET_RATIO}x bare, p99 < {TARGET_P99_MS:.0f} ms): "
          f"{'met' if ok else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", action="append", required=True, help="a store URL; repeat for several")
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=20000,
                        help="random ref/paragraph pairs (more than a run asks for: nearly all misses)")
    parser.add_argument("--revalidate", type=int, default=300, help="pairs whose ETag is revalidated")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="do not read the store into the OS cache first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for url in args.db:
            report(url, run_db(url, args, Path(tmp)), args.connections)


if __name__ == "__main__":
    main()
