"""The database unreachable under a running server process (PostgreSQL refuses new connections
to it and every open one is ended): /healthz answers 503 and a page that needs the database
shows the "service unavailable" page, never a traceback; once the database is back the same
process recovers, with no restart."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.reliability.server import ServerProcess, csrf
from tests.support.databases import POSTGRES_URL, _admin_engine
from webapp.store.migrate import upgrade
from webapp.store.seed import seed_demo

BASE = "/apply/firearm-certificate"
RECOVERY_SECONDS = 15.0


@pytest.fixture
def cut_off_database() -> Iterator[tuple[str, str]]:
    """A database of this test's own (it is cut off), and its name; dropped afterwards."""
    name = f"bluelamp_cut_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    seed_demo(url)
    yield url, name
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _allow_connections(name: str, allowed: bool) -> None:
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(
            text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        )
        if not allowed:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
    admin.dispose()


def _tasks(client: httpx.Client) -> httpx.Response:
    """The task list: a page read from the database on every request."""
    return client.get(f"{BASE}/tasks", follow_redirects=False)


def test_healthz_and_pages_say_unavailable_then_recover_without_restart(
    cut_off_database: tuple[str, str], tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    url, name = cut_off_database
    server = ServerProcess(url, tmp_path / "serve.log")
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            start = client.get(BASE)
            client.post(f"{BASE}/start", data={"csrf_token": csrf(start.text)})
            assert _tasks(client).status_code in (200, 303)

            _allow_connections(name, False)
            health = client.get("/healthz")
            page = _tasks(client)
            for response in (health, page):
                assert "Traceback" not in response.text and 'File "' not in response.text
            assert health.status_code == 503
            assert page.status_code == 503
            assert "Sorry, the service is unavailable" in page.text
            pid = server.process.pid if server.process else None

            _allow_connections(name, True)
            started = time.monotonic()
            while client.get("/healthz").status_code != 200:
                assert time.monotonic() - started < RECOVERY_SECONDS, "no recovery"
                time.sleep(0.2)
            recovered = time.monotonic() - started
            assert _tasks(client).status_code in (200, 303)
            assert server.process is not None and server.process.pid == pid  # the same process
    finally:
        server.stop()
    figures = (
        f"healthz 503 and the unavailable page while cut off; healthz 200 {recovered:.1f} s after"
    )
    print(f"\ndatabase unreachable: {figures}")
    record_property("database_unreachable", figures)
