"""Cold start: from launching gunicorn to the first answered request, on the full corpus.

    python bench/cold_start.py --db sqlite:///bench/out/serve_sqlite.db \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/cableshare_bench [--runs 5]

The server is the production one (``gunicorn -c gunicorn.conf.py "app:create_app()"``, the
worker count from ``--workers``). The clock starts just before the process is spawned and stops
when ``GET /api/v1/cables/<a real ref>`` has been answered 200 (the store opened, the schema
checked, a cable read). The sample corpus is left on (``LOAD_SAMPLE_CORPUS``), as in a default
deployment: it must cost nothing when the store already holds cables. The baseline, started in
turn with each run, is the same gunicorn command serving a bare Flask app (``bare_app``).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from serve import free_port, get

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 1.0


def bare_app():
    """gunicorn's baseline entry point (``cold_start:bare_app()``): Flask alone, answering the same
    path with a constant, so the ratio says what the app adds to Python, gunicorn and Flask."""
    from flask import Flask

    app = Flask("bare")
    app.add_url_rule("/api/v1/cables/<ref>", "cable", lambda ref: {"ref_id": ref})
    return app


def some_ref(url: str) -> str:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ref = conn.execute(sa.text("SELECT ref_id FROM cables ORDER BY id DESC LIMIT 1")).scalar_one()
    engine.dispose()
    return ref


def answered(port: int, path: str) -> bool:
    try:
        return get(port, path)[0] == 200
    except OSError:
        return False


def one_start(url: str, ref: str, workers: int, entry: str = "app:create_app()") -> float:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(DATABASE_URL=url, WEB_CONCURRENCY=str(workers), GUNICORN_BIND=f"127.0.0.1:{port}",
               SECRET_KEY="bench-only", CABLESHARE_RATELIMIT_ENABLED="false")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--pythonpath",
                             "bench", entry],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        while not answered(port, f"/api/v1/cables/{ref}"):
            if proc.poll() is not None or time.perf_counter() - start > 120:
                raise SystemExit(f"gunicorn did not answer on {url}")
            time.sleep(0.005)
        return time.perf_counter() - start
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for url in args.db:
        ref = some_ref(url)
        times, bare = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine
            bare.append(one_start(url, ref, args.workers, "cold_start:bare_app()"))
            times.append(one_start(url, ref, args.workers))
        print(f"{url}: gunicorn ({args.workers} workers) start to first 200, {args.runs} runs: "
              f"median {statistics.median(times):.2f} s, max {max(times):.2f} s "
              f"(target < {TARGET_SECONDS:.0f} s: {'met' if max(times) < TARGET_SECONDS else 'MISSED'}); "
              f"bare Flask app {statistics.median(bare):.2f} s, ratio "
              f"{statistics.median(times) / statistics.median(bare):.1f}x")


if __name__ == "__main__":
    main()
