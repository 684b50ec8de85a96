"""Wiring only: configuration, the store, blueprints and CLI commands. The domain is in ``cableshare``."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from cableshare.share import ShareSettings
from webapp import api, cli, cli_share, errors, pages, previews, security
from webapp.extensions import init_store


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; ``test_config`` overrides anything read from the environment."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=f"sqlite:///{Path(app.instance_path) / 'cableshare.db'}",
        PUBLIC_BASE_URL="http://127.0.0.1:5000",
        SECRET_KEY=None,
        SECRET_KEY_FILE=str(Path(app.instance_path) / "secret_key"),
        LOAD_SAMPLE_CORPUS=True,
        SHORTENER="",
        LINK_TARGET="self",
        MIRRORS="",
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_DEFAULT="120 per minute",
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    app.config.from_prefixed_env(prefix="CABLESHARE")
    for key in ("DATABASE_URL", "PUBLIC_BASE_URL", "SECRET_KEY", "SHORTENER", "LINK_TARGET",
                "MIRRORS", "RATELIMIT_STORAGE_URI"):
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    if test_config:
        app.config.update(test_config)
    key_file = Path(app.config["SECRET_KEY_FILE"])  # written by `make run`; the CLI reads it too
    if not app.config.get("SECRET_KEY") and app.config["SECRET_KEY_FILE"] and key_file.is_file():
        app.config["SECRET_KEY"] = key_file.read_text().strip()
    security.require_secret_key(app)
    ShareSettings.from_config(app.config)  # a bad link or shortener setting stops the start, with why

    init_store(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(previews.bp)
    cli.init_app(app)
    cli_share.register(app)
    return app
