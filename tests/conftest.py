"""Shared fixtures: an app on each database, a live server, and Chromium through Playwright.

Every app made here pays through the GOV.UK Pay simulator that tests/support/pay.py runs.

Integration tests run on both SQLite and PostgreSQL (the `database_url` fixture is
parametrised; the databases themselves come from tests/support/databases.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.support.pay import running_simulator
from webapp.app import create_app
from webapp.settings import Settings

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(params=["sqlite_url", "postgres_url"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(request.param))


def make_settings(database_url: str, **overrides: object) -> Settings:
    # Every app under test pays through the session's GOV.UK Pay simulator (a real process).
    pay = running_simulator()
    values: dict[str, object] = {
        "pay_api_url": pay.url,
        "pay_api_key": pay.key,
        "env": "development",
        "database_url": database_url,
        "secret_key": "test-secret-key-that-is-long-enough-0123456789",
        "base_url": "http://testserver",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client
