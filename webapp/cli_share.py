"""``flask share REF [PAR]``: the share result in the terminal. A thin shell over ``build_share``.

Prints the links, the hashtags and the post(s) (``--json``: ``ShareResult.to_dict()``, exactly
what the API returns). Domain errors become ``click.ClickException``: exit status 1, the message
and any suggestions on stderr.
"""

from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from cableshare.errors import ShareError
from cableshare.posts import TEXT_NETWORKS
from cableshare.share import ShareResult, ShareSettings, build_share
from cableshare.threads import THREAD_NETWORKS
from webapp.extensions import get_store

NETWORKS = ("x", "bluesky", "mastodon", "threads", "linkedin", "facebook", "reddit", "telegram",
            "whatsapp", "hackernews", "email")


def register(app: Flask) -> None:
    app.cli.add_command(share_command)


@click.command("share")
@click.argument("ref")
@click.argument("paragraph", required=False)
@click.option("--network", "-n", type=click.Choice(NETWORKS), help="Only this network's post.")
@click.option("--thread", is_flag=True, help="The whole paragraph as a thread (X, Bluesky, Mastodon).")
@click.option("--json", "as_json", is_flag=True, help="The full result as JSON (as the API returns it).")
@click.option("--quote", help="Quote this exact part of the paragraph.")
@click.option("--hashtag", "hashtags", multiple=True, help="An extra hashtag (repeatable).")
@click.option("--instance", help="Your Mastodon server, e.g. mastodon.social.")
@click.option("--shorten", is_flag=True, help="Use the configured external shortener.")
@with_appcontext
def share_command(ref: str, paragraph: str | None, network: str | None, thread: bool, as_json: bool,
                  quote: str | None, hashtags: tuple[str, ...], instance: str | None,
                  shorten: bool) -> None:
    """Links, hashtags and posts for cable REF (and paragraph PAR), e.g. 07MOSCOW1143 5."""
    settings = ShareSettings.from_config(current_app.config)
    try:
        result = build_share(get_store(), settings, ref, paragraph, quote=quote,
                             extra_hashtags=hashtags, mastodon_instance=instance, shorten=shorten)
    except ShareError as exc:
        raise click.ClickException(error_text(exc)) from exc
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(human(result, network, thread))


def error_text(exc: ShareError) -> str:
    """The message (it names the suggestions), then the suggestions one per line to copy."""
    suggestions = getattr(exc, "suggestions", None) or []
    return "\n".join([exc.message, *(f"  {s}" for s in suggestions)])


def human(result: ShareResult, network: str | None, thread: bool) -> str:
    """Links, hashtags, then the chosen post(s) or thread(s), as plain text."""
    label = result.ref_id + (f" ¶{result.paragraph.number}" if result.paragraph else "")
    out = [f"{label} — {result.attribution}", "", "Links:"]
    links = result.links
    named = [("paragraph", links.paragraph), ("cable", links.cable), ("short", links.short),
             ("text fragment", links.text_fragment), *links.mirrors.items()]
    out += [f"  {name}: {url}" for name, url in named if url]
    out += ["", "Hashtags: " + " ".join(result.hashtags)]
    if thread:
        for name in [network] if network else THREAD_NETWORKS:
            out += _thread_lines(result, name)
        return "\n".join(out)
    for name in [network] if network else TEXT_NETWORKS:
        post = result.posts[name]
        out += ["", f"{name} ({post.length}/{post.limit}):", post.text]
        if post.intent_url:
            out.append(f"→ {post.intent_url}")
    return "\n".join(out)


def _thread_lines(result: ShareResult, name: str) -> list[str]:
    posts = result.threads.get(name)
    if posts is None:
        raise click.ClickException(f"Thread mode is for {', '.join(THREAD_NETWORKS)}, not {name}.")
    if not posts:
        return ["", f"{name} thread: none (thread mode needs a paragraph)."]
    lines = ["", f"{name} thread ({len(posts)} posts):"]
    for text in posts:
        lines += ["", text]
    return lines
