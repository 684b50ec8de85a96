"""Short links: the built-in ``PUBLIC_BASE_URL/s/<code>`` (offline, always there) and optional
external shortening through pyshorteners (TinyURL, is.gd, da.gd), off unless configured.

pyshorteners is wrapped because it lets ``requests`` errors through, truncates a float timeout
to an int (0 breaks requests) and returns a service's error text as if it were the short URL.
So here: only URLs under ``PUBLIC_BASE_URL`` are sent; the service instance gets an exact
float ``timeout`` (its ``_get`` passes ``self.timeout`` to requests) and the call runs under an
overall deadline of at most ``MAX_TIMEOUT`` seconds; the answer must be a bare https URL on the
service's own host; each long URL is shortened once and remembered in the store; any failure
gives the built-in short link.

Circuit breaker, per process and per service: after ``BREAKER_FAILURES`` consecutive failures
the service is not called for ``BREAKER_COOLDOWN`` seconds; the next call after that is a trial
(a success closes the breaker, a failure re-opens it). State is two numbers per service, so
every worker process learns on its own; nothing is shared or persisted.

Test hook: ``CABLESHARE_SHORTENER_API_URL`` in the environment replaces the service's API endpoint
(a fake server on 127.0.0.1 in tests that run real app servers, where ``responses`` cannot reach).
Answers are still checked against the real service's host, so it cannot widen what is accepted.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from cableshare.errors import UnknownShortLink
from cableshare.shortcodes import is_well_formed

log = logging.getLogger(__name__)

SERVICES = {"tinyurl": "tinyurl.com", "isgd": "is.gd", "dagd": "da.gd"}
API_URL_ENV = "CABLESHARE_SHORTENER_API_URL"
MAX_TIMEOUT = 2.0
BREAKER_FAILURES = 3
BREAKER_COOLDOWN = 60.0
_SLUG = re.compile(r"^/[A-Za-z0-9_-]{1,64}$")
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="shortener")


class ShortURLStore(Protocol):
    def shortened_url(self, long_url: str, service: str) -> str | None: ...
    def remember_shortened_url(self, long_url: str, service: str, short_url: str) -> None: ...


class CodeStore(Protocol):
    def target_for_code(self, code: str) -> tuple[str, str | None] | None: ...


def resolve_short_code(store: CodeStore, code: str) -> tuple[str, str | None]:
    """(ref_id, anchor or None) for ``/s/<code>``; ``UnknownShortLink`` (the web's 404) otherwise."""
    target = store.target_for_code(code) if is_well_formed(code) else None
    if target is None:
        raise UnknownShortLink(code)
    return target


@dataclass
class Breaker:
    """Consecutive failures and the time until which calls are refused (see module docstring)."""

    failures: int = 0
    open_until: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def allows(self, now: float) -> bool:
        return now >= self.open_until

    def record(self, ok: bool, now: float) -> None:
        with self.lock:
            if ok:
                self.failures, self.open_until = 0, 0.0
                return
            self.failures += 1
            if self.failures >= BREAKER_FAILURES:
                self.open_until = now + BREAKER_COOLDOWN


_BREAKERS: dict[str, Breaker] = {}


def breaker(service: str) -> Breaker:
    return _BREAKERS.setdefault(service, Breaker())


def reset_breakers() -> None:
    """Forget every breaker's state (tests; a deployment never needs it)."""
    _BREAKERS.clear()


def external_short_url(store: ShortURLStore, service: str, long_url: str, *, base_url: str,
                       timeout: float = MAX_TIMEOUT) -> str | None:
    """The service's short URL for ``long_url`` (remembered or fetched), or None on any failure."""
    if service not in SERVICES or not long_url.startswith(base_url.rstrip("/") + "/"):
        return None
    known = store.shortened_url(long_url, service)
    if known:
        return known
    gate = breaker(service)
    if not gate.allows(time.monotonic()):
        return None
    short = _call(service, long_url, min(max(timeout, 0.05), MAX_TIMEOUT))
    gate.record(short is not None, time.monotonic())
    if short is None:
        return None
    try:
        store.remember_shortened_url(long_url, service, short)
    except Exception:  # a short URL we cannot remember is still a good answer
        log.exception("could not remember the short URL of %s", long_url)
    return short


def _call(service: str, long_url: str, timeout: float) -> str | None:
    future = _POOL.submit(_shorten, service, long_url, timeout)
    try:
        answer = future.result(timeout=timeout)
    except FutureTimeout:
        log.warning("%s took over %.1fs; using the built-in short link", service, timeout)
        return None
    except Exception as exc:  # noqa: BLE001 - requests, pyshorteners, anything: fall back
        log.warning("%s failed (%s); using the built-in short link", service, type(exc).__name__)
        return None
    return answer if isinstance(answer, str) and is_service_url(answer, service) else None


def _shorten(service: str, long_url: str, timeout: float) -> object:
    import pyshorteners  # type: ignore[import-untyped]

    client = getattr(pyshorteners.Shortener(timeout=max(1, int(timeout))), service)
    client.timeout = timeout  # the float pyshorteners' constructor would have truncated
    if os.environ.get(API_URL_ENV):
        client.api_url = os.environ[API_URL_ENV]
    return client.short(long_url)


def is_service_url(answer: object, service: str) -> bool:
    """A bare ``https://<service host>/<slug>``: not an error message, not a redirect elsewhere."""
    if not isinstance(answer, str) or len(answer) > 100 or answer != answer.strip():
        return False
    try:
        parts = urlsplit(answer)
        port = parts.port
    except ValueError:
        return False
    return (parts.scheme == "https" and parts.hostname == SERVICES[service]
            and parts.netloc == SERVICES[service] and port is None
            and bool(_SLUG.match(parts.path)) and not parts.query and not parts.fragment)
