"""Helpers for the save-and-come-back tests: an email catcher, the link in an email, and a way
to put answers straight into a draft."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from starlette.testclient import TestClient

from webapp.notify import Email
from webapp.store.db import create_sync_engine
from webapp.store.models import Application

LINK = re.compile(r"https?://[^\s/]+/resume/([A-Za-z0-9_-]+)|/resume/([A-Za-z0-9_-]+)")


class Outbox:
    """A transport that keeps what it is asked to send (or fails, while `down` is set)."""

    def __init__(self) -> None:
        self.sent: list[Email] = []
        self.down = False

    def to(self, address: str) -> list[Email]:
        """What was sent to one address (other tests' queued messages may arrive here too)."""
        return [message for message in self.sent if message.to == address]

    def send(self, message: Email) -> None:
        if self.down:
            raise ConnectionRefusedError("mail server down")
        self.sent.append(message)


def token_in(body: str) -> str:
    match = LINK.search(body)
    assert match, body
    return match.group(1) or match.group(2)


def draft_row(database_url: str, reference: str) -> Application:
    engine = create_sync_engine(database_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(Application).where(Application.reference == reference)
            ).one()
            return row  # type: ignore[return-value]
    finally:
        engine.dispose()


def set_draft(database_url: str, reference: str, **values: Any) -> None:
    engine = create_sync_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                update(Application).where(Application.reference == reference).values(**values)
            )
    finally:
        engine.dispose()


def reference_of(client: TestClient, service: str = "firearm-certificate") -> str:
    # The save page names the draft in this session (and is ours, so its wording is known).
    page = client.get(f"/apply/{service}/save-and-return").text
    match = re.search(r"Your reference is ([A-Z0-9]{4}-[A-Z0-9]{4})", page)
    assert match, page[:2000]
    return match.group(1)


def moved_clock(base: datetime, **delta: float):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    return lambda: base + timedelta(**delta)


def in_thread(function, *args):  # type: ignore[no-untyped-def]
    """Run ``function`` on a thread of its own: code that calls asyncio.run (the CLI, a worker
    pass) cannot run on the test's main thread once Playwright's event loop lives there."""
    import threading

    result: list[object] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(function(*args))
        except BaseException as exc:  # noqa: BLE001 - handed back to the test below
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    if errors:
        raise errors[0]
    return result[0]


def unique_email(name: str = "ann") -> str:
    import uuid

    return f"{name}.{uuid.uuid4().hex[:10]}@example.com"
