"""Import faults with the real CLI: ``flask cables import`` killed with SIGKILL at several points of
reading its input (and right at the end, while it commits), a read-only database, a full disk.

Each time the corpus that was there before is intact (same cables, same version, same search,
``PRAGMA integrity_check`` ok) and a re-run completes the import. The kill points are positions in
the input file, read from ``/proc/<pid>/fdinfo``, so where the import dies does not depend on
timing; the corpus is generated here, so the test needs nothing from ../shared.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from cableshare.store import Store

ROOT = Path(__file__).resolve().parents[1]
N = 600  # cables in each half of the corpus
MARK = "harvestmoon"  # a word only the second import's cables contain
WORDS = ["russia", "kosovo", "status", "talks", "embassy", "minister", "visit", "plan", "oil"]
#: Where to kill, as fractions of the input read: seeded, so every run kills at the same places.
_RNG = random.Random(6)
FRACTIONS = [0.0, *sorted(round(_RNG.uniform(0.02, 0.98), 3) for _ in range(3)), 1.0]

pytestmark = pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs Linux /proc")


def write_corpus(path: Path, first: int, count: int, mark: str = "") -> Path:
    """``count`` cables in the release's cables.csv dialect, five paragraphs each."""
    rng = random.Random(first)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, escapechar="\\", doublequote=False,
                            lineterminator="\n")
        for i in range(first, first + count):
            pars = "\n\n".join(f"{k}. (C) {mark if k == 1 else ''} "
                               + " ".join(rng.choice(WORDS) for _ in range(50)) for k in range(1, 6))
            body = f"C O N F I D E N T I A L GENVILLE {i:06d}\n\nSUBJECT: GENERATED {i}\n\n{pars}\n"
            writer.writerow([str(i), "3/16/2007 13:52", f"07GENVILLE{i}", "Embassy Genville",
                             "CONFIDENTIAL", "", "R 161352Z MAR 07\n", body])
    return path


def cli(db: Path, *args: str, db_url: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "SECRET_KEY": "kill-test", "DATABASE_URL": db_url or f"sqlite:///{db}",
           "CABLESHARE_LOAD_SAMPLE_CORPUS": "false", "PYTHONUNBUFFERED": "1"}
    env.pop("FLASK_DEBUG", None)
    # A session of its own: the parse workers it forks can be found, and cleaned up, as its group.
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "cables", *args], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def run(db: Path, *args: str, **kwargs) -> tuple[int, str, str]:
    proc = cli(db, *args, **kwargs)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def snapshot(db: Path) -> tuple:
    """What readers see (counts, content, search, version) and SQLite's own integrity verdict."""
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    store = Store(f"sqlite:///{db}")
    try:
        with store.read() as conn:
            rows = conn.execute(sa.text("SELECT ref_id, body FROM cables ORDER BY ref_id")).all()
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        stats = store.stats()
        return (integrity, stats["cables"], stats["paragraphs"], digest, store.search(MARK).total,
                store.corpus_version())
    finally:
        store.close()


def without_version(snap: tuple) -> tuple:
    return snap[:-1]


def copy_db(src: Path, dst_dir: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{src}{suffix}").exists():
            shutil.copy2(f"{src}{suffix}", dst_dir / f"corpus.db{suffix}")
    return dst_dir / "corpus.db"


def read_position(pid: int, path: Path) -> int | None:
    """How far process ``pid`` has read ``path`` (its open file's offset), or None if not open."""
    fds = f"/proc/{pid}/fd"
    try:
        names = os.listdir(fds)
    except OSError:
        return None
    for fd in names:
        try:
            if os.readlink(f"{fds}/{fd}") != str(path):
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                return next(int(line.split()[1]) for line in info if line.startswith("pos:"))
        except (OSError, StopIteration, ValueError):
            continue
    return None


def kill_when_read(proc: subprocess.Popen, path: Path, fraction: float) -> bool:
    """SIGKILL the import (its main process, as ``kill -9 <pid>`` does) once ``fraction`` of
    ``path`` was read (0.0: at once); True if it was killed. Leftover workers are then reaped."""
    target = int(path.stat().st_size * fraction)
    while proc.poll() is None:
        position = read_position(proc.pid, path) if fraction else 0
        if position is not None and position >= target:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    proc.wait(timeout=60)
    reap(proc)
    return proc.returncode == -signal.SIGKILL


def survivors(proc: subprocess.Popen) -> list[int]:
    """Processes still alive in the import's process group (its forked parse workers)."""
    alive = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.getpgid(int(name)) == proc.pid and int(name) != proc.pid:
                    alive.append(int(name))
            except OSError:
                continue
    return alive


def reap(proc: subprocess.Popen) -> None:
    """Kill whatever is left of the import's group and collect its output (no leaked process)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate(timeout=60)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The base corpus (first half, imported), the second import's input, and what it ends as."""
    tmp = tmp_path_factory.mktemp("kill")
    first = write_corpus(tmp / "first.csv", 1, N)
    second = tmp / "second.csv"  # the first half changed, plus a second half that is new
    with second.open("w", encoding="utf-8") as out:
        for part in (write_corpus(tmp / "a.csv", 1, N, MARK), write_corpus(tmp / "b.csv", N + 1, N, MARK)):
            out.write(part.read_text(encoding="utf-8"))
    base = tmp / "base" / "corpus.db"
    base.parent.mkdir()
    code, out, err = run(base, "import", str(first))
    assert code == 0 and f"new: {N}," in out, err
    (tmp / "ref").mkdir()
    reference = copy_db(base, tmp / "ref")
    code, out, err = run(reference, "import", str(second))
    assert code == 0 and f"new: {N}, updated: {N}," in out, err
    return {"base": base, "second": second.resolve(), "before": snapshot(base),
            "complete": without_version(snapshot(reference))}


@pytest.mark.parametrize("fraction", FRACTIONS)
def test_sigkill_leaves_the_corpus_intact_and_a_rerun_completes(corpus, tmp_path, fraction):
    db = copy_db(corpus["base"], tmp_path)
    killed = kill_when_read(cli(db, "import", str(corpus["second"])), corpus["second"], fraction)
    after_kill = snapshot(db)
    assert after_kill[0] == "ok"
    if fraction < 1.0:
        assert killed, "the import finished before the kill point"
        assert after_kill == corpus["before"]
    else:  # killed while committing (or just after): all or nothing, never half
        assert after_kill == corpus["before"] or without_version(after_kill) == corpus["complete"]
    code, _, err = run(db, "import", str(corpus["second"]))
    assert code == 0, err
    assert without_version(snapshot(db)) == corpus["complete"]


def test_no_worker_outlives_a_killed_import(corpus, tmp_path):
    """``kill -9`` of the importing process: its forked parse workers notice and exit too."""
    db = copy_db(corpus["base"], tmp_path)
    proc = cli(db, "import", str(corpus["second"]))
    try:
        while proc.poll() is None and (read_position(proc.pid, corpus["second"]) or 0) < \
                corpus["second"].stat().st_size // 2:
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        for _ in range(300):  # up to ~3 s for the workers to notice and exit
            if not survivors(proc):
                break
            time.sleep(0.01)
        assert survivors(proc) == []
    finally:
        reap(proc)


def test_read_only_database_is_refused_and_left_intact(corpus, tmp_path):
    db = copy_db(corpus["base"], tmp_path)
    code, _, err = run(db, "import", str(corpus["second"]), db_url=f"sqlite:///file:{db}?mode=ro&uri=true")
    assert code != 0
    assert "readonly database" in err
    assert snapshot(db) == corpus["before"]


def test_read_only_database_error_is_one_clear_line(corpus, tmp_path):
    db = copy_db(corpus["base"], tmp_path)
    _, _, err = run(db, "import", str(corpus["second"]), db_url=f"sqlite:///file:{db}?mode=ro&uri=true")
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        "Error: Import failed, nothing was changed: database error: attempt to write a readonly database"]


def _full_disk_app(db: Path, spare_pages: int):
    """The app on ``db`` whose connections may grow the file by ``spare_pages`` pages only
    (``PRAGMA max_page_count``: SQLite's own "database or disk is full", portably)."""
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": f"sqlite:///{db}",
                      "LOAD_SAMPLE_CORPUS": False, "RATELIMIT_ENABLED": False})
    engine = app.extensions["cableshare"].engine

    def cap(dbapi_conn, _record) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + spare_pages}")

    engine.dispose()
    sa.event.listen(engine, "connect", cap)
    return app, lambda: (sa.event.remove(engine, "connect", cap), engine.dispose())


def test_full_disk_fails_the_import_and_a_rerun_completes(corpus, tmp_path):
    db = copy_db(corpus["base"], tmp_path)
    app, lift = _full_disk_app(db, spare_pages=20)
    result = app.test_cli_runner().invoke(args=["cables", "import", str(corpus["second"])])
    assert result.exit_code != 0
    app.extensions["cableshare"].close()
    assert snapshot(db)[0] == "ok"
    lift()
    result = app.test_cli_runner().invoke(args=["cables", "import", str(corpus["second"])])
    assert result.exit_code == 0, result.output
    app.extensions["cableshare"].close()
    assert without_version(snapshot(db)) == corpus["complete"]


def test_full_disk_leaves_the_corpus_as_it_was(corpus, tmp_path):
    db = copy_db(corpus["base"], tmp_path)
    app, _ = _full_disk_app(db, spare_pages=20)
    app.test_cli_runner().invoke(args=["cables", "import", str(corpus["second"])])
    app.extensions["cableshare"].close()
    assert snapshot(db) == corpus["before"]


def test_full_disk_error_says_so(corpus, tmp_path):
    db = copy_db(corpus["base"], tmp_path)
    app, _ = _full_disk_app(db, spare_pages=20)
    result = app.test_cli_runner().invoke(args=["cables", "import", str(corpus["second"])])
    app.extensions["cableshare"].close()
    text = f"{result.output} {result.exception}"
    assert "database or disk is full" in text and "no such savepoint" not in text
    assert "new: 0" in text or "new:" not in text


def test_full_disk_on_the_web_is_a_503_not_a_500(corpus, tmp_path):
    """A write from a request (remembering a short URL) on a full disk: the error shape, 503."""
    db = copy_db(corpus["base"], tmp_path)
    app, lift = _full_disk_app(db, spare_pages=0)
    store = app.extensions["cableshare"]
    app.add_url_rule("/api/v1/probe-write", "probe_write", lambda: store.remember_shortened_url(
        "https://cableshare.test/" + "x" * 5000, "isgd", "https://is.gd/x") or "written")
    response = app.test_client().get("/api/v1/probe-write")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "database_unavailable"
    lift()
    assert app.test_client().get("/api/v1/probe-write").status_code == 200
    store.close()
