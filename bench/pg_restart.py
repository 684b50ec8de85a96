"""Restart the real PostgreSQL under wrk load; non-2xx counts by status and recovery time, printed,
never asserted. RESTARTS THE MACHINE'S POSTGRESQL: run it by hand, never in CI.

    python bench/pg_restart.py [--seconds 30] [--restart-at 10] [--connections 32]

gunicorn (2 workers, production config) serves the app on a fresh schema of the ``test`` database
(the sample corpus, seeded at start). wrk reads cables and share results; a probe thread asks for
one cable every 50 ms and records when answers stop being 200 and when they are 200 again.
At ``--restart-at`` seconds ``pg_ctlcluster --skip-systemctl-redirect 15 main restart`` runs.
PostgreSQL is started again at the end if it is not running, whatever happened.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import sqlalchemy as sa
from soak import Gunicorn, prepare_store, run_wrk

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CLUSTER = ["15", "main"]
PATHS = ["/api/v1/cables/07MOSCOW1143", "/api/v1/share?ref=07MOSCOW1143&par=5",
         "/api/v1/share?ref=07MOSCOW1143&par=12", "/api/v1/search?q=titov"]


class Probe(threading.Thread):
    """GET one API path every ``interval`` seconds; keeps (monotonic time, status) pairs."""

    def __init__(self, url: str, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.url, self.interval = url, interval
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=10) as response:
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = 0  # no HTTP answer at all
            self.samples.append((time.monotonic(), status))
            time.sleep(self.interval)


def restart_postgres() -> tuple[float, float, str]:
    """(start, end) monotonic times of the restart command, and its output."""
    start = time.monotonic()
    done = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER, "restart"],
                          capture_output=True, text=True, check=False)
    return start, time.monotonic(), (done.stdout + done.stderr).strip()


def ensure_running() -> str:
    status = subprocess.run(["pg_ctlcluster", *CLUSTER, "status"], capture_output=True, text=True, check=False)
    if status.returncode != 0:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER, "start"], check=False)
        status = subprocess.run(["pg_ctlcluster", *CLUSTER, "status"], capture_output=True, text=True, check=False)
    return "running" if status.returncode == 0 else "NOT RUNNING: " + status.stdout + status.stderr


def outage(samples: list[tuple[float, int]], restart_start: float) -> dict:
    """First non-200 after the restart began, the first 200 after that, and what came between."""
    after = [(t, s) for t, s in samples if t >= restart_start]
    first_bad = next(((t, s) for t, s in after if s != 200), None)
    if first_bad is None:
        return {"failures_seen": False}
    back = next((t for t, s in after if t > first_bad[0] and s == 200), None)
    between = [s for t, s in after if first_bad[0] <= t < (back or float("inf"))]
    return {"failures_seen": True, "first_failure_s": first_bad[0] - restart_start,
            "back_s": None if back is None else back - restart_start,
            "window_s": None if back is None else back - first_bad[0],
            "probe_statuses": {s: between.count(s) for s in sorted(set(between))}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--restart-at", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    schema = f"bench_pgrestart_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(SERVER, pool_pre_ping=True)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        run(args, f"{SERVER}?options=-csearch_path%3D{schema}")
    finally:
        print(f"postgresql after the run: {ensure_running()}")
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def run(args: argparse.Namespace, db_url: str) -> None:
    prepare_store(db_url)
    with tempfile.TemporaryDirectory(prefix="pgrestart-") as name, \
            Gunicorn(db_url, 2, Path(name)) as server:
        probe = Probe(server.base + PATHS[0])
        probe.start()
        result: dict = {}
        load = threading.Thread(target=lambda: result.update(
            run_wrk(server.base, PATHS, args.seconds, args.connections, Path(name))))
        load.start()
        time.sleep(args.restart_at)
        restart_start, restart_end, output = restart_postgres()
        load.join()
        probe.stop.set()
        probe.join()
    seen = outage(probe.samples, restart_start)
    non_2xx = {s: n for s, n in sorted(result["statuses"].items()) if not 200 <= s < 300}
    print(f"wrk: {args.seconds} s, {args.connections} connections, restart at {args.restart_at:.0f} s")
    print(f"requests: {result['requests']}, {result['rps']:.0f}/s, latency {result['latency']}")
    print(f"non-2xx by status: {non_2xx or 'none'}; socket errors: {result['socket_errors']}")
    print(f"restart command took {restart_end - restart_start:.2f} s {output!r}")
    if seen["failures_seen"] and seen["back_s"] is None:
        print(f"probe: failing from {seen['first_failure_s']:.2f} s after the restart began and NOT "
              f"recovered by the end of the run; statuses: {seen['probe_statuses']}")
    elif seen["failures_seen"]:
        print(f"probe: first failure {seen['first_failure_s']:.2f} s after the restart began, 200 again "
              f"after {seen['back_s']:.2f} s (window {seen['window_s']:.2f} s); "
              f"statuses in the window: {seen['probe_statuses']}")
        print(f"recovery after the restart command returned: {seen['back_s'] - (restart_end - restart_start):.2f} s")
    else:
        print("probe: every probe answered 200 during the restart")


if __name__ == "__main__":
    main()
