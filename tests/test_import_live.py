"""An import into PostgreSQL while a real app server answers: readers see the old corpus, then the
new one, never an error and never a cable with only some of its new paragraphs.

The new corpus is every cable of ``../shared/cables/csv`` (the "more cables"), in which a few cables
already served get one paragraph more; their paragraph count tells which version a reader saw.
"""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path

import pytest

from cableshare.parse import read_sources
from cableshare.parse.csvrows import row_to_cable
from tests.conftest import PG_SERVER
from tests.liveserver import Answer, AppServer, app_env, pg_reachable, run_cli
from webapp.http_cache import DEFAULT_VERSION_TTL

WATCHED = 4
EXTRA = "\n\n99. (U) Added by the live-import test, so this version has one paragraph more.\n"
_DIALECT = {"escapechar": "\\", "doublequote": False}


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [row for row in csv.reader(fh, strict=False, **_DIALECT) if row]


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL, **_DIALECT).writerows(rows)
    return path


def paragraph_counts(path: Path) -> dict[str, int]:
    """Per ref, the paragraph count the app's own parser finds in ``path``."""
    return {c.ref_id: len(c.paragraphs) for c in read_sources([path]) if hasattr(c, "paragraphs")}


@pytest.fixture
def corpora(shared_dir, tmp_path) -> tuple[Path, Path, list[str]]:
    """(old.csv, new.csv, watched refs): old holds the watched cables as released, new holds
    the whole shared CSV corpus with the watched cables' bodies grown by one paragraph."""
    files = sorted((shared_dir / "cables" / "csv").glob("*.csv"))
    if not files:
        pytest.skip("../shared/cables/csv holds no CSV files")
    rows = [row for path in files for row in read_rows(path)]
    watched = [row for row in rows if _grows(row)][:WATCHED]
    grown = {row[2] for row in watched}
    new_rows = [[*row[:7], row[7] + EXTRA] if row[2] in grown else row for row in rows]
    return (write_rows(tmp_path / "old.csv", watched), write_rows(tmp_path / "new.csv", new_rows),
            [row[2].strip() for row in watched])


def _grows(row: list[str]) -> bool:
    """Whether the extra paragraph makes a cable one paragraph longer (not so where the body has
    no numbered paragraphs to begin with)."""
    before = len(row_to_cable(row, "old", 1).paragraphs)
    return before > 0 and len(row_to_cable([*row[:7], row[7] + EXTRA], "new", 1).paragraphs) == before + 1


class Reader(threading.Thread):
    """Asks for the watched cables and their share results in a loop, keeping every answer."""

    def __init__(self, server: AppServer, refs: list[str]):
        super().__init__(daemon=True)
        self.server, self.refs = server, refs
        self.answers: list[tuple[str, str, Answer]] = []
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        while not self.stop.is_set():
            for ref in self.refs:
                for kind, path in (("cable", f"/api/v1/cables/{ref}"), ("share", f"/api/v1/share?ref={ref}&par=1")):
                    answer = self.server.get(path)
                    with self.progress:
                        self.answers.append((kind, ref, answer))
                        self.progress.notify_all()

    def wait_for(self, count: int) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: len(self.answers) >= count, timeout=120), "reader stalled"


def test_readers_see_old_then_new_never_half(pg_url, corpora):
    if not pg_reachable(PG_SERVER):
        pytest.skip("PostgreSQL is not reachable")
    old_csv, new_csv, refs = corpora
    old, new = paragraph_counts(old_csv), paragraph_counts(new_csv)
    assert all(new[ref] == old[ref] + 1 for ref in refs), "each watched cable must grow by one paragraph"
    env = app_env(pg_url, CABLESHARE_RATELIMIT_ENABLED="false", CABLESHARE_LOAD_SAMPLE_CORPUS="false")
    assert run_cli(env, "cables", "import", str(old_csv)).returncode == 0

    with AppServer(env) as server:
        reader = Reader(server, refs)
        reader.start()
        try:
            reader.wait_for(4 * len(refs))
            before = len(reader.answers)
            done = run_cli(env, "cables", "import", str(new_csv))
            during = len(reader.answers) - before  # answered while the import process ran
            time.sleep(DEFAULT_VERSION_TTL)  # a worker sees the new version within that (http_cache)
            reader.wait_for(len(reader.answers) + 4 * len(refs))
        finally:
            reader.stop.set()
            reader.join(timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"updated: {len(refs)}," in done.stdout

    assert [(kind, ref, a.status) for kind, ref, a in reader.answers if a.status != 200] == []
    versions = []
    for kind, ref, answer in reader.answers:
        if kind == "cable":
            count = len(answer.json()["paragraphs"])
            assert count in (old[ref], new[ref]), f"{ref}: {count} paragraphs is neither version"
            versions.append(count == new[ref])
    # Old, then new, for every cable at once: the import is one transaction.
    assert versions == sorted(versions)
    assert versions[0] is False and versions[-1] is True
    assert before >= 4 * len(refs) and during > 0
