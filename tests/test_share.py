"""build_share end to end on the real store (SQLite file and PostgreSQL), and its settings."""

from __future__ import annotations

import json
import warnings
from urllib.parse import unquote

import pytest
import responses
from sharefakes import FakeStore, make_cable, real_cables

from cableshare import shortlinks
from cableshare.errors import (
    BadInstance,
    InvalidHashtag,
    NoSuchParagraph,
    QuoteNotFound,
    UnknownCable,
)
from cableshare.importer import import_cables
from cableshare.share import ShareResult, ShareSettings, build_share

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from twitter_text import parse_tweet

PARS = ("Russia would not accept the Ahtisaari plan, Titov said.",
        "Expressing frustration over comments attributed to the State Department, Titov took issue "
        "with the characterization that Russia had not opposed the proposal. " * 3)
SETTINGS = ShareSettings.from_config({"PUBLIC_BASE_URL": "https://cableshare.test",
                                      "MIRRORS": "cgs=https://cgs.example/cable/{year}/{month}/{ref}.html"})


@pytest.fixture
def loaded(store):
    import_cables(store, [make_cable("07MOSCOW1143", PARS)])
    return store


def test_result_shape(loaded):
    result = build_share(loaded, SETTINGS, "07moscow1143", "2")
    assert isinstance(result, ShareResult)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["ref_id"] == "07MOSCOW1143"
    assert set(data["cable"]) >= {"created", "origin", "classification", "subject"}
    assert data["paragraph"] == {"number": "2", "anchor": "par2", "text": PARS[1]}
    links = data["links"]
    assert links["paragraph"] == "https://cableshare.test/cable/2007/03/07MOSCOW1143.html#par2"
    assert links["cable"] == "https://cableshare.test/cable/2007/03/07MOSCOW1143.html"
    assert links["short"].startswith("https://cableshare.test/s/")
    assert links["text_fragment"].startswith(links["paragraph"] + ":~:text=")
    assert links["mirrors"] == {"wikileaks": "https://wikileaks.org/cable/2007/03/07MOSCOW1143.html#par2",
                                "cgs": "https://cgs.example/cable/2007/03/07MOSCOW1143.html#par2"}
    assert data["hashtags"] == ["#cablegate", "#07MOSCOW1143"]
    assert set(data["posts"]) == {"x", "bluesky", "mastodon", "threads", "linkedin", "facebook",
                                  "reddit", "telegram", "whatsapp", "hackernews", "email"}
    for post in data["posts"].values():
        assert {"text", "length", "limit", "intent_url"} <= set(post) and post["length"] <= post["limit"]
    assert data["posts"]["x"]["length"] == parse_tweet(data["posts"]["x"]["text"]).weightedLength
    assert data["posts"]["mastodon"]["intent_url"] is None
    assert set(data["threads"]) == {"x", "bluesky", "mastodon"} and data["threads"]["x"][0].startswith("1/")
    assert set(data["embeds"]) == {"html", "markdown", "bbcode", "text"}


def test_whole_cable(loaded):
    data = build_share(loaded, SETTINGS, "07MOSCOW1143").to_dict()
    assert data["paragraph"] is None and data["links"]["paragraph"] is None
    assert data["links"]["text_fragment"] is None
    assert data["threads"] == {"x": [], "bluesky": [], "mastodon": []}
    assert "KOSOVO" in data["posts"]["x"]["text"]


def test_quote(loaded):
    result = build_share(loaded, SETTINGS, "07MOSCOW1143", "2", quote="Titov took  issue\nwith")
    assert result.quote == "Titov took issue with"
    assert result.posts["x"].text.startswith("“Titov took issue with”")
    assert unquote(result.links.text_fragment).endswith(":~:text=Titov took issue with")
    with pytest.raises(QuoteNotFound) as info:
        build_share(loaded, SETTINGS, "07MOSCOW1143", "2", quote="not in there")
    assert info.value.code == "quote_not_found"


def test_errors(loaded):
    with pytest.raises(UnknownCable):
        build_share(loaded, SETTINGS, "07MOSCOW1134")
    with pytest.raises(NoSuchParagraph):
        build_share(loaded, SETTINGS, "07MOSCOW1143", "3")
    with pytest.raises(InvalidHashtag):
        build_share(loaded, SETTINGS, "07MOSCOW1143", extra_hashtags=["#16"])
    with pytest.raises(BadInstance):
        build_share(loaded, SETTINGS, "07MOSCOW1143", mastodon_instance="evil.example/x?")


def test_extra_hashtags_and_instance(loaded):
    result = build_share(loaded, SETTINGS, "07MOSCOW1143", "1", extra_hashtags=["Kosovo"],
                         mastodon_instance="mastodon.social")
    assert result.hashtags == ("#cablegate", "#07MOSCOW1143", "#Kosovo")
    assert result.posts["mastodon"].intent_url.startswith("https://mastodon.social/share?text=")
    assert result.posts["x"].text.endswith("#cablegate #07MOSCOW1143 #Kosovo")


def test_ref_that_cannot_be_a_hashtag_goes_into_the_text():
    fake = FakeStore([make_cable("09STATE-1143", ("Text.",))])
    result = build_share(fake, SETTINGS, "09STATE-1143", "1")
    assert result.hashtags == ("#cablegate",)
    assert result.attribution.startswith("09STATE-1143, US ")


def test_shorten_uses_the_service_and_falls_back(loaded):
    settings = ShareSettings.from_config({"PUBLIC_BASE_URL": "https://cableshare.test",
                                          "SHORTENER": "isgd"})
    shortlinks.reset_breakers()
    with responses.RequestsMock() as mock:
        mock.get("https://is.gd/create.php", body="https://is.gd/Sh0rt")
        result = build_share(loaded, settings, "07MOSCOW1143", "1", shorten=True)
    assert result.links.short == "https://is.gd/Sh0rt"
    assert "https://is.gd/Sh0rt" in result.posts["x"].text
    with responses.RequestsMock() as mock:
        mock.get("https://is.gd/create.php", status=500)
        result = build_share(loaded, settings, "07MOSCOW1143", "2", shorten=True)
    assert result.links.short.startswith("https://cableshare.test/s/")
    assert build_share(loaded, SETTINGS, "07MOSCOW1143", "1", shorten=True).links.short \
        .startswith("https://cableshare.test/s/")


@pytest.mark.parametrize("config", [
    {"PUBLIC_BASE_URL": "cableshare.test"}, {"PUBLIC_BASE_URL": "https://c.test", "LINK_TARGET": "nope"},
    {"PUBLIC_BASE_URL": "https://c.test", "SHORTENER": "bitly"},
    {"PUBLIC_BASE_URL": "https://c.test", "MIRRORS": "bad"},
])
def test_bad_settings(config):
    with pytest.raises(ValueError):
        ShareSettings.from_config(config)


def test_settings_defaults_and_target():
    settings = ShareSettings.from_config({"PUBLIC_BASE_URL": "https://c.test/", "LINK_TARGET": "wikileaks",
                                          "SHORTENER": "", "SHORTENER_TIMEOUT": "9"})
    assert settings.base_url == "https://c.test" and settings.shortener is None
    assert settings.shortener_timeout == 2.0
    fake = FakeStore([make_cable("07MOSCOW1143", PARS)])
    result = build_share(fake, settings, "07MOSCOW1143", "1")
    assert result.links.paragraph == "https://wikileaks.org/cable/2007/03/07MOSCOW1143.html#par1"
    assert result.links.mirrors == {"self": "https://c.test/cable/2007/03/07MOSCOW1143.html#par1"}


def test_every_real_paragraph_shares(store):
    cables = real_cables()[:60]
    import_cables(store, cables)
    for cable in cables:
        for par in cable.paragraphs:
            data = build_share(store, SETTINGS, cable.ref_id, par.anchor).to_dict()
            assert all(p["length"] <= p["limit"] for p in data["posts"].values())
