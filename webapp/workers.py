"""CPU work off the event loop, in a pool of worker processes: rendering a PDF, decoding and
re-encoding an uploaded image or a scan. No request may hold the loop for more than a few
milliseconds, or every other request waits behind it.

Why processes and not threads: WeasyPrint's layout is pure Python and holds the GIL for the
whole half-second of a render, and image work holds it for much of a decode, so work in a
thread slows every request the same process is serving. A separate process has its own GIL;
the event loop only waits on a future.

The queue is bounded: past ``QUEUE_PER_WORKER`` jobs a worker, ``run_in_worker`` refuses at
once with ``WorkersBusy`` (a 503 with Retry-After) rather than let waiting jobs pile up memory.

Services hold lambdas (conditions, summaries) and cannot be pickled, so a ``Service`` argument
travels as its slug and is looked up in ``SERVICES`` on the other side; the active locale
travels too. Other arguments must be picklable (use ``ApplicationData``/``ForceData``).

``PDF_WORKERS`` (the name it had when only PDFs used the pool) sets the pool size (default: half the CPUs, at least one; see
``worker_count``); ``PDF_WORKERS=0`` renders in a thread instead
(for environments that cannot start processes). The pool starts on first use with the
"spawn" method (forking a process that runs an event loop and database pools is unsafe) and
is kept for the life of the process; ``shutdown_workers()`` stops it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
from starlette.exceptions import HTTPException

from webapp import i18n
from webapp.engine.schema import Service

T = TypeVar("T")

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()
_in_flight = 0

# Jobs allowed to wait for each worker before new ones are refused.
QUEUE_PER_WORKER = 8
RETRY_AFTER_SECONDS = 5


class WorkersBusy(HTTPException):
    """Every worker is busy and the queue is full: try again in a few seconds."""

    def __init__(self) -> None:
        super().__init__(503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@dataclass(frozen=True)
class _ServiceRef:
    slug: str


def default_worker_count() -> int:
    """Half the CPUs, at least one. Every rendering worker slows the pages being served, even at
    the lowest priority (on 2 CPUs, in `make bench`'s PDF comparison, two busy workers took
    question-page p99 to about x4, one to x1.3-1.8), and a PDF can wait for the one before it
    where a page should not."""
    return max(1, (os.cpu_count() or 2) // 2)


def worker_count() -> int:
    try:
        return max(0, int(os.environ.get("PDF_WORKERS", default_worker_count())))
    except ValueError:
        return default_worker_count()


# A PDF can wait a few hundred milliseconds more; a page request should not. On a small
# machine the renders compete with the server for the same cores, so they run at a lower
# scheduling priority and take what the server leaves.
WORKER_NICENESS = 10


def _yield_to_the_web_server() -> None:
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=worker_count(),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_yield_to_the_web_server,
            )
        return _pool


def shutdown_workers() -> None:
    """Stop the pool (the app's lifespan end, or tests). The next render starts a new one."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _pack(value: Any) -> Any:
    return _ServiceRef(value.slug) if isinstance(value, Service) else value


def _unpack(value: Any) -> Any:
    if isinstance(value, _ServiceRef):
        from webapp.services import SERVICES

        return SERVICES[value.slug]
    return value


def _call(locale: str, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
    """Runs in the worker: restore the services and the locale, then render."""
    token = i18n.set_locale(locale)
    try:
        return fn(*(_unpack(a) for a in args), **{k: _unpack(v) for k, v in kwargs.items()})
    finally:
        i18n.reset_locale(token)


async def run_in_worker(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a function (a module-level one: it is sent to the worker by name) without blocking
    the event loop, in the caller's locale. ``WorkersBusy`` when the queue is full."""
    global _in_flight
    locale = i18n.get_locale()
    with _lock:
        if _in_flight >= QUEUE_PER_WORKER * max(1, worker_count()):
            raise WorkersBusy
        _in_flight += 1
    try:
        if worker_count() == 0:
            return await anyio.to_thread.run_sync(lambda: _call(locale, fn, args, kwargs))
        packed_args = tuple(_pack(a) for a in args)
        packed_kwargs = {k: _pack(v) for k, v in kwargs.items()}
        pool = _get_pool()
        try:
            return await asyncio.wrap_future(
                pool.submit(_call, locale, fn, packed_args, packed_kwargs)
            )
        except BrokenProcessPool:
            # A worker died (killed, out of memory): drop the pool so the next job starts afresh.
            _discard(pool)
            raise
    finally:
        with _lock:
            _in_flight -= 1


def _discard(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


async def warm_up(prepare: Callable[[], bool]) -> None:
    """Start the pool and run ``prepare`` once in every worker (to pay a library's cold start
    before the first request that needs it)."""
    if worker_count() == 0:
        return
    pool = _get_pool()
    await asyncio.gather(
        *(asyncio.wrap_future(pool.submit(prepare)) for _ in range(worker_count()))
    )
