"""Full-text search on both backends: hits, highlights, pagination, and input that must never raise."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cableshare.fulltext import fragments, query_words
from cableshare.model import Paragraph
from tests.test_store import make_cable

HOSTILE = ['"', "*", "NEAR(", "-", ":", "'", "\\", "", "   ", 'NEAR("a" "b", 2)', "a AND OR NOT",
           "col:text", "^start", "(((", "'; DROP TABLE cables; --", "!!&|", "\x00", "a*b*", "-kosovo"]


@pytest.fixture
def corpus(store):
    cables = [
        replace(make_cable("07MOSCOW1143"), paragraphs=(
            Paragraph("1", "par1", "The Ahtisaari plan was unacceptable to Moscow."),
            Paragraph("2", "par2", "Serbs remained united in their opposition to the plan."),
        )),
        replace(make_cable("08PARIS1"), paragraphs=(
            Paragraph("1", "par1", "Paris discussed the Kosovo plan & <b>other</b> matters."),
        )),
    ] + [replace(make_cable(f"09ROME{i}"), paragraphs=(Paragraph("1", "par1", f"Olive harvest report {i}."),))
         for i in range(25)]
    store.upsert(cables)
    return store


def test_hits_carry_cable_facts_and_highlights(corpus):
    page = corpus.search("ahtisaari")
    assert page.total == 1
    (hit,) = page.hits
    assert (hit.ref_id, hit.anchor, hit.number, hit.origin) == ("07MOSCOW1143", "par1", "1", "Embassy Moscow")
    assert hit.subject == "SUBJECT OF 07MOSCOW1143"
    assert hit.created.year == 2007
    assert ("Ahtisaari", True) in hit.fragments
    assert "".join(text for text, _ in hit.fragments) == "The Ahtisaari plan was unacceptable to Moscow."


def test_words_are_anded_and_stemmed(corpus):
    assert {(h.ref_id, h.anchor) for h in corpus.search("plan").hits} == {
        ("07MOSCOW1143", "par1"), ("07MOSCOW1143", "par2"), ("08PARIS1", "par1")}
    assert [h.ref_id for h in corpus.search("kosovo plans").hits] == ["08PARIS1"]


def test_markup_in_text_comes_back_as_plain_text(corpus):
    (hit,) = corpus.search("paris").hits
    assert any("<b>other</b>" in text for text, _ in hit.fragments)


@pytest.mark.parametrize("page, per_page, count", [(1, 10, 10), (2, 10, 10), (3, 10, 5), (4, 10, 0), (1, 100, 25)])
def test_pagination(corpus, page, per_page, count):
    result = corpus.search("olive harvest", page=page, per_page=per_page)
    assert result.total == 25
    assert len(result.hits) == count
    assert result.pages == (25 + per_page - 1) // per_page


def test_pages_do_not_overlap(corpus):
    seen = [h.ref_id for p in (1, 2, 3) for h in corpus.search("olive", page=p, per_page=10).hits]
    assert len(seen) == len(set(seen)) == 25


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(corpus, query):
    result = corpus.search(query)
    assert result.total == len(result.hits) or result.total > len(result.hits)


@pytest.mark.parametrize("query", ["", "  ", "*", '"', "-:"])
def test_empty_query_is_an_empty_page(corpus, query):
    result = corpus.search(query)
    assert (result.total, result.hits) == (0, [])


def test_operators_are_plain_words(corpus):
    assert [h.ref_id for h in corpus.search('"ahtisaari" NEAR(').hits] == []
    assert [h.ref_id for h in corpus.search('ahtisaari*').hits] == ["07MOSCOW1143"]


@pytest.mark.parametrize("page, per_page", [(0, 20), (-5, 0), (10**9, 10**9)])
def test_bad_paging_is_clamped(corpus, page, per_page):
    corpus.search("olive", page=page, per_page=per_page)


@pytest.mark.parametrize("raw, words", [("a-b c:d", ["a", "b", "c", "d"]), ("NEAR(x", ["NEAR", "x"]), ("", [])])
def test_query_words(raw, words):
    assert query_words(raw) == words


@pytest.mark.parametrize("marked, expected", [
    ("a \ue000b\ue001 c", (("a ", False), ("b", True), (" c", False))),
    ("\ue000x\ue001\ue000y\ue001", (("x", True), ("y", True))),
    ("plain", (("plain", False),)),
    ("stray \ue001 marker", (("stray  marker", False),)),
])
def test_fragments(marked, expected):
    assert fragments(marked) == expected


def test_very_common_words_are_capped_not_ranked(corpus, monkeypatch):
    monkeypatch.setattr("cableshare.fulltext.COUNT_CAP", 10)
    page = corpus.search("olive", per_page=4)
    assert (page.total, page.total_is_exact, len(page.hits)) == (10, False, 4)
    seen = [h.ref_id for p in (1, 2, 3, 4) for h in corpus.search("olive", page=p, per_page=4).hits]
    assert len(seen) == len(set(seen)) == 16
    assert corpus.search("ahtisaari").total_is_exact
