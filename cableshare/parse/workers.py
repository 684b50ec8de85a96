"""Parse cables.csv rows in worker processes, in input order, with a bounded amount in flight.

Parsing is pure Python and takes most of an import's CPU; in the importing process it would
compete with the database writes for one core (and the GIL). Rows are read here (cheap, C code)
and handed to workers in chunks; results come back in order, so "the later row wins" and the
reported line numbers stay exactly as a serial read gives them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Chunks each worker may have queued: enough to keep it busy, few enough to keep memory flat.
AHEAD_PER_WORKER = 3
PARENT_CHECK_SECONDS = 0.5


def worker_count() -> int:
    """One worker per core: the cores are shared with the importing process's database work,
    and the bounded window keeps workers from running ahead of it."""
    return max(1, min(os.cpu_count() or 1, 8))


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def ordered_map(func: Callable[[list[T]], list[R]], chunks: Iterable[list[T]],
                workers: int | None = None) -> Iterator[R]:
    """``func`` over ``chunks`` in worker processes, results flattened in input order.

    A one-chunk input is handled in this process (no pool for a small file). The pool is shut
    down when the caller stops iterating (an error, Ctrl-C, or ``close()`` on the generator)."""
    it = iter(chunks)
    first = next(it, None)
    if first is None:
        return
    second = next(it, None)
    if second is None:
        yield from func(first)
        return
    workers = workers or worker_count()
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker,
                               initargs=(os.getpid(),))
    pending: deque[Future[list[R]]] = deque()
    try:
        for chunk in _chain(first, second, it):
            pending.append(pool.submit(func, chunk))
            if len(pending) >= workers * AHEAD_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    """fork where it is the platform's default (Linux, Python < 3.12): no re-import of the
    caller's ``__main__`` (a script without a ``__main__`` guard still works) and no start-up
    cost; the children only parse, never touch the parent's database connections or locks.
    Elsewhere spawn, the safe default of newer Pythons."""
    if sys.version_info < (3, 12) and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _chain(first: list[T], second: list[T], rest: Iterator[list[T]]) -> Iterator[list[T]]:
    yield first
    yield second
    yield from rest


def _init_worker(parent: int) -> None:
    """Ctrl-C reaches the whole process group: the importing process handles it (and rolls
    back); workers just stop when it shuts the pool down. A parent killed outright (kill -9)
    cannot shut them down, so each worker also exits when its parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
