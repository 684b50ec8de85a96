"""``flask share``: human output, --network, --thread, --json, and errors on stderr."""

from __future__ import annotations

import json

import pytest

from webapp import cli_share


@pytest.fixture
def share_runner(app):
    if "share" not in app.cli.commands:
        cli_share.register(app)
    return app.test_cli_runner()


def test_human_output(share_runner):
    result = share_runner.invoke(args=["share", "07MOSCOW1143", "5"])
    assert result.exit_code == 0, result.output
    assert "https://cableshare.test/cable/2007/03/07MOSCOW1143.html#par5" in result.output
    assert "Hashtags: #cablegate #07MOSCOW1143" in result.output
    assert "x (" in result.output and "bluesky (" in result.output


def test_one_network_as_a_thread(share_runner):
    result = share_runner.invoke(args=["share", "07moscow1143", "¶5", "--network", "x", "--thread"])
    assert result.exit_code == 0, result.output
    assert "x thread (" in result.output and "\n1/" in result.output
    assert "bluesky" not in result.output


def test_json_is_the_api_shape(share_runner):
    result = share_runner.invoke(args=["share", "07MOSCOW1143", "5", "--json"])
    data = json.loads(result.output)
    assert data["ref_id"] == "07MOSCOW1143" and data["paragraph"]["anchor"] == "par5"


@pytest.mark.parametrize("args, message", [
    (["share", "07MOSCOW1134"], "No cable 07MOSCOW1134 in the corpus. Did you mean 07MOSCOW1143?"),
    (["share", "07MOSCOW1143", "99"], "cable 07MOSCOW1143 has 14 paragraphs; ¶99 does not exist"),
    (["share", "hello world!"], "is not a cable reference"),
    (["share", "07MOSCOW1143", "--hashtag", "16"], "is not a hashtag"),
])
def test_errors_exit_non_zero_on_stderr(share_runner, args, message):
    result = share_runner.invoke(args=args)
    assert result.exit_code == 1
    assert message in result.stderr and not result.stdout
