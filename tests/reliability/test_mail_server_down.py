"""The mail server down, then back: confirmation emails queued for sent applications wait in
the outbox while nothing answers on the SMTP port (each attempt recorded, nothing lost), and
once the server is up every one of them is delivered exactly once, however often delivery
runs."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from tests.conftest import make_settings
from tests.support.databases import run_sql
from tests.support.mail import MailServer
from tests.support.resume import in_thread
from tests.support.staff import sent_application
from webapp.notify import CONFIRMATION, SmtpTransport, deliver_due, queue_confirmation
from webapp.store.db import create_app_engine, session_factory, unit_of_work
from webapp.store.models import Application, utcnow

EMAILS = 12


async def _queue(database_url: str, ids: list[int], addresses: list[str]) -> None:
    engine = create_app_engine(database_url)
    try:
        async with unit_of_work(session_factory(engine)) as session:
            for application_id, address in zip(ids, addresses, strict=True):
                application = await session.get(Application, application_id)
                assert application is not None
                queue_confirmation(session, application, address, "en")
    finally:
        await engine.dispose()


async def _deliver(database_url: str, server: MailServer, minutes_later: float) -> int:
    engine = create_app_engine(database_url)
    settings = make_settings(database_url, smtp_url=server.url)
    transport = SmtpTransport(server.url, settings.email_from, timeout=2.0)
    try:
        when = utcnow() + timedelta(minutes=minutes_later)
        return await deliver_due(session_factory(engine), settings, transport, when)
    finally:
        await engine.dispose()


def _rows(database_url: str, addresses: list[str]) -> list[tuple[str, int]]:
    rows = run_sql(
        database_url,
        "SELECT to_address, status, attempts FROM outbox WHERE template = :t",
        t=CONFIRMATION,
    )
    return [(status, attempts) for to, status, attempts in rows if to in addresses]


def test_every_queued_email_is_delivered_once_after_the_mail_server_returns(
    database_url: str, record_property: pytest.RecordProperty
) -> None:
    run = uuid.uuid4().hex[:8]
    addresses = [f"down-{run}-{n}@example.com" for n in range(EMAILS)]
    ids = [sent_application(database_url, "west-yorkshire").id for _ in addresses]
    in_thread(asyncio.run, _queue(database_url, ids, addresses))
    server = MailServer()  # its port chosen, nothing listening there yet

    # Down: twice, the second time after the first retry is due. Nothing sent, nothing lost.
    sent_while_down = in_thread(asyncio.run, _deliver(database_url, server, 0))
    sent_while_down += in_thread(asyncio.run, _deliver(database_url, server, 2))
    rows = _rows(database_url, addresses)
    attempts_while_down = sum(attempts for _, attempts in rows)
    assert sent_while_down == 0
    assert sorted(rows) == [("pending", 2)] * EMAILS, rows

    server.start()
    try:
        sent = in_thread(asyncio.run, _deliver(database_url, server, 60))
        again = in_thread(
            asyncio.run, _deliver(database_url, server, 120)
        )  # a second run sends nothing
        received = server.wait_for(EMAILS)
    finally:
        server.stop()
    ours = [message["To"] for message in received if message["To"] in addresses]
    figures = (
        f"{EMAILS} queued, {sent_while_down} sent in 2 runs while down "
        f"({attempts_while_down} attempts recorded), "
        f"{len(ours)} delivered when back, {again} on the run after"
    )
    print(f"\nmail server down then back: {figures}")
    record_property("mail_down_then_back", figures)
    assert sorted(ours) == sorted(addresses), "each email delivered exactly once"
    assert sent >= EMAILS and again == 0
    assert sorted(_rows(database_url, addresses)) == [("sent", 3)] * EMAILS
