"""The store's lifecycle inside the Flask app: one ``Store`` per app, reached by views via ``get_store``."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from cableshare.importer import ImportSummary, import_cables
from cableshare.store import Store

EXTENSION_KEY = "cableshare"
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "cableshare" / "sample"


def init_store(app: Flask) -> Store:
    """Open the store, create missing tables, and seed the bundled sample corpus into an empty
    store (``LOAD_SAMPLE_CORPUS``) so a fresh checkout has something to share."""
    store = Store(app.config["DATABASE_URL"])
    store.create_schema()
    app.extensions[EXTENSION_KEY] = store
    if app.config.get("LOAD_SAMPLE_CORPUS") and store.is_empty():
        summary = load_sample_corpus(store)
        for error in summary.errors:
            app.logger.warning("sample corpus: %s", error)
    return store


def load_sample_corpus(store: Store) -> ImportSummary:
    """Import ``cableshare/sample/*.txt``; concurrent first starts are harmless (the import is
    idempotent and transactional)."""
    from cableshare.parse import read_sources

    paths = sorted(str(p) for p in SAMPLE_DIR.glob("*.txt"))
    return import_cables(store, read_sources(paths)) if paths else ImportSummary()


def get_store() -> Store:
    """The current app's store (for views and CLI commands)."""
    return current_app.extensions[EXTENSION_KEY]
