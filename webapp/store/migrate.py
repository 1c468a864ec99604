"""Bring a database up to the newest schema (`python -m webapp migrate`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from webapp.settings import VAR_DIR
from webapp.store.db import is_sqlite

ALEMBIC_DIR = Path(__file__).parent / "alembic"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str) -> None:
    if is_sqlite(database_url):
        VAR_DIR.mkdir(exist_ok=True)
    # "heads": features add migrations on their own branches from 0001 until a merge joins them.
    command.upgrade(alembic_config(database_url), "heads")
