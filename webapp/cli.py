"""``flask cables ...``: import, show and count cables. A thin shell over ``cableshare``."""

from __future__ import annotations

import glob
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from cableshare.importer import ImportSummary, import_cables
from cableshare.model import Cable
from webapp.extensions import get_store


class _CablesGroup(AppGroup):
    """Turns a failure of the database itself (read-only, disk full, server down) into one line
    on stderr and exit status 1; a traceback would bury the reason."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except sa.exc.SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            what = "Import failed, nothing was changed" if ctx.invoked_subcommand == "import" else "Failed"
            raise click.ClickException(f"{what}: database error: {reason}") from None


cables_cli = _CablesGroup("cables", help="Import and inspect the cable corpus.")
LOG_EVERY_SECONDS = 5.0
#: Bytes a cable takes in cables.csv beyond its header and body (metadata, quoting).
ROW_OVERHEAD = 200


def init_app(app: Flask) -> None:
    app.cli.add_command(cables_cli)


@cables_cli.command("import")
@click.argument("paths", nargs=-1, required=True)
def import_command(paths: tuple[str, ...]) -> None:
    """Import cables from files, directories, globs or compressed files (one transaction)."""
    from cableshare.parse import read_sources

    store = get_store()
    total_bytes = input_bytes(paths)
    tty = sys.stderr.isatty()
    try:
        if tty:
            summary = _import_with_bar(store, read_sources(list(paths)), total_bytes)
        else:
            summary = import_cables(store, read_sources(list(paths)), progress=_logger(time.monotonic()))
    except KeyboardInterrupt:
        click.echo("Import interrupted: nothing was changed.", err=True)
        sys.exit(130)
    click.echo(f"new: {summary.new}, updated: {summary.updated}, unchanged: {summary.unchanged}, "
               f"failed: {summary.failed}")
    for error in summary.errors:
        click.echo(error, err=True)
    if summary.failed:
        sys.exit(1)


def _import_with_bar(store, items: Iterable[object], total_bytes: int) -> ImportSummary:
    """A progress bar measured in (estimated) bytes, labelled with cables done and rate."""
    start = time.monotonic()
    with click.progressbar(length=max(total_bytes, 1), label="Importing", file=sys.stderr,
                           show_pos=False, show_eta=True,
                           item_show_func=lambda s: _rate_line(s, start) if s else None) as bar:
        def progress(summary: ImportSummary) -> None:
            bar.update(0, summary)

        return import_cables(store, _metered(items, bar), progress=progress)


def _metered(items: Iterable[object], bar) -> Iterator[object]:
    """Advance the bar by each cable's approximate size in the input."""
    for item in items:
        if isinstance(item, Cable):
            bar.update(len(item.body) + len(item.header) + ROW_OVERHEAD)
        yield item


def _logger(start: float):
    last = [start]

    def progress(summary: ImportSummary) -> None:
        now = time.monotonic()
        if now - last[0] >= LOG_EVERY_SECONDS:
            last[0] = now
            click.echo(f"import: {_rate_line(summary, start)}", err=True)

    return progress


def _rate_line(summary: ImportSummary, start: float) -> str:
    rate = summary.done / max(time.monotonic() - start, 1e-6)
    return f"{summary.done} cables ({summary.new} new, {summary.failed} failed), {rate:,.0f}/s"


def input_bytes(paths: Iterable[str]) -> int:
    """Total size of the inputs, for the progress bar's ETA (compressed files count ~4x)."""
    total = 0
    for pattern in paths:
        for path in glob.glob(pattern) or [pattern]:
            files = ([os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs]
                     if os.path.isdir(path) else [path])
            for name in files:
                try:
                    size = os.path.getsize(name)
                except OSError:
                    continue
                total += size * 4 if name.endswith((".gz", ".bz2", ".xz", ".zip")) else size
    return total


@cables_cli.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print the cable as the API's JSON object.")
def show_command(ref: str, as_json: bool) -> None:
    """Print one cable with its paragraphs."""
    store = get_store()
    cable = store.get_cable(ref)
    if cable is None:
        stored = store.find_ref(ref)
        cable = store.get_cable(stored) if stored else None
    if cable is None:
        raise click.ClickException(f"No cable {ref!r} in the corpus.")
    if as_json:
        click.echo(json.dumps(cable.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{cable.ref_id}  {cable.classification}  {cable.origin}")
    click.echo(f"Created {cable.created:%Y-%m-%d %H:%M}"
               + (f", released {cable.released:%Y-%m-%d %H:%M}" if cable.released else ""))
    click.echo(f"Subject: {cable.subject}")
    for par in cable.paragraphs:
        if par.heading:
            click.echo(f"\n{par.heading}")
        marking = f" ({par.marking})" if par.marking else ""
        click.echo(f"\n¶{par.number} [{par.anchor}]{marking} {par.text}")


@cables_cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats_command(as_json: bool) -> None:
    """Count cables and paragraphs, by classification, with the date range."""
    stats = get_store().stats()
    if as_json:
        click.echo(json.dumps(stats, indent=2))
        return
    for key, value in stats.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for name, count in value.items():
                click.echo(f"  {name}: {count}")
        else:
            click.echo(f"{key}: {value}")
