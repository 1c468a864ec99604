"""Alembic environment: runs migrations with the sync driver for the configured database."""

from __future__ import annotations

from alembic import context

from webapp.store import (  # noqa: F401  (their tables join Base.metadata)
    browser_sessions,
    feedback,
    outbox,
    payments,
    price_list,
    resume,
    staff,
)
from webapp.store.db import create_sync_engine
from webapp.store.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url, "migrate() sets sqlalchemy.url"

engine = create_sync_engine(url)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
