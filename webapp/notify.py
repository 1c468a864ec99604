"""Outgoing email: delivery of the outbox (webapp/store/outbox.py) through one transport.

Transports, chosen by settings: GOV.UK Notify when NOTIFY_API_KEY is set; SMTP when SMTP_URL is
set; otherwise (development) the message is written to the log. Sending is blocking network
I/O, so it runs in a worker thread, never on the event loop.

Delivery happens in two places, both calling `deliver_due`: straight after the request that
queued a message (a background task, so the page never waits for the mail server) and in
`python -m webapp worker`, which retries with backoff whatever could not be sent.
Emails are plain text, name the service and the force, and never contain answers.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import anyio
import jinja2
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from webapp import i18n
from webapp.engine.fields.dates import format_date
from webapp.fees import format_pounds
from webapp.settings import PROJECT_ROOT, ConfigurationError, Settings
from webapp.store import card_payments, force_services, outbox
from webapp.store import resume as resume_store
from webapp.store.models import Application, Force, utcnow
from webapp.uk_time import uk_local

log = logging.getLogger("webapp.notify")

RESUME_LINK = "resume_link"
LINK_REQUEST = "link_request"
# Sent when an application is submitted (and again when staff ask): see `queue_confirmation`.
CONFIRMATION = outbox.CONFIRMATION
# Sent when a force refunds (part of) what the applicant paid: see `queue_refund`.
REFUND = "refund_sent"
# Sent to a staff member when a client is made to wait after failing at their account: see
# `queue_sign_in_attempts`.
SIGN_IN_ATTEMPTS = "sign_in_attempts"
# Where the confirmation email sends people for their PDF copy (they give reference and identity).
COPY_PATH = "/copy"


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str


class Transport(Protocol):
    def send(self, message: Email) -> None: ...


class LogTransport:
    """Development without SMTP_URL: the email is printed to the log, and nothing is sent."""

    def send(self, message: Email) -> None:
        log.info(
            "email (not sent: no SMTP_URL) to %s\nSubject: %s\n\n%s",
            message.to,
            message.subject,
            message.body,
        )


class SmtpTransport:
    """SMTP_URL: smtp://[user:password@]host[:port] (STARTTLS when offered, or ?starttls=required)
    or smtps://… for TLS from the start."""

    def __init__(self, url: str, sender: str, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigurationError(
                "SMTP_URL must look like smtp://host:port or smtps://host:port"
            )
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = parse_qs(parts.query).get("starttls", [""])[0]
        self.sender = sender
        self.timeout = timeout

    def send(self, message: Email) -> None:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Date"] = email.utils.formatdate(localtime=False)
        mail["Message-ID"] = email.utils.make_msgid(
            domain=self.sender.rpartition("@")[2].strip("> ") or None
        )
        mail.set_content(message.body)
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if self.tls:
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            client.ehlo()
            if not self.tls and (self.starttls == "required" or client.has_extn("starttls")):
                client.starttls(context=context)
                client.ehlo()
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(mail)


class NotifyTransport:
    """GOV.UK Notify. Its template must be a plain one: ((subject)) as the subject line and
    ((body)) as the whole message, so the text is still written here, once."""

    def __init__(self, api_key: str, template_id: str) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key)  # type: ignore[no-untyped-call]  # untyped library
        self.template_id = template_id

    def send(self, message: Email) -> None:
        self.client.send_email_notification(  # type: ignore[no-untyped-call]
            email_address=message.to,
            template_id=self.template_id,
            personalisation={"subject": message.subject, "body": message.body},
        )


def transport_for(settings: Settings) -> Transport:
    if settings.notify_api_key:
        if not settings.notify_template_id:
            raise ConfigurationError("NOTIFY_TEMPLATE_ID must be set with NOTIFY_API_KEY")
        return NotifyTransport(settings.notify_api_key, settings.notify_template_id)
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url, settings.email_from)
    return LogTransport()


# --- the words ------------------------------------------------------------------------------

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PROJECT_ROOT / "templates" / "email"),
    autoescape=False,  # plain text: nothing here is ever shown as HTML
    extensions=["jinja2.ext.i18n"],
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]


def render(
    template: str, to: str, context: dict[str, Any], locale: str = i18n.DEFAULT_LOCALE
) -> Email:
    """A template's first line is the subject; the rest, after a blank line, is the body."""
    token = i18n.set_locale(locale)
    try:
        text = _env.get_template(f"{template}.txt").render(**context)
    finally:
        i18n.reset_locale(token)
    subject, _, body = text.partition("\n\n")
    return Email(to=to, subject=subject.strip(), body=body.strip() + "\n")


# --- delivery -------------------------------------------------------------------------------

Clock = Callable[[], datetime]


async def _resume_link(
    session: AsyncSession, message: outbox.OutboxMessage, settings: Settings, now: datetime
) -> tuple[Email, str] | None:
    """Mint a fresh token for the draft and write the email; None if the draft is gone."""
    from webapp.services import SERVICES

    application_id = message.application_id
    draft = await session.get(Application, application_id) if application_id else None
    if draft is None or draft.status != "draft" or draft.service not in SERVICES:
        return None
    force = await session.get(Force, draft.force_id) if draft.force_id else None
    lifetime = timedelta(days=settings.resume_link_days)
    token = resume_store.mint_token(session, draft.id, now=now, lifetime=lifetime)
    await session.commit()
    locale = str(message.params.get("locale") or i18n.DEFAULT_LOCALE)
    updated = (
        draft.updated_at if draft.updated_at.tzinfo else draft.updated_at.replace(tzinfo=now.tzinfo)
    )
    i18n_token = i18n.set_locale(locale)
    try:
        context = {
            "service_title": str(SERVICES[draft.service].title),
            "force_name": (force.name_cy if locale == "cy" and force.name_cy else force.name)
            if force
            else None,
            "reference": draft.reference,
            "link": f"{settings.base_url}/resume/{token}",
            "link_expires": format_date((now + lifetime).date()),
            "deleted_on": format_date(
                (max(updated, now) + timedelta(days=settings.draft_retention_days)).date()
            ),
        }
    finally:
        i18n.reset_locale(i18n_token)
    return render(RESUME_LINK, message.to_address, context, locale), resume_store.hash_token(token)


def queue_confirmation(
    session: AsyncSession, application: Application, to: str, locale: str
) -> None:
    """Queue the confirmation email for a submitted application, in the caller's transaction."""
    outbox.enqueue(
        session,
        template=CONFIRMATION,
        to=to,
        application_id=application.id,
        params={"locale": locale},
    )


async def queue_refund(
    session: AsyncSession, application: Application, to: str, amount_pence: int
) -> None:
    """Queue the email telling the applicant about a refund, in the caller's transaction, in
    the language their confirmation was sent in."""
    locale = await outbox.locale_of(session, application.id, CONFIRMATION)
    outbox.enqueue(
        session,
        template=REFUND,
        to=to,
        application_id=application.id,
        params={"locale": locale or i18n.DEFAULT_LOCALE, "amount_pence": amount_pence},
    )


def queue_sign_in_attempts(session: AsyncSession, to: str, failures: int, at: datetime) -> None:
    """Tell a staff member that a client failed at their account and must wait (in English, as
    the back office is), in the caller's transaction."""
    outbox.enqueue(
        session,
        template=SIGN_IN_ATTEMPTS,
        to=to,
        params={"failures": failures, "time": uk_local(at).strftime("%H:%M on %d %B %Y")},
    )


async def _sign_in_attempts(
    session: AsyncSession, message: outbox.OutboxMessage, settings: Settings
) -> Email | None:
    context = {"count": int(message.params.get("failures") or 0), "time": message.params["time"]}
    return render(SIGN_IN_ATTEMPTS, message.to_address, context)


async def _refund(
    session: AsyncSession, message: outbox.OutboxMessage, settings: Settings
) -> Email | None:
    """The refund email: how much, for which application, from which force; no answers."""
    from webapp.services import SERVICES

    application = (
        await session.get(Application, message.application_id) if message.application_id else None
    )
    if application is None or application.service not in SERVICES:
        return None
    service = SERVICES[application.service]
    force = await force_services.contact(session, application.force_id, service)
    locale = str(message.params.get("locale") or i18n.DEFAULT_LOCALE)
    i18n_token = i18n.set_locale(locale)
    try:
        context = {
            "service_title": str(service.title),
            "force_name": (force.name_cy if locale == "cy" and force.name_cy else force.name)
            if force
            else None,
            "reference": application.reference,
            "amount": format_pounds(int(message.params.get("amount_pence") or 0)),
        }
    finally:
        i18n.reset_locale(i18n_token)
    return render(REFUND, message.to_address, context, locale)


async def _confirmation(
    session: AsyncSession, message: outbox.OutboxMessage, settings: Settings
) -> Email | None:
    """The confirmation email: reference, force and how to reach it, what happens next (as the
    service declares it) and where to get the PDF copy. No answers, no attachment."""
    from webapp.services import SERVICES

    application = (
        await session.get(Application, message.application_id) if message.application_id else None
    )
    if application is None or application.status == "draft" or application.service not in SERVICES:
        return None
    service = SERVICES[application.service]
    force = await force_services.contact(session, application.force_id, service)
    paid = await card_payments.paid_for(session, application.id)
    locale = str(message.params.get("locale") or i18n.DEFAULT_LOCALE)
    i18n_token = i18n.set_locale(locale)
    try:
        context = {
            "service_title": str(service.title),
            "force_name": (force.name_cy if locale == "cy" and force.name_cy else force.name)
            if force
            else None,
            "force_phone": force.phone if force else None,
            "force_email": force.email if force else None,
            "reference": application.reference,
            "next_steps": [str(paragraph) for paragraph in service.start.after_you_apply],
            "copy_link": f"{settings.base_url}{COPY_PATH}",
            "paid": format_pounds(paid.amount_pence) if paid else None,
            # The receipt's line: what was paid for, as the fee described it (a price list's
            # item with its price before VAT and the VAT on it).
            "paid_for": paid.description if paid else None,
        }
    finally:
        i18n.reset_locale(i18n_token)
    return render(CONFIRMATION, message.to_address, context, locale)


async def _link_request(
    session: AsyncSession, message: outbox.OutboxMessage, now: datetime
) -> None:
    """'Send me a new link': queue one resume link per draft sent to that address (maybe none).
    Done here rather than in the request, so the page takes the same time either way."""
    for draft in await resume_store.drafts_for_email(session, message.to_address):
        outbox.enqueue(
            session,
            template=RESUME_LINK,
            to=message.to_address,
            application_id=draft.id,
            params={"locale": message.params.get("locale", i18n.DEFAULT_LOCALE)},
            now=now,
        )


async def deliver_one(
    sessions: async_sessionmaker[AsyncSession],
    message_id: int,
    settings: Settings,
    transport: Transport,
    now: datetime,
) -> bool:
    """Try one due message; True if it was sent (or needed no sending)."""
    async with sessions() as session:
        message = await outbox.claim(session, message_id, now)
        await session.commit()  # the lease must be seen by other workers before we send
        if message is None:
            return False
        if message.template == LINK_REQUEST:
            await _link_request(session, message, now)
            await outbox.mark_sent(session, message, now)
            await session.commit()
            return True
        try:
            made: tuple[Email, str | None] | None
            compose = _COMPOSERS.get(message.template)
            if compose is not None:
                mail = await compose(session, message, settings)
                made = (mail, None) if mail is not None else None
            else:
                made = (
                    await _resume_link(session, message, settings, now)
                    if message.template == RESUME_LINK
                    else None
                )
        except Exception as exc:  # a bug in composing must not stop the other messages
            log.exception("could not write email %s", message.id)
            await outbox.mark_failed_attempt(session, message, now, type(exc).__name__)
            await session.commit()
            return False
        if made is None:
            await outbox.mark_cancelled(session, message)
            await session.commit()
            return True
        mail, token_hash = made
        try:
            await anyio.to_thread.run_sync(transport.send, mail)
        except Exception as exc:  # noqa: BLE001 - any failure to send: retried later, never lost
            log.warning(
                "email %s not sent (attempt %s): %s",
                message.id,
                message.attempts + 1,
                type(exc).__name__,
            )
            if token_hash is not None:  # that token never reached anyone: do not leave it usable
                await session.execute(
                    delete(resume_store.ResumeToken).where(
                        resume_store.ResumeToken.token_hash == token_hash
                    )
                )
            await outbox.mark_failed_attempt(session, message, now, f"{type(exc).__name__}: {exc}")
            await session.commit()
            return False
        await outbox.mark_sent(session, message, now)
        await session.commit()
        return True


async def deliver_due(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    transport: Transport,
    now: datetime | None = None,
) -> int:
    """Send every message that is due now; the number sent."""
    now = now or utcnow()
    sent = 0
    for _round in range(5):  # a link request queues new messages: pick those up too
        async with sessions() as session:
            ids = await outbox.due_ids(session, now)
        if not ids:
            break
        results = [
            await deliver_one(sessions, message_id, settings, transport, now) for message_id in ids
        ]
        sent += sum(results)
        if not any(results):
            break
    return sent


async def deliver_after_request(app: Any) -> None:
    """Background task after a response: try at once; the worker retries what fails."""
    try:
        await deliver_due(
            app.state.sessions, app.state.settings, app.state.mailer, app.state.clock()
        )
    except Exception:
        log.exception("outbox delivery after request failed; the worker will retry")


async def run_worker(settings: Settings, *, once: bool = False, interval: float = 5.0) -> int:
    """`python -m webapp worker`: deliver the outbox until stopped (or once, for cron)."""
    from webapp.store.db import create_app_engine, session_factory

    engine = create_app_engine(settings.database_url)
    sessions = session_factory(engine)
    transport = transport_for(settings)
    total = 0
    try:
        while True:
            try:
                total += await deliver_due(sessions, settings, transport)
            except Exception:  # the database may be briefly away: keep going
                log.exception("outbox delivery failed; trying again shortly")
            if once:
                return total
            await asyncio.sleep(interval)
    finally:
        await engine.dispose()


# The messages written from their row alone (the resume link and a link request also mint or
# look up a token, and are handled on their own).
_COMPOSERS = {
    CONFIRMATION: _confirmation,
    REFUND: _refund,
    SIGN_IN_ATTEMPTS: _sign_in_attempts,
}
