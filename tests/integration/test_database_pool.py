"""Connections go back to the pool outside any transaction, however they were used: the app's
SQLite engine skips the pool's own rollback on return (webapp/store/db.py), so this is the
proof that nothing needed it."""

from __future__ import annotations

import asyncio
from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy import insert, select, text

from tests.support.resume import in_thread
from webapp.store import drafts
from webapp.store.db import create_app_engine, session_factory
from webapp.store.models import Application


def _in_transaction(driver_connection: Any) -> bool:
    if hasattr(driver_connection, "in_transaction"):  # aiosqlite
        return bool(driver_connection.in_transaction)
    return driver_connection.info.transaction_status != TransactionStatus.IDLE  # psycopg


def test_every_way_of_using_a_connection_returns_it_without_a_transaction(
    database_url: str,
) -> None:
    async def scenario() -> None:
        engine = create_app_engine(database_url)
        sessions = session_factory(engine)
        try:
            async with sessions() as session:
                draft = await drafts.create_draft(session, service="firearm-certificate")
                await session.commit()
            async with sessions() as session:  # an ORM read, then close (no commit)
                assert await drafts.get_application(session, draft.id) is not None
            async with engine.connect() as connection:  # a Core read, no commit
                await connection.execute(select(Application.id).where(Application.id == draft.id))
            async with engine.connect() as connection:  # a write left uncommitted
                await connection.execute(
                    insert(Application).values(
                        reference="POOLTEST1",
                        service="firearm-certificate",
                        status="draft",
                        answers={},
                        version=1,
                    )
                )
            async with engine.connect() as connection:
                raw = await connection.get_raw_connection()
                assert not _in_transaction(raw.driver_connection)
                count = await connection.scalar(
                    select(Application.id)
                    .where(Application.reference == "POOLTEST1")
                    .with_only_columns(text("count(*)"))
                )
                assert count == 0  # the uncommitted write was rolled back, not kept
        finally:
            await engine.dispose()

    # On a thread of its own: once a browser test has run, Playwright's loop lives on this one.
    in_thread(asyncio.run, scenario())
