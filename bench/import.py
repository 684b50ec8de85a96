"""Import throughput against raw ``csv.reader`` on the same file; figures printed, never asserted.

    python bench/import.py bench/out/cables.csv [--db postgresql+psycopg://postgres@127.0.0.1:5432/test]
        [--sqlite bench/out/bench.db] [--keep]

Each measured phase (parse only, import into SQLite, import into PostgreSQL) runs in a child
process so its peak RSS (``ru_maxrss``) is its own; the parse workers it starts are reported
apart (``workers RSS``: the largest one). ``cpu`` is user+system seconds of the phase and its
workers: on a shared machine it moves less than wall time, and it says where the cores went.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def raw_csv(path: Path) -> tuple[float, float, int]:
    """Seconds (wall, CPU) and rows for csv.reader over the file: the floor any importer is
    measured against."""
    csv.field_size_limit(1 << 30)
    start, cpu = time.perf_counter(), time.process_time()
    with path.open(newline="", encoding="utf-8") as fh:
        rows = sum(1 for _ in csv.reader(fh, escapechar="\\", doublequote=False))
    return time.perf_counter() - start, time.process_time() - cpu, rows


def child(mode: str, path: str, url: str | None) -> dict:
    """Runs in the child process: parse only, or a full import into ``url``."""
    sys.path.insert(0, str(ROOT))
    from cableshare.importer import import_cables
    from cableshare.parse import read_sources
    from cableshare.store import Store

    start = time.perf_counter()
    if mode == "parse":
        counts = {"cables": sum(1 for _ in read_sources([path]))}
    else:
        store = Store(url)
        store.create_schema()
        summary = import_cables(store, read_sources([path]))
        counts = {"cables": summary.done, "new": summary.new, "updated": summary.updated,
                  "unchanged": summary.unchanged, "failed": summary.failed}
        store.close()
    counts["seconds"] = time.perf_counter() - start
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    counts["cpu"] = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    counts["max_rss_mb"] = own.ru_maxrss / 1024
    counts["workers_rss_mb"] = workers.ru_maxrss / 1024
    return counts


def run_child(mode: str, path: Path, url: str | None) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, str(path)] + (["--db", url] if url else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(label: str, result: dict, size: int, raw_mbs: float) -> None:
    mbs = size / 1e6 / result["seconds"]
    print(f"{label:<18} {result['seconds']:8.1f} s  {result['cables'] / result['seconds']:9,.0f} cables/s  "
          f"{mbs:7.1f} MB/s  ratio {mbs / raw_mbs:5.2f}  cpu {result.get('cpu', 0):7.1f} s  "
          f"peak RSS {result['max_rss_mb']:6.0f} MB (workers {result.get('workers_rss_mb', 0):4.0f} MB)  "
          + " ".join(f"{k}={v}" for k, v in result.items() if k in ("new", "updated", "unchanged", "failed")))


def bench_sqlite(path: Path, db: Path, size: int, raw_mbs: float) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{db}"
    report("import sqlite", run_child("import", path, url), size, raw_mbs)
    print(f"{'':<18} sqlite file {os.path.getsize(db) / 1e6:,.0f} MB ({url})")
    report("re-import sqlite", run_child("import", path, url), size, raw_mbs)


def pg_schema_url(server: str) -> tuple[str, str]:
    import sqlalchemy as sa

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(server)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in server else "?"
    return schema, f"{server}{sep}options=-csearch_path%3D{schema}"


def drop_pg_schema(server: str, schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(server)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--db", help="also import into this PostgreSQL server (a fresh schema)")
    parser.add_argument("--sqlite", type=Path, default=ROOT / "bench" / "out" / "bench.db")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema for bench/lookup.py")
    parser.add_argument("--skip-sqlite", action="store_true", help="measure PostgreSQL only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, str(args.path), args.db)))
        return
    size = args.path.stat().st_size
    raw_s, raw_cpu, rows = raw_csv(args.path)
    raw_mbs = size / 1e6 / raw_s
    print(f"file {args.path}: {size / 1e6:,.1f} MB, {rows:,} rows; load average {os.getloadavg()[0]:.1f}")
    print(f"{'raw csv.reader':<18} {raw_s:8.1f} s  {rows / raw_s:9,.0f} rows/s    {raw_mbs:7.1f} MB/s"
          f"              cpu {raw_cpu:7.1f} s")
    report("parse only", run_child("parse", args.path, None), size, raw_mbs)
    if not args.skip_sqlite:
        bench_sqlite(args.path, args.sqlite, size, raw_mbs)
    if args.db:
        schema, url = pg_schema_url(args.db)
        try:
            report("import postgresql", run_child("import", args.path, url), size, raw_mbs)
            report("re-import pg", run_child("import", args.path, url), size, raw_mbs)
        finally:
            if args.keep:
                print(f"kept PostgreSQL corpus: {url}")
            else:
                drop_pg_schema(args.db, schema)


if __name__ == "__main__":
    main()
