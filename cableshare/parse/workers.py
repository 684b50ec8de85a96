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
    """forkserver where the platform has it (Linux; the default from Python 3.14), else spawn.
    Never a plain fork: the importing process has a database writer thread inside SQLite's or
    the driver's C code, and a child forked while it holds a lock there can hang on it (seen: a
    worker stuck pickling its results, the import waiting on it for good). The fork server is a
    clean single-threaded process the workers are forked from."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _chain(first: list[T], second: list[T], rest: Iterator[list[T]]) -> Iterator[list[T]]:
    yield first
    yield second
    yield from rest


def _init_worker(importer: int) -> None:
    """Ctrl-C reaches the whole process group: the importing process handles it (and rolls
    back); workers just stop when it shuts the pool down. An importer killed outright (kill -9)
    cannot shut them down, so each worker also exits when the importer is gone; the fork server
    then sees its last client go and exits too."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(importer,), daemon=True).start()


def _exit_with(importer: int) -> None:
    while _alive(importer):
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs: not gone, and not a zombie (killed, not yet reaped by its parent,
    which still answers ``kill(pid, 0)``)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:  # no /proc here: kill(pid, 0) is all there is
        return True
