"""Production server settings: `gunicorn -c gunicorn.conf.py "app:create_app()"`.

Every value comes from the environment so one image serves any machine size.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Share pages are CPU-bound Python; one sync worker per core is the measured sweet spot (README).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = 5
# Recycle workers now and then so a slow leak in any dependency cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
# The app is imported once, in the master, and forked: both workers answer as soon as one import
# is done (imports are nearly all of a cold start), and a recycled worker is back at once.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"


def post_fork(server, worker):
    """A worker must not share the master's database connections: forget them (without closing
    the master's sockets), so each worker opens its own."""
    if not server.cfg.preload_app:
        return
    from webapp.extensions import EXTENSION_KEY

    store = server.app.wsgi().extensions.get(EXTENSION_KEY)  # absent in a bench's bare app
    if store is not None:
        store.engine.dispose(close=False)
