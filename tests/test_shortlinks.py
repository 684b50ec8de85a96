"""External shortening: only our URLs go out, only service URLs come back, failures fall back,
the breaker opens. ``responses`` stands in for the network: no test touches it."""

from __future__ import annotations

import time

import pytest
import requests
import responses
from sharefakes import FakeStore, make_cable

from cableshare import shortlinks as sl
from cableshare.errors import UnknownShortLink
from cableshare.shortcodes import short_code

BASE = "https://cableshare.test"
LONG = f"{BASE}/cable/2007/03/07MOSCOW1143.html#par5"
ISGD = "https://is.gd/create.php"


@pytest.fixture(autouse=True)
def fresh_breakers():
    sl.reset_breakers()
    yield
    sl.reset_breakers()


def shorten(store, service="isgd", url=LONG, timeout=2.0):
    return sl.external_short_url(store, service, url, base_url=BASE, timeout=timeout)


@responses.activate
def test_success_is_remembered_and_not_fetched_again():
    responses.get(ISGD, body="https://is.gd/AbC123\n")
    store = FakeStore()
    assert shorten(store) == "https://is.gd/AbC123"
    assert shorten(store) == "https://is.gd/AbC123"
    assert len(responses.calls) == 1
    assert responses.calls[0].request.params == {"format": "simple", "url": LONG}
    assert store.short_urls == {(LONG, "isgd"): "https://is.gd/AbC123"}


@responses.activate
@pytest.mark.parametrize("service, api, answer", [
    ("tinyurl", "http://tinyurl.com/api-create.php", "https://tinyurl.com/2p8abcde"),
    ("dagd", "https://da.gd/shorten", "https://da.gd/xyz"),
])
def test_other_services(service, api, answer):
    responses.get(api, body=answer)
    assert shorten(FakeStore(), service) == answer


@responses.activate
def test_only_our_urls_are_sent():
    responses.get(ISGD, body="https://is.gd/x")
    assert shorten(FakeStore(), url="https://evil.example/phish") is None
    assert shorten(FakeStore(), url="https://cableshare.test.evil.example/x") is None
    assert not responses.calls


@responses.activate
@pytest.mark.parametrize("answer", [
    "Error: Please enter a valid URL to shorten", "http://is.gd/AbC", "https://evil.example/x",
    "https://is.gd.evil.example/x", "https://is.gd/", "https://is.gd/a b", "https://user@is.gd/x",
    "https://is.gd:444/x", "https://is.gd/x?redirect=https://evil", "<html>busy</html>", "",
    "https://is.gd/" + "x" * 200,
])
def test_garbage_answers_are_discarded(answer):
    responses.get(ISGD, body=answer)
    store = FakeStore()
    assert shorten(store) is None
    assert store.short_urls == {}


@responses.activate
@pytest.mark.parametrize("failure", [
    {"status": 500, "body": "oops"}, {"body": requests.exceptions.ConnectTimeout()},
    {"body": requests.exceptions.ReadTimeout()}, {"body": requests.exceptions.ConnectionError()},
    {"body": ValueError("anything")},
])
def test_failures_fall_back(failure):
    responses.get(ISGD, **failure)
    assert shorten(FakeStore()) is None


@responses.activate
def test_a_slow_service_is_cut_at_the_deadline():
    def slow(_request):
        time.sleep(1.0)
        return 200, {}, "https://is.gd/late"

    responses.add_callback(responses.GET, ISGD, callback=slow)
    started = time.monotonic()
    assert shorten(FakeStore(), timeout=0.2) is None
    assert time.monotonic() - started < 0.8


def test_float_timeout_reaches_requests(monkeypatch):
    seen = {}

    def fake_get(url, **kwargs):
        seen.update(kwargs)
        raise requests.exceptions.Timeout()

    monkeypatch.setattr(requests, "get", fake_get)
    assert shorten(FakeStore(), timeout=1.5) is None
    assert seen["timeout"] == 1.5


@responses.activate
def test_breaker_opens_after_consecutive_failures_and_closes_after_cooldown(monkeypatch):
    responses.get(ISGD, status=500)
    store = FakeStore()
    for _ in range(sl.BREAKER_FAILURES):
        assert shorten(store) is None
    calls = len(responses.calls)
    assert shorten(store) is None and len(responses.calls) == calls  # open: not called
    later = time.monotonic() + sl.BREAKER_COOLDOWN + 1
    monkeypatch.setattr(sl.time, "monotonic", lambda: later)
    responses.replace(responses.GET, ISGD, body="https://is.gd/ok1")
    assert shorten(store) == "https://is.gd/ok1"
    assert sl.breaker("isgd").failures == 0


def test_unknown_service_or_off():
    assert shorten(FakeStore(), service="bitly") is None


def test_resolve_short_code():
    fake = FakeStore([make_cable("07MOSCOW1143", ("a", "b"))])
    assert sl.resolve_short_code(fake, short_code("07MOSCOW1143", "par2")) == ("07MOSCOW1143", "par2")
    assert sl.resolve_short_code(fake, short_code("07MOSCOW1143")) == ("07MOSCOW1143", None)
    for bad in ("zzzzzzzz", "", "../etc", "x" * 11):
        with pytest.raises(UnknownShortLink):
            sl.resolve_short_code(fake, bad)


def test_remembered_in_the_real_store(store):
    with responses.RequestsMock() as mock:
        mock.get(ISGD, body="https://is.gd/Real1")
        assert shorten(store) == "https://is.gd/Real1"
        assert shorten(store) == "https://is.gd/Real1"
        assert len(mock.calls) == 1
    assert store.shortened_url(LONG, "isgd") == "https://is.gd/Real1"
