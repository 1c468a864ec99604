"""Database engines: one URL from settings, an async engine for the app, a sync one for Alembic."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def _driver_url(url: str, *, asynchronous: bool) -> str:
    """Accept plain `sqlite:///…` / `postgresql://…` and pick the driver we ship."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite" if asynchronous else "sqlite")
    elif backend in ("postgresql", "postgres"):
        # psycopg 3 speaks both sync and async under one dialect name.
        parsed = parsed.set(drivername="postgresql+psycopg")
    else:
        raise ValueError(f"unsupported database backend: {backend}")
    return parsed.render_as_string(hide_password=False)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run while a writer commits; busy_timeout waits for a lock instead of
    # failing at once when two requests write together.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # The driver's own transaction handling is kept: it begins only before the first write, so a
    # unit of work that reads and then writes never holds a read snapshot that another writer's
    # commit has made stale (SQLite would refuse that write at once, "database is locked").
    # Repositories therefore take no savepoints on SQLite's behalf (see drafts.create_draft).


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_app_engine(url: str) -> AsyncEngine:
    # A server connection can drop (a restart, a failover): test each one as it leaves the pool.
    # A SQLite file cannot, and the test would cost a round trip to its thread on every request.
    kwargs: dict[str, Any] = {"pool_pre_ping": not is_sqlite(url)}
    if is_sqlite(url):
        # A closing ORM session has already rolled its transaction back, and the pool would roll
        # back again as the connection returns: with aiosqlite, another trip to its thread on every
        # request (~0.09 ms). SQLAlchemy's Connection still rolls back any transaction left open
        # when it closes, so nothing comes back to the pool inside one.
        kwargs["pool_reset_on_return"] = None
    engine = create_async_engine(_driver_url(url, asynchronous=True), **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
    return engine


def create_sync_engine(url: str) -> Engine:
    engine = create_engine(_driver_url(url, asynchronous=False))
    if is_sqlite(url):
        event.listen(engine, "connect", _tune_sqlite)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def unit_of_work(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One request's or one job's work: committed once if the block finishes, rolled back (nothing
    half-written) if it raises. Repository functions never commit; this is where work ends."""
    async with sessions() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        await session.commit()
