"""The confirmation email: queued in the submission's own transaction (or not at all), told on
the confirmation page, delivered with the reference, force, next steps and where to get the copy;
the copy page that link leads to asks for the reference and date of birth; staff can send the
email again for an application of their own force."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.databases import run_sql
from tests.support.firearms import COMPLETE
from tests.support.forms import csrf_from, post_form
from tests.support.paying import declare_and_pay
from tests.support.resume import Outbox, in_thread, reference_of, set_draft, unique_email
from tests.support.staff import new_staff, sent_application, sign_in, unique_ip
from webapp.app import create_app
from webapp.notify import CONFIRMATION, queue_confirmation
from webapp.store import drafts
from webapp.store.db import create_app_engine, session_factory, unit_of_work
from webapp.store.models import Application

BASE = "/apply/firearm-certificate"


@pytest.fixture
def app_and_mail(database_url: str) -> Iterator[tuple[TestClient, Outbox]]:
    app = create_app(make_settings(database_url))
    mail = Outbox()
    app.state.mailer = mail
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as client:
        yield client, mail


def _complete_draft(client: TestClient, database_url: str, **answers: object) -> str:
    post_form(client, BASE, {}, action=f"{BASE}/start")
    post_form(client, f"{BASE}/force", {"postcode": "LS1 1UR"})
    reference = reference_of(client)
    values = {**COMPLETE, **answers}
    set_draft(
        database_url,
        reference,
        answers={key: value for key, value in values.items() if value is not None},
    )
    return reference


def _send(client: TestClient) -> str:
    response = declare_and_pay(client, BASE)
    assert response.status_code == 303, response.text[:1000]
    return client.get(f"{BASE}/confirmation").text


def test_submission_queues_and_sends_the_confirmation(
    app_and_mail: tuple[TestClient, Outbox], database_url: str
) -> None:
    client, mail = app_and_mail
    address = unique_email()
    reference = _complete_draft(client, database_url, email=address, surname="Privateperson")
    page = _send(client)
    assert f"We have sent a confirmation email to {address}" in page
    rows = run_sql(
        database_url,
        "SELECT o.template, o.status FROM outbox o JOIN application a ON a.id = o.application_id "
        "WHERE a.reference = :ref",
        ref=reference,
    )
    assert rows == [(CONFIRMATION, "sent")]
    [email] = mail.to(address)
    assert reference in email.subject + email.body
    assert "West Yorkshire Police" in email.body
    assert (
        "The police will contact your GP and your referees" in email.body
    )  # the service's own words
    assert "http://testserver/copy" in email.body
    assert "Privateperson" not in email.body and "1980" not in email.body  # no answers in the email


def test_no_email_given_means_no_email_and_the_page_says_so(
    app_and_mail: tuple[TestClient, Outbox], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Channels where email is optional (phone, paper): no address, so no email."""
    client, _mail = app_and_mail
    reference = _complete_draft(client, database_url)
    import webapp.sending

    monkeypatch.setattr(webapp.sending, "contact_email", lambda *args, **kwargs: None)
    page = _send(client)
    assert "You did not give an email address" in page
    assert "We have sent a confirmation email" not in page
    assert (
        run_sql(
            database_url,
            "SELECT o.id FROM outbox o JOIN application a ON a.id = o.application_id "
            "WHERE a.reference = :ref",
            ref=reference,
        )
        == []
    )


def test_nothing_is_queued_when_the_submission_rolls_back(database_url: str) -> None:
    address = unique_email()

    async def scenario() -> tuple[str, int]:
        engine = create_app_engine(database_url)
        sessions = session_factory(engine)
        try:
            async with unit_of_work(sessions) as session:
                draft = await drafts.create_draft(
                    session, service="firearm-certificate", force_id="cheshire"
                )

            def queue_then_fail(session) -> None:  # type: ignore[no-untyped-def]
                queue_confirmation(session, draft, address, "en")
                raise RuntimeError("the submission fails after the email was queued")

            with pytest.raises(RuntimeError):
                async with unit_of_work(sessions) as session:
                    await drafts.submit(
                        session,
                        draft.id,
                        expected_version=draft.version,
                        fee_pence=None,
                        fee_description=None,
                        with_submission=queue_then_fail,
                    )
            async with unit_of_work(sessions) as session:
                # A stale version: the submission does not happen, so neither does the email.
                sent = await drafts.submit(
                    session,
                    draft.id,
                    expected_version=draft.version + 5,
                    fee_pence=None,
                    fee_description=None,
                    with_submission=lambda s: queue_confirmation(s, draft, address, "en"),
                )
                assert sent is False
                status = (await session.get(Application, draft.id)).status  # type: ignore[union-attr]
            return status, draft.id
        finally:
            await engine.dispose()

    status, application_id = in_thread(asyncio.run, scenario())
    assert status == "draft"
    assert run_sql(database_url, "SELECT id FROM outbox WHERE to_address = :to", to=address) == []
    assert (
        run_sql(database_url, "SELECT id FROM outbox WHERE application_id = :id", id=application_id)
        == []
    )


def _ask_for_copy(
    client: TestClient, reference: str, day: str = "3", month: str = "2", year: str = "1980"
):  # type: ignore[no-untyped-def]
    return post_form(
        client,
        "/copy",
        {
            "reference": reference,
            "date_of_birth-day": day,
            "date_of_birth-month": month,
            "date_of_birth-year": year,
        },
    )


def test_the_copy_link_works_only_with_the_right_date_of_birth(
    app_and_mail: tuple[TestClient, Outbox], database_url: str
) -> None:
    client, _mail = app_and_mail
    reference = _complete_draft(client, database_url, email=unique_email())
    _send(client)
    with TestClient(client.app, raise_server_exceptions=False, client=(unique_ip(), 1)) as stranger:
        assert stranger.get("/copy/application.pdf").status_code == 404
        wrong = _ask_for_copy(stranger, reference, year="1981")
        assert (
            wrong.status_code == 200
            and "We could not find a sent application with those details" in wrong.text
        )
        assert stranger.get("/copy/application.pdf").status_code == 404
        empty = _ask_for_copy(stranger, "", "", "", "")
        assert "Enter your application reference" in empty.text
        right = _ask_for_copy(stranger, reference.lower().replace("-", " "))
        assert right.status_code == 303 and right.headers["location"] == "/copy/ready"
        assert reference in stranger.get("/copy/ready").text
        pdf = stranger.get("/copy/application.pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["cache-control"] == "no-store" and pdf.content.startswith(b"%PDF")


def test_a_draft_has_no_copy_and_guessing_is_locked_out(
    app_and_mail: tuple[TestClient, Outbox], database_url: str
) -> None:
    client, _mail = app_and_mail
    reference = _complete_draft(client, database_url)
    assert (
        "We could not find" in _ask_for_copy(client, reference).text
    )  # right details, but not sent
    statuses = [_ask_for_copy(client, reference, year="1970").status_code for _ in range(5)]
    assert statuses[-1] == 429
    assert _ask_for_copy(client, reference).status_code == 429


def test_the_copy_form_needs_its_csrf_token(app_and_mail: tuple[TestClient, Outbox]) -> None:
    client, _mail = app_and_mail
    client.get("/copy")
    response = client.post("/copy", data={"reference": "ABCD-1234"}, follow_redirects=False)
    assert response.status_code == 403


def test_staff_can_send_the_confirmation_again_for_their_own_force(database_url: str) -> None:
    app = create_app(make_settings(database_url))
    mail = Outbox()
    app.state.mailer = mail
    address = unique_email("caller")
    application = sent_application(database_url, "cheshire")
    set_draft(
        database_url, application.reference, answers={**application.answers, "email": address}
    )
    mine, theirs = new_staff(database_url, "cheshire"), new_staff(database_url, "merseyside")
    url = f"/staff/applications/{application.id}/confirmation-email"
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as other:
        sign_in(other, theirs)
        token = csrf_from(other.get("/staff").text)
        assert (
            other.post(url, data={"csrf_token": token}, follow_redirects=False).status_code == 404
        )
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as client:
        sign_in(client, mine)
        page = client.get(f"/staff/applications/{application.id}").text
        assert "Send the confirmation email" in page
        assert client.post(url, data={}, follow_redirects=False).status_code == 403  # no CSRF token
        response = client.post(url, data={"csrf_token": csrf_from(page)}, follow_redirects=False)
        assert response.status_code == 303
        assert (
            f"Confirmation email sent to {address}" in client.get(response.headers["location"]).text
        )
    [email] = mail.to(address)
    assert application.reference in email.body
    assert run_sql(
        database_url,
        "SELECT action, staff_id FROM audit_event WHERE application_id = :id AND action = :a",
        id=application.id,
        a="sent confirmation email",
    ) == [("sent confirmation email", mine.id)]
