"""Scratch databases for one benchmark run: a SQLite file and a PostgreSQL database, each
migrated and seeded, and removed afterwards."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from webapp.store.migrate import upgrade
from webapp.store.seed import seed_demo

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")


@contextlib.contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bluelamp-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        upgrade(url)
        seed_demo(url)
        yield url


@contextlib.contextmanager
def postgres_database() -> Iterator[str | None]:
    """A fresh database beside POSTGRES_URL's (None when PostgreSQL is unreachable)."""
    admin = create_engine(
        make_url(POSTGRES_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    name = f"bluelamp_bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - reported, and the run goes on without it
        print(f"PostgreSQL unavailable at {POSTGRES_URL}: {exc.__class__.__name__}")
        admin.dispose()
        yield None
        return
    try:
        url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        seed_demo(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def set_answers(database_url: str, application_id: int, answers: dict[str, object]) -> None:
    """Give a draft a whole set of answers at once (quicker than posting ~60 pages)."""
    from webapp.store.db import create_sync_engine
    from webapp.store.models import Application

    engine = create_sync_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                Application.__table__.update()
                .where(Application.__table__.c.id == application_id)
                .values(answers=answers)
            )
    finally:
        engine.dispose()
