"""Real app servers for tests that need more than one process: gunicorn on free 127.0.0.1 ports.

Each server gets an environment built from scratch for the app (no inherited ``CABLESHARE_*``
settings, no proxies), so what a test passes is what the server sees. Servers are context
managers: leaving the block stops the process group, so no test leaves one behind.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
BOOT_SECONDS = 60.0
_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reachable(host: str, port: int) -> bool:
    """Whether something accepts TCP connections there (a prerequisite check, never a timing)."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pg_reachable(url: str) -> bool:
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def app_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of an app process: this interpreter's, minus app settings and proxies."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CABLESHARE_") and k not in _PROXY_VARS}
    env.update({
        "DATABASE_URL": database_url, "SECRET_KEY": "multiserver-test-secret",
        "PUBLIC_BASE_URL": "https://cableshare.test", "NO_PROXY": "127.0.0.1,localhost",
        "WEB_CONCURRENCY": "1", "PYTHONPATH": str(ROOT), **settings,
    })
    for key in ("SHORTENER", "RATELIMIT_STORAGE_URI", "LINK_TARGET", "MIRRORS"):
        env.setdefault(key, "")
    return env


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class AppServer:
    """``gunicorn -c gunicorn.conf.py app:create_app()`` with one sync worker on a free port."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self.proc: subprocess.Popen | None = None
        # A file, not a pipe: a full pipe would stall the server. Closed by stop().
        self.log = tempfile.TemporaryFile()  # noqa: SIM115

    def __enter__(self) -> Self:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        self._wait_for_port()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()

    def output(self) -> str:
        """What the server logged so far (for failure messages)."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def _wait_for_port(self) -> None:
        """Until the master listens (the first request then waits for the worker's boot).
        Only a TCP connect: a readiness request would count against the rate limits under test."""
        deadline = time.monotonic() + BOOT_SECONDS
        while not reachable("127.0.0.1", self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                err = self.output()
                self.stop()
                raise RuntimeError(f"gunicorn did not start:\n{err}")
            time.sleep(0.05)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        """One GET straight to this server (http.client: no proxy can be involved)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=BOOT_SECONDS)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return Answer(response.status, dict(response.getheaders()), response.read())
        finally:
            conn.close()


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """``flask --app app <args>`` as its own process, against the servers' database."""
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                          check=False, capture_output=True, text=True, timeout=600)
