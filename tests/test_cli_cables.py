"""``flask cables ...`` through the test runner and through the real ``flask`` command in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cableshare.store import Store

ROOT = Path(__file__).resolve().parents[1]
BROKEN_ROW = '"999","not a date","BROKEN1","Embassy Nowhere","SECRET"\n'


def flask(db_url: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real CLI, as an operator runs it."""
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", "cables", *args],
                          cwd=ROOT, env=cli_env(db_url), capture_output=True, text=True, timeout=timeout,
                          check=False)


def cli_env(db_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": "test-secret",
            "CABLESHARE_LOAD_SAMPLE_CORPUS": "false", "PYTHONPATH": str(ROOT)}


@pytest.fixture
def csv_dir(shared_dir) -> Path:
    return shared_dir / "cables" / "csv"


@pytest.fixture
def broken_csv(tmp_path, csv_dir) -> Path:
    """One real file with a broken row appended."""
    path = tmp_path / "broken.csv"
    path.write_text((csv_dir / "Embassy_Dublin.csv").read_text(encoding="utf-8") + BROKEN_ROW, encoding="utf-8")
    return path


def test_show_json_is_exactly_to_dict(runner, app):
    result = runner.invoke(args=["cables", "show", "07MOSCOW1143", "--json"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        cable = app.extensions["cableshare"].get_cable("07MOSCOW1143")
    assert json.loads(result.output) == cable.to_dict()


@pytest.mark.parametrize("ref, expected", [("07MOSCOW1143", "07MOSCOW1143"), ("07moscow1143", "07MOSCOW1143")])
def test_show_prints_cable_and_paragraphs(runner, ref, expected):
    result = runner.invoke(args=["cables", "show", ref])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(expected)
    assert "¶1 [par1]" in result.output


@pytest.mark.parametrize("args", [["show", "99NOWHERE1"], ["show", "99NOWHERE1", "--json"]])
def test_show_unknown_ref_fails_with_clear_message(runner, args):
    result = runner.invoke(args=["cables", *args])
    assert result.exit_code == 1
    assert "Error: No cable '99NOWHERE1' in the corpus." in result.output


@pytest.mark.parametrize("args, expected", [([], "cables: 1"), (["--json"], '"cables": 1')])
def test_stats(runner, args, expected):
    result = runner.invoke(args=["cables", "stats", *args])
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_import_through_runner_is_idempotent(runner, csv_dir):
    first = runner.invoke(args=["cables", "import", str(csv_dir)])
    assert first.exit_code == 0, first.output
    assert "new: 1320, updated: 0, unchanged: 0, failed: 0" in first.output
    second = runner.invoke(args=["cables", "import", str(csv_dir / "*.csv")])
    assert second.exit_code == 0, second.output
    assert "new: 0, updated: 0, unchanged: 1320, failed: 0" in second.output


def test_real_cli_import_show_stats(sqlite_url, csv_dir):
    result = flask(sqlite_url, "import", str(csv_dir))
    assert result.returncode == 0, result.stderr
    assert "new: 1320, updated: 0, unchanged: 0, failed: 0" in result.stdout
    shown = flask(sqlite_url, "show", "04TAIPEI3051", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == Store(sqlite_url).get_cable("04TAIPEI3051").to_dict()
    assert "cables: 1320" in flask(sqlite_url, "stats").stdout
    missing = flask(sqlite_url, "show", "99NOWHERE1")
    assert missing.returncode == 1
    assert "Error: No cable '99NOWHERE1' in the corpus." in missing.stderr


def test_real_cli_reports_broken_rows_and_exits_non_zero(db_url, broken_csv):
    result = flask(db_url, "import", str(broken_csv))
    assert result.returncode == 1
    assert "failed: 1" in result.stdout
    assert f"{broken_csv}:" in result.stderr
    store = Store(db_url)
    assert store.stats()["cables"] > 0  # the good rows were imported all the same
    store.close()


def test_runner_reports_broken_rows(runner, broken_csv):
    result = runner.invoke(args=["cables", "import", str(broken_csv)])
    assert result.exit_code == 1
    assert f"{broken_csv}:" in result.output


def test_sigkill_mid_import_leaves_corpus_intact(tmp_path, sqlite_url, csv_dir):
    """kill -9 in the middle of a big import: the database is exactly as before, and a re-run completes."""
    big = tmp_path / "big.csv"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "6000", "--out", str(big)],
                   check=True, capture_output=True)
    assert flask(sqlite_url, "import", str(csv_dir)).returncode == 0
    store = Store(sqlite_url)
    before = (store.corpus_version(), store.stats()["cables"], store.stats()["paragraphs"],
              store.search("summary").total)
    store.close()
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "cables", "import", str(big)],
                            cwd=ROOT, env=cli_env(sqlite_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = Path(sqlite_url.removeprefix("sqlite:///") + "-wal")
    deadline = time.monotonic() + 60
    while (not wal.exists() or wal.stat().st_size < 8_000_000) and proc.poll() is None:
        assert time.monotonic() < deadline, "import never got going"
        time.sleep(0.05)
    assert proc.poll() is None, "import finished before it could be killed; use a bigger file"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store(sqlite_url)
    assert (store.corpus_version(), store.stats()["cables"], store.stats()["paragraphs"],
            store.search("summary").total) == before
    with store.write_transaction() as conn:  # raises if the FTS index disagrees with its table
        conn.exec_driver_sql("INSERT INTO paragraphs_fts(paragraphs_fts) VALUES ('integrity-check')")
    store.close()
    rerun = flask(sqlite_url, "import", str(big))
    assert rerun.returncode == 0, rerun.stderr
    assert "failed: 0" in rerun.stdout
