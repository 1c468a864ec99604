"""Email through the outbox with a real SMTP server (aiosmtpd) on loopback, started by the test:
delivered after the request, kept while the server is down and delivered when it returns; the
development log and GOV.UK Notify transports."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.forms import post_form
from tests.support.mail import MailServer, free_port
from tests.support.resume import in_thread
from webapp.app import create_app
from webapp.notify import (
    Email,
    LogTransport,
    NotifyTransport,
    SmtpTransport,
    deliver_due,
    transport_for,
)
from webapp.settings import Settings
from webapp.store.db import create_app_engine, create_sync_engine, session_factory
from webapp.store.models import utcnow

BASE = "/apply/firearm-certificate"


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_client(database_url: str, mail_server: MailServer) -> Iterator[TestClient]:
    with TestClient(
        create_app(make_settings(database_url, smtp_url=mail_server.url)),
        raise_server_exceptions=False,
    ) as client:
        yield client


def save_for_later(client: TestClient, address: str = "ann@example.com") -> None:
    post_form(client, BASE, {}, action=f"{BASE}/start")
    post_form(client, f"{BASE}/force", {"postcode": "LS1 1UR"})
    assert (
        post_form(
            client, f"{BASE}/certificates", {"certificates": "fac", "save": "later"}
        ).status_code
        == 303
    )
    assert post_form(client, f"{BASE}/save-and-return", {"email": address}).status_code == 303


def outbox_rows(database_url: str, address: str) -> list[tuple[str, int]]:
    engine = create_sync_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT status, attempts FROM outbox WHERE to_address = :to ORDER BY id"),
            {"to": address},
        ).all()
    engine.dispose()
    return [(row[0], row[1]) for row in rows]


def test_email_is_sent_by_smtp_after_the_request(
    smtp_client: TestClient, mail_server: MailServer, database_url: str
) -> None:
    address = f"{uuid.uuid4().hex[:8]}@example.com"
    save_for_later(smtp_client, address)
    messages = [m for m in mail_server.catcher.messages if m["To"] == address]
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == address
    assert "Continue your application" in message["Subject"]
    assert message.get_content_type() == "text/plain"
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "West Yorkshire Police" in body and "/resume/" in body
    assert outbox_rows(database_url, address) == [("sent", 1)]


def test_a_message_waits_while_the_mail_server_is_down(
    smtp_client: TestClient, mail_server: MailServer, database_url: str
) -> None:
    address = f"{uuid.uuid4().hex[:8]}@example.com"
    mail_server.stop()
    save_for_later(smtp_client, address)  # the page still works
    assert outbox_rows(database_url, address) == [("pending", 1)]
    # No usable link exists for a message that was never delivered.
    engine = create_sync_engine(database_url)
    with engine.connect() as connection:
        reference_tokens = connection.execute(
            text(
                "SELECT count(*) FROM resume_token t JOIN outbox o ON o.application_id = t.application_id WHERE o.to_address = :to"
            ),
            {"to": address},
        ).scalar()
    engine.dispose()
    assert reference_tokens == 0

    mail_server.start()
    settings: Settings = smtp_client.app.state.settings  # type: ignore[attr-defined]

    async def worker_pass(later: timedelta) -> int:
        engine = create_app_engine(database_url)
        try:
            return await deliver_due(
                session_factory(engine), settings, transport_for(settings), utcnow() + later
            )
        finally:
            await engine.dispose()

    def sent_to() -> list[str]:
        return [m["To"] for m in mail_server.catcher.messages if m["To"] == address]

    in_thread(asyncio.run, worker_pass(timedelta(seconds=0)))
    assert sent_to() == []  # not due yet: backing off
    in_thread(asyncio.run, worker_pass(timedelta(minutes=1)))
    assert sent_to() == [address]
    assert outbox_rows(database_url, address) == [("sent", 2)]


def test_the_worker_command_sends_what_is_due(
    database_url: str, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = f"{uuid.uuid4().hex[:8]}@example.com"
    app = create_app(
        make_settings(database_url, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    )  # nobody listening
    with TestClient(app, raise_server_exceptions=False) as client:
        save_for_later(client, address)
    assert outbox_rows(database_url, address) == [("pending", 1)]
    engine = create_sync_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE outbox SET next_attempt_at = :now WHERE to_address = :to"),
            {"now": utcnow() - timedelta(seconds=1), "to": address},
        )
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("SMTP_URL", mail_server.url)
    from webapp.cli import main

    assert in_thread(main, ["send-email"]) == 0
    assert [m["To"] for m in mail_server.catcher.messages if m["To"] == address] == [address]


def test_without_smtp_url_the_email_is_written_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="webapp.notify")
    transport = transport_for(make_settings("sqlite://"))
    assert isinstance(transport, LogTransport)
    transport.send(Email("ann@example.com", "Subject line", "Body text\n"))
    assert "Subject line" in caplog.text and "Body text" in caplog.text


def test_notify_is_chosen_by_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    key = f"test-{uuid.uuid4()}-{uuid.uuid4()}"
    settings = make_settings(
        "sqlite://",
        notify_api_key=key,
        notify_template_id=str(uuid.uuid4()),
        smtp_url="smtp://127.0.0.1:1",
    )
    transport = transport_for(settings)
    assert isinstance(transport, NotifyTransport)
    sent: list[dict[str, object]] = []
    monkeypatch.setattr(
        transport.client, "send_email_notification", lambda **kwargs: sent.append(kwargs)
    )
    transport.send(Email("ann@example.com", "Subject", "Body\n"))
    assert sent == [
        {
            "email_address": "ann@example.com",
            "template_id": settings.notify_template_id,
            "personalisation": {"subject": "Subject", "body": "Body\n"},
        }
    ]
    assert isinstance(
        transport_for(make_settings("sqlite://", smtp_url="smtp://127.0.0.1:1")), SmtpTransport
    )
