"""Store: round trips, lookups, search, short codes and versions, on real SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

import pytest

from cableshare.model import Cable, Paragraph
from cableshare.schema import split_ref
from cableshare.shortcodes import short_code


def make_cable(ref: str = "07MOSCOW1143", *, n: int = 3, text: str = "Kosovo status talks",
               released: datetime | None = datetime(2011, 8, 30, 1, 44)) -> Cable:
    pars = tuple(
        Paragraph(number=str(i), anchor=f"par{i}", text=f"{text} paragraph {i} of {ref}",
                  marking="C" if i % 2 else None, heading="Heading Two" if i == 2 else None)
        for i in range(1, n + 1)
    )
    return Cable(
        ref_id=ref, created=datetime(2007, 3, 16, 13, 52), released=released,
        classification="CONFIDENTIAL", origin="Embassy Moscow", subject=f"SUBJECT OF {ref}",
        tags=("PREL", "RS"), references=("07MOSCOW1000", "06 REYKJAVIK 431"),
        header="O 161352Z MAR 07\nFM AMEMBASSY MOSCOW", body="\n".join(p.text for p in pars),
        paragraphs=pars,
    )


def test_schema_is_idempotent(store):
    store.create_schema()
    store.create_schema()
    assert store.is_empty()


@pytest.mark.parametrize("cable", [
    make_cable(),
    make_cable("06ASTANA", n=0, released=None),
    make_cable("08ECTION01OF02MANAMA492", n=12),
    replace(make_cable("10STATE1"), tags=(), references=(), header="", subject="“quotes” ¶ ünïcode"),
])
def test_round_trip_keeps_every_field_and_paragraph_order(store, cable):
    store.upsert([cable])
    assert store.get_cable(cable.ref_id) == cable
    assert store.get_cables([cable.ref_id, "99NOWHERE1"]) == {cable.ref_id: cable}
    assert not store.is_empty()


def test_paragraph_order_is_body_order_not_anchor_order(store):
    pars = tuple(Paragraph(number=n, anchor=f"par{n}", text=f"t{n}") for n in ("10", "2", "1"))
    cable = replace(make_cable(), paragraphs=pars)
    store.upsert([cable])
    assert [p.anchor for p in store.get_cable(cable.ref_id).paragraphs] == ["par10", "par2", "par1"]


def test_get_cables_and_existing_refs_in_bulk(store):
    refs = [f"07MOSCOW{i}" for i in range(1, 1201)]
    store.upsert(make_cable(r, n=1) for r in refs)
    wanted = refs[::3] + ["07MOSCOW999999"]
    assert store.existing_refs(wanted) == set(refs[::3])
    got = store.get_cables(wanted)
    assert set(got) == set(refs[::3])
    assert got["07MOSCOW4"].paragraphs[0].text.endswith("07MOSCOW4")


@pytest.mark.parametrize("query, expected", [
    ("07MOSCOW1143", "07MOSCOW1143"),
    ("07moscow1143", "07MOSCOW1143"),
    ("  07Moscow1143 ", "07MOSCOW1143"),
    ("06astana", "06ASTANA"),
    ("07MOSCOW114", None),
    ("", None),
])
def test_find_ref_is_case_insensitive_exact(store, query, expected):
    store.upsert([make_cable("07MOSCOW1143"), make_cable("06ASTANA")])
    assert store.find_ref(query) == expected
    assert store.get_cable(query.lower()) is None  # get_cable stays exact


@pytest.mark.parametrize("ref, parts", [
    ("07MOSCOW1143", (2007, "MOSCOW", 1143)),
    ("66BONN12", (1966, "BONN", 12)),
    ("06ASTANA", (2006, "ASTANA", None)),
    ("7575LIBREVILLE1895", (1975, "LIBREVILLE", 1895)),
    ("08ECTION01OF02MANAMA492", (2008, "MANAMA", 492)),
    ("90STATE255195TOSEC140301", (1990, "TOSEC", 140301)),
    ("ABC", (None, None, None)),
])
def test_split_ref_survives_malformed_ids(ref, parts):
    assert split_ref(ref) == parts


@pytest.mark.parametrize("kwargs, expected", [
    ({"serial": 1143}, ["07MOSCOW1143", "08PARIS1143"]),
    ({"serial": 1143, "station": "paris"}, ["08PARIS1143"]),
    ({"station": "MOSCOW"}, ["07MOSCOW1143", "07MOSCOW12", "08MOSCOW7"]),
    ({"station": "MOSCOW", "year": 2007}, ["07MOSCOW1143", "07MOSCOW12"]),
    ({"station": "ASTANA"}, ["06ASTANA"]),
    ({"station": "MANAMA", "serial": 492}, ["08ECTION01OF02MANAMA492"]),
    ({"station": "MOSCOW", "limit": 1}, ["07MOSCOW1143"]),
    ({}, []),
    ({"year": 2007}, []),
])
def test_candidate_refs(store, kwargs, expected):
    refs = ["07MOSCOW1143", "07MOSCOW12", "08MOSCOW7", "08PARIS1143", "06ASTANA",
            "08ECTION01OF02MANAMA492"]
    store.upsert(make_cable(r, n=1) for r in refs)
    assert store.candidate_refs(**kwargs) == expected


def test_short_codes_resolve_to_cable_and_paragraph(store):
    store.upsert([make_cable("07MOSCOW1143")])
    assert store.target_for_code(short_code("07MOSCOW1143")) == ("07MOSCOW1143", None)
    assert store.target_for_code(short_code("07MOSCOW1143", "par2")) == ("07MOSCOW1143", "par2")
    assert store.target_for_code("zzzz") is None


def test_shortened_url_insert_or_ignore_under_concurrency(store):
    url = "https://cableshare.test/cable/07MOSCOW1143#par2"
    assert store.shortened_url(url, "tinyurl") is None
    errors: list[BaseException] = []

    def remember(i: int) -> None:
        try:
            store.remember_shortened_url(url, "tinyurl", f"https://tinyurl.com/x{i}")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=remember, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.shortened_url(url, "tinyurl").startswith("https://tinyurl.com/x")
    assert store.shortened_url(url, "bitly") is None


def test_corpus_version_changes_only_on_change(store):
    v0 = store.corpus_version()
    store.upsert([make_cable()])
    v1 = store.corpus_version()
    store.upsert([make_cable()])
    assert store.corpus_version() == v1 != v0
    store.upsert([make_cable(text="Revised text")])
    assert store.corpus_version() != v1


def test_stats(store):
    store.upsert([make_cable("07MOSCOW1143", n=2), replace(make_cable("08PARIS1", n=1), classification="SECRET")])
    stats = store.stats()
    assert stats["cables"] == 2 and stats["paragraphs"] == 3
    assert stats["by_classification"] == {"CONFIDENTIAL": 1, "SECRET": 1}
    assert stats["first_created"] == "2007-03-16T13:52"
    assert stats["corpus_version"] == store.corpus_version()


def test_servers_starting_at_once_on_an_empty_postgresql_schema_all_start(pg_url):
    """Several app servers started together on a new database each create the schema; without
    a lock their concurrent CREATE TABLEs collide (duplicate key in pg_type)."""
    from cableshare.store import Store

    stores = [Store(pg_url) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def start(store: Store) -> None:
        barrier.wait()
        try:
            store.create_schema()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert errors == []
        assert all(s.is_empty() for s in stores)
        assert len({s.corpus_version() for s in stores}) == 1
    finally:
        for s in stores:
            s.close()


def test_a_read_only_sqlite_database_with_its_schema_still_serves(tmp_path):
    """Start-up only reads a complete schema, so a read-only copy of a corpus opens and answers."""
    from cableshare.store import Store

    writable = Store(f"sqlite:///{tmp_path / 'c.db'}")
    writable.create_schema()
    writable.upsert([make_cable()])
    writable.close()
    read_only = Store(f"sqlite:///file:{tmp_path / 'c.db'}?mode=ro&uri=true")
    try:
        read_only.create_schema()
        assert read_only.get_cable("07MOSCOW1143") == make_cable()
    finally:
        read_only.close()
