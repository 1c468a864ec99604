"""The test databases, one of each per run, shared by every suite (tests/ and accessibility/) so
that the live server and the tests that write to its database agree on which database that is.

PostgreSQL is expected at TEST_POSTGRES_URL (default: the local server's `test` database); if it
is unreachable the tests fail rather than skip, so CI cannot pass without it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from webapp.store.db import create_sync_engine
from webapp.store.migrate import upgrade
from webapp.store.models import Force, ForceService
from webapp.store.seed import seed_demo

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")


def _admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(
        make_url(POSTGRES_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated and seeded, dropped at the end."""
    name = f"bluelamp_test_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to connect says the same
        pytest.fail(f"PostgreSQL is expected at {POSTGRES_URL} but is unreachable: {exc}")
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    seed_demo(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    upgrade(url)
    seed_demo(url)
    return url


def run_sql(database_url: str, statement: str, **params: object) -> list[tuple[Any, ...]]:
    """Run one statement in its own transaction (to arrange or inspect what a test needs)."""
    engine = create_sync_engine(database_url)
    with engine.begin() as connection:
        result = connection.execute(text(statement), params)
        rows = [tuple(row) for row in result.all()] if result.returns_rows else []
    engine.dispose()
    return rows


def offer_everywhere(database_url: str, service_slug: str) -> None:
    """Every force on the platform offers this service online: for a service a test declares
    after the database was made and seeded (the seed switches on the services it knew)."""
    engine = create_sync_engine(database_url)
    with Session(engine) as session, session.begin():
        for force_id in session.scalars(select(Force.id).where(Force.on_platform)):
            session.merge(
                ForceService(force_id=force_id, service=service_slug, offered=True, places=[])
            )
    engine.dispose()
