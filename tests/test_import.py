"""Importer: idempotent, newer replaces older, failures reported, and all-or-nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from cableshare.importer import import_cables
from cableshare.model import Paragraph
from tests.test_store import make_cable

REFS = [f"07MOSCOW{i}" for i in range(1, 36)]


class FakeParseError:
    """What the parser yields for a row it cannot read: str() is ``path:line: message``."""

    def __init__(self, source: str, line: int, message: str):
        self.source, self.line, self.message = source, line, message

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


def snapshot(store) -> tuple:
    """Everything a reader can see of the corpus."""
    return (store.corpus_version(), store.stats()["cables"], store.stats()["paragraphs"],
            store.get_cables(REFS + ["08PARIS1"]), [h.ref_id for h in store.search("status", per_page=100).hits])


def test_second_import_changes_nothing(store):
    first = import_cables(store, (make_cable(r) for r in REFS), batch_size=10)
    assert (first.new, first.updated, first.unchanged, first.failed) == (35, 0, 0, 0)
    version = store.corpus_version()
    second = import_cables(store, (make_cable(r) for r in REFS), batch_size=10)
    assert (second.new, second.updated, second.unchanged, second.failed) == (0, 0, 35, 0)
    assert store.corpus_version() == version == second.corpus_version


def test_changed_cable_replaces_stored_one_and_its_index(store):
    import_cables(store, [make_cable("07MOSCOW1", text="Kosovo status talks")])
    changed = replace(make_cable("07MOSCOW1", n=2, text="Olive harvest"), subject="NEW SUBJECT")
    summary = import_cables(store, [changed])
    assert (summary.new, summary.updated, summary.unchanged) == (0, 1, 0)
    assert store.get_cable("07MOSCOW1") == changed
    assert store.search("kosovo").total == 0
    assert store.search("olive").total == 2


@pytest.mark.parametrize("stored, incoming, kept", [
    (datetime(2010, 11, 28), datetime(2011, 8, 30), "incoming"),
    (datetime(2011, 8, 30), datetime(2010, 11, 28), "stored"),
    (None, datetime(2010, 11, 28), "incoming"),
    (datetime(2011, 8, 30), None, "incoming"),
])
def test_older_release_never_overwrites_newer(store, stored, incoming, kept):
    old = make_cable("07MOSCOW1", text="first", released=stored)
    new = make_cable("07MOSCOW1", text="second", released=incoming)
    import_cables(store, [old])
    import_cables(store, [new])
    assert store.get_cable("07MOSCOW1") == (new if kept == "incoming" else old)


def test_same_ref_twice_in_one_input_later_wins(store):
    summary = import_cables(store, [make_cable("07MOSCOW1", text="first"), make_cable("07MOSCOW2"),
                                    make_cable("07MOSCOW1", text="second")])
    assert (summary.new, summary.updated) == (2, 1)
    assert store.get_cable("07MOSCOW1").paragraphs[0].text.startswith("second")


def test_broken_rows_are_reported_and_the_import_carries_on(store):
    dupes = replace(make_cable("07MOSCOW3"), paragraphs=(Paragraph("1", "par1", "a"), Paragraph("1", "par1", "b")))
    items = [make_cable("07MOSCOW1"), FakeParseError("cables.csv", 17, "row has 7 fields, expected 8"),
             dupes, make_cable("07MOSCOW2"), "not a cable at all"]
    progress: list[int] = []
    summary = import_cables(store, items, progress=lambda s: progress.append(s.done))
    assert (summary.new, summary.failed) == (2, 3)
    assert summary.errors == ["cables.csv:17: row has 7 fields, expected 8",
                              "07MOSCOW3: duplicate paragraph anchor(s) par1", "not a cable at all"]
    assert store.existing_refs(["07MOSCOW1", "07MOSCOW2", "07MOSCOW3"]) == {"07MOSCOW1", "07MOSCOW2"}
    assert progress and progress[-1] == 5


def interrupted(exc: BaseException, after: int):
    """New and changed cables, then ``exc`` midway through the input."""
    for i, ref in enumerate(REFS):
        if i == after:
            raise exc
        yield make_cable(ref, text="changed text")
    yield make_cable("08PARIS1")


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), OSError("disk went away"), RuntimeError("parser bug")])
@pytest.mark.parametrize("after", [0, 5, 25])
def test_interrupted_import_leaves_corpus_exactly_as_before(store, exc, after):
    import_cables(store, (make_cable(r) for r in REFS[:20]), batch_size=10)
    before = snapshot(store)
    with pytest.raises(type(exc)):
        import_cables(store, interrupted(exc, after), batch_size=10)
    assert snapshot(store) == before
    rerun = import_cables(store, (make_cable(r, text="changed text") for r in REFS), batch_size=10)
    assert (rerun.new, rerun.updated) == (15, 20)


def test_readers_see_the_old_corpus_until_commit(store):
    import_cables(store, [make_cable("07MOSCOW1")])
    seen: list[tuple] = []

    def items():
        yield make_cable("07MOSCOW1", text="changed")
        for ref in REFS[1:30]:
            yield make_cable(ref)
        seen.append((store.get_cable("07MOSCOW1").paragraphs[0].text, store.existing_refs(REFS)))

    import_cables(store, items(), batch_size=5)
    assert seen == [(make_cable("07MOSCOW1").paragraphs[0].text, {"07MOSCOW1"})]
    assert store.get_cable("07MOSCOW1").paragraphs[0].text.startswith("changed")


def csv_row(ref: str, number: int) -> str:
    """One cables.csv row in the release's dialect (``\\"`` escapes, multi-line fields)."""
    return (f'"{number}","4/9/2004 6:06","{ref}","Embassy Vilnius","UNCLASSIFIED","04VILNIUS1",'
            f'"header\n","UNCLAS VILNIUS 000395 \n \nSUBJECT: ROW {number} \n \n1. (U) MFA\\\'S \\"VIEW\\" '
            f'on status. \n \n2. (C) Second {ref}. \n"\n')


@pytest.fixture
def big_csv(tmp_path, monkeypatch):
    """A cables.csv of several chunks (chunks made tiny), with a broken row in the middle."""
    from cableshare.parse import csvrows

    monkeypatch.setattr(csvrows, "CHUNK_ROWS", 3)
    rows = [csv_row(f"04VILNIUS{i}", i) for i in range(1, 15)]
    rows.insert(7, '"99","2/3/2004 1:02","04X1"\n')
    path = tmp_path / "cables.csv"
    path.write_text("".join(rows), encoding="utf-8")
    return path


def test_rows_parsed_in_workers_come_back_in_order_with_their_lines(big_csv):
    from cableshare.parse import ParseError, read_sources
    from cableshare.parse.csvrows import parse_rows, raw_rows

    with big_csv.open(newline="", encoding="utf-8") as fh:
        serial = parse_rows(list(raw_rows(fh, str(big_csv))), str(big_csv))
    parallel = list(read_sources([big_csv]))
    assert [str(x) if isinstance(x, ParseError) else x for x in parallel] == \
        [str(x) if isinstance(x, ParseError) else x for x in serial]
    errors = [x for x in parallel if isinstance(x, ParseError)]
    assert [str(e) for e in errors] == [f"{big_csv}:64: row has 3 fields, expected 8"]
    assert [c.ref_id for c in parallel if not isinstance(c, ParseError)] == [f"04VILNIUS{i}" for i in range(1, 15)]


def test_import_of_a_file_parsed_in_workers(store, big_csv):
    from cableshare.parse import read_sources

    summary = import_cables(store, read_sources([big_csv]), batch_size=4)
    assert (summary.new, summary.failed, summary.errors) == (14, 1, [f"{big_csv}:64: row has 3 fields, expected 8"])
    assert store.search("status").total == 14
    again = import_cables(store, read_sources([big_csv]), batch_size=4)
    assert (again.new, again.unchanged, again.failed) == (0, 14, 1)


def test_stopping_early_shuts_the_workers_down(big_csv):
    import multiprocessing

    from cableshare.parse import read_sources

    items = read_sources([big_csv])
    first = next(items)
    items.close()
    assert first.ref_id == "04VILNIUS1"
    assert multiprocessing.active_children() == []


def test_import_gives_back_the_fts_buffer_setting(sqlite_url):
    from cableshare.store import Store

    store = Store(sqlite_url)
    store.create_schema()
    import_cables(store, (make_cable(r) for r in REFS), batch_size=10)
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT v FROM paragraphs_fts_config WHERE k = 'hashsize'").scalar() == 1024 * 1024
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -2000
    store.close()


def test_a_big_import_into_postgresql_is_vacuumed_after_it_commits(pg_url):
    """So the search index's pending entries are merged before readers search them."""
    import sqlalchemy as sa

    from cableshare.importer import ANALYZE_AFTER
    from cableshare.store import Store

    store = Store(pg_url)
    store.create_schema()
    vacuums = sa.text("SELECT vacuum_count FROM pg_stat_user_tables "
                      "WHERE relname = 'paragraphs' AND schemaname = current_schema()")
    try:
        store.upsert(make_cable(f"07MOSCOW{i}", n=1) for i in range(1, ANALYZE_AFTER // 2))
        with store.read() as conn:
            assert conn.execute(vacuums).scalar() == 0  # a small import leaves it to autovacuum
        summary = store.upsert(make_cable(f"08MOSCOW{i}", n=2) for i in range(1, ANALYZE_AFTER + 1))
        assert summary.new == ANALYZE_AFTER and summary.errors == []
        with store.read() as conn:
            assert conn.execute(vacuums).scalar() == 1
        assert store.search("Kosovo").total > 0
    finally:
        store.close()
