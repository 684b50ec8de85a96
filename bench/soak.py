"""Soak: wrk against the share API under gunicorn; non-2xx counts and worker memory growth,
figures printed, never asserted.

    python bench/soak.py [--seconds 60] [--connections 64] [--workers 2] [--db URL]

Without ``--db`` the corpus is ../shared/cables (csv + html, about 2,600 cables; the bundled sample
when absent) imported with the real CLI into a temporary SQLite file. gunicorn runs the production
``gunicorn.conf.py`` with worker recycling off (GUNICORN_MAX_REQUESTS=0, so growth is visible) and
a rate limit no client reaches (one wrk address would otherwise get 429s). Worker RSS is read from
/proc after a warm-up run and again at the end. ``bench/pg_restart.py`` reuses the helpers here.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Self
from urllib.parse import quote

from serve import free_port

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "cables"
sys.path.insert(0, str(ROOT))

#: wrk script: cycles through paths.txt; counts statuses per thread and prints them at the end.
LUA = r"""
local paths, threads, counter = {}, {}, 1
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
function setup(thread) thread:set("id", counter); counter = counter + 1; table.insert(threads, thread) end
function init(args) statuses = {}; i = math.random(#paths) end
function request() i = i %% #paths + 1; return wrk.format("GET", paths[i]) end
function response(status) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("STATUS %%d %%d\n", status, n)) end
  io.write(string.format("LATENCY p50=%%.1fms p99=%%.1fms max=%%.1fms\n", latency:percentile(50) / 1000,
           latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def import_corpus(db_url: str) -> None:
    """The shared corpus (or the sample) into ``db_url`` with the real ``flask cables import``."""
    sources = [str(SHARED / "csv"), str(SHARED / "html")] if SHARED.is_dir() else []
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": "soak"}
    if sources:
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", "cables", "import", *sources],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare_store(db_url: str) -> None:
    """Schema and (into an empty store) the sample corpus, before gunicorn starts: two workers
    booting at once on an empty PostgreSQL schema race in CREATE TABLE and one fails to boot."""
    from cableshare.store import Store
    from webapp.extensions import load_sample_corpus

    store = Store(db_url)
    store.create_schema()
    if store.is_empty():
        load_sample_corpus(store)
    store.close()


def share_paths(db_url: str, limit: int = 5000, seed: int = 1) -> list[str]:
    """Share API paths for real (ref, paragraph) pairs of the corpus, shuffled."""
    import sqlalchemy as sa

    from cableshare.store import Store

    store = Store(db_url)
    with store.read() as conn:
        rows = conn.execute(sa.text("SELECT c.ref_id, p.anchor FROM paragraphs p JOIN cables c "
                                    "ON c.id = p.cable_id")).all()
    store.close()
    random.Random(seed).shuffle(rows)
    return [f"/api/v1/share?ref={quote(ref)}&par={quote(anchor)}" for ref, anchor in rows[:limit]]


class Gunicorn:
    """gunicorn with the production config on 127.0.0.1:<port>; a context manager."""

    def __init__(self, db_url: str, workers: int, tmp: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": "soak", "WEB_CONCURRENCY": str(workers),
               "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_MAX_REQUESTS": "0",
               "CABLESHARE_RATELIMIT_DEFAULT": "100000000 per minute",
               "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.port}"}
        self.log = (tmp / "gunicorn.log").open("w")
        self.proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py",
                                      "app:create_app()"], cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    def __enter__(self) -> Self:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/openapi.json", timeout=2):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"gunicorn exited; see {self.log.name}") from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return sorted(int(p) for p in children.read_text().split()) if children.exists() else []


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))


class RssSeries(threading.Thread):
    """Worker RSS sampled every ``every`` seconds while the load runs: a cache filling up levels
    off, a leak keeps climbing."""

    def __init__(self, server: Gunicorn, every: float) -> None:
        super().__init__(daemon=True)
        self.server, self.every = server, every
        self.rows: list[tuple[float, list[int]]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        began = time.monotonic()
        while not self.stop.wait(self.every):
            try:
                self.rows.append((time.monotonic() - began, [rss_kib(p) for p in self.server.workers()]))
            except OSError:
                continue


def run_wrk(base: str, paths: list[str], seconds: int, connections: int, tmp: Path,
            threads: int = 2) -> dict:
    """wrk's totals plus statuses counted by the Lua script; ``errors`` are socket errors."""
    (tmp / "paths.txt").write_text("\n".join(paths) + "\n")
    (tmp / "soak.lua").write_text(LUA % {"paths": tmp / "paths.txt"})
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                          "-s", str(tmp / "soak.lua"), base], capture_output=True, text=True,
                         check=True).stdout
    statuses = {int(s): int(n) for s, n in re.findall(r"^STATUS (\d+) (\d+)$", out, re.MULTILINE)}
    requests = re.search(r"(\d+) requests in", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"requests": int(requests.group(1)) if requests else 0, "statuses": statuses,
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "socket_errors": dict(zip(("connect", "read", "write", "timeout"),
                                      map(int, errors.groups()))) if errors else {},
            "latency": (re.search(r"^LATENCY (.*)$", out, re.MULTILINE) or [None, ""])[1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", help="an existing corpus (default: shared corpus into temp SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="soak-") as name:
        tmp = Path(name)
        db_url = args.db or f"sqlite:///{tmp / 'soak.db'}"
        if not args.db:
            import_corpus(db_url)
        prepare_store(db_url)
        paths = share_paths(db_url)
        print(f"corpus: {db_url.split('@')[-1]}, {len(paths)} share paths")
        with Gunicorn(db_url, args.workers, tmp) as server:
            run_wrk(server.base, paths, 5, args.connections, tmp)  # warm-up: imports, caches, pools
            workers = server.workers()
            start = {pid: rss_kib(pid) for pid in workers}
            series = RssSeries(server, every=10.0)
            series.start()
            result = run_wrk(server.base, paths, args.seconds, args.connections, tmp)
            series.stop.set()
            series.join()
            end = {pid: rss_kib(pid) for pid in server.workers()}
        report(args, result, start, end)
        print("RSS every 10 s (MiB): " + "; ".join(
            f"{t:.0f}s " + "/".join(f"{kib / 1024:.1f}" for kib in row) for t, row in series.rows))


def report(args: argparse.Namespace, result: dict, start: dict[int, int], end: dict[int, int]) -> None:
    non_2xx = {s: n for s, n in sorted(result["statuses"].items()) if not 200 <= s < 300}
    print(f"wrk: {args.seconds} s, {args.connections} connections, gunicorn {args.workers} workers")
    print(f"requests: {result['requests']}, {result['rps']:.0f}/s, latency {result['latency']}")
    print(f"non-2xx: {sum(non_2xx.values())} {non_2xx or ''}; socket errors: {result['socket_errors']}")
    for pid, before in start.items():
        after = end.get(pid)
        if after is None:
            print(f"worker {pid}: {before / 1024:.1f} MiB at start, gone at the end (restarted)")
        else:
            print(f"worker {pid}: RSS {before / 1024:.1f} MiB → {after / 1024:.1f} MiB "
                  f"({(after - before) / before * 100:+.1f}%)")
    if set(end) - set(start):
        print(f"new workers at the end: {sorted(set(end) - set(start))}")


if __name__ == "__main__":
    main()
