"""Fixtures shared by every test module: real SQLite files, the real PostgreSQL server, the app.

PostgreSQL tests get a schema of their own (dropped afterwards) in the ``test`` database, so
tests never see each other's rows. Set ``CABLESHARE_TEST_PG`` to point at another server.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

PG_SERVER = os.environ.get("CABLESHARE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the project root; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def pg_url():
    """A URL whose connections use a fresh, empty schema of the real PostgreSQL server."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_SERVER)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cableshare.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """Runs a test once against a real SQLite file and once against the real PostgreSQL server."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return request.getfixturevalue(fixture)


@pytest.fixture
def store(db_url):
    from cableshare.store import Store

    store = Store(db_url)
    store.create_schema()
    yield store
    store.close()


@pytest.fixture
def app(sqlite_url):
    """The app on a fresh SQLite file holding the bundled sample corpus."""
    from app import create_app

    return create_app({
        "TESTING": True,
        "DATABASE_URL": sqlite_url,
        "SECRET_KEY": "test-secret",
        "PUBLIC_BASE_URL": "https://cableshare.test",
        "RATELIMIT_ENABLED": False,
    })


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
