"""Save and come back later, over HTTP without JavaScript, on SQLite and PostgreSQL: the resume
link (single use, expiry, bad tokens), resume by reference, lockout, new links without
enumeration, the timeout path, purge, and the conflict page."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.exc import NoResultFound
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.firearms import COMPLETE
from tests.support.forms import csrf_from, post_form
from tests.support.paying import declare_and_pay
from tests.support.resume import (
    Outbox,
    draft_row,
    in_thread,
    moved_clock,
    reference_of,
    set_draft,
    token_in,
    unique_email,
)
from webapp.app import create_app
from webapp.settings import Settings
from webapp.store.models import utcnow

BASE = "/apply/firearm-certificate"


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Per-client limits are tested on their own, with a client address of their own.
    return make_settings(database_url, resume_max_failures=3, resume_client_max_failures=10_000)


@pytest.fixture
def mail(client: TestClient) -> Outbox:
    outbox = Outbox()
    client.app.state.mailer = outbox  # type: ignore[attr-defined]
    return outbox


@pytest.fixture
def other(client: TestClient) -> Iterator[TestClient]:
    """A second browser on the same app: its own cookies, nothing shared but the database."""
    with TestClient(client.app, raise_server_exceptions=False) as second:
        yield second


def start(client: TestClient) -> str:
    response = post_form(client, BASE, {}, action=f"{BASE}/start")
    assert response.status_code == 303
    response = post_form(client, f"{BASE}/force", {"postcode": "LS1 1UR"})
    assert response.headers["location"].endswith("/tasks")
    return reference_of(client)


def save_for_later(
    client: TestClient, page: str, data: dict[str, object], email: str | None = None
) -> str:
    """Save a page for later and ask for a link; the address used (unique unless given)."""
    email = email or unique_email()
    response = post_form(client, f"{BASE}/{page}", {**data, "save": "later"})
    assert (
        response.status_code == 303 and response.headers["location"] == f"{BASE}/save-and-return"
    ), response.text[:500]
    response = post_form(client, f"{BASE}/save-and-return", {"email": email})
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/saved"
    return email


def use_link(client: TestClient, token: str):  # type: ignore[no-untyped-def]
    landing = client.get(f"/resume/{token}", follow_redirects=False)
    assert landing.status_code == 303 and landing.headers["location"] == "/resume"
    assert landing.headers["referrer-policy"] == "no-referrer"
    page = client.get("/resume")
    assert page.headers["referrer-policy"] == "no-referrer"
    if page.status_code != 200:
        return page
    assert token not in page.text
    return client.post("/resume", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False)


def test_save_invalid_answers_email_a_link_and_resume_in_another_browser(
    client: TestClient, other: TestClient, mail: Outbox, database_url: str
) -> None:
    reference = start(client)
    # A half-typed page: not valid, kept as typed.
    post_form(client, f"{BASE}/certificates", {"certificates": "fac"})
    address = save_for_later(client, "fac_kind", {"fac_kind": "not-an-option"})
    saved = client.get(f"{BASE}/saved").text
    assert reference in saved and address in saved and "delete your application on" in saved

    sent = mail.to(address)
    assert len(sent) == 1
    email = sent[0]
    assert "Apply for a firearm or shotgun certificate" in email.body
    assert "West Yorkshire Police" in email.body  # the force, by name
    assert reference in email.body
    assert "not-an-option" not in email.body and "fac" not in email.body.lower().replace(
        "facts", ""
    )
    token = token_in(email.body)
    assert len(token) >= 22  # at least 128 bits
    # Only the hash is stored.
    from sqlalchemy import text

    from webapp.store.db import create_sync_engine

    engine = create_sync_engine(database_url)
    with engine.connect() as connection:
        hashes = [row[0] for row in connection.execute(text("SELECT token_hash FROM resume_token"))]
    engine.dispose()
    assert token not in hashes and all(len(value) == 64 for value in hashes)

    response = use_link(other, token)
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/tasks"
    assert reference_of(other) == reference
    page = other.get(f"{BASE}/certificates").text
    assert 'value="fac" checked' in page
    # The page saved as typed shows its error now.
    page = other.get(f"{BASE}/fac_kind")
    assert page.status_code == 200 and "govuk-error-summary" in page.text


def test_a_link_works_once(client: TestClient, other: TestClient, mail: Outbox) -> None:
    start(client)
    address = save_for_later(client, "certificates", {"certificates": "fac"})
    token = token_in(mail.to(address)[0].body)
    assert use_link(other, token).status_code == 303
    with TestClient(client.app, raise_server_exceptions=False) as third:
        again = use_link(third, token)
    assert again.status_code == 410
    assert "expired or has already been used" in again.text and "/resume/new-link" in again.text


def test_an_expired_link_fails_cleanly(client: TestClient, other: TestClient, mail: Outbox) -> None:
    start(client)
    address = save_for_later(client, "certificates", {"certificates": "fac"})
    token = token_in(mail.to(address)[0].body)
    client.app.state.clock = moved_clock(utcnow(), days=28, minutes=1)  # type: ignore[attr-defined]
    response = use_link(other, token)
    assert response.status_code == 410 and "Get a new link" in response.text


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "A" * 42,
        "A" * 44,
        "A" * 2000,
        "%00%01",
        "..%2F..%2Fetc",
        "<script>",
        secrets.token_urlsafe(32),
    ],
    ids=["short", "truncated", "long", "huge", "control", "traversal", "markup", "forged"],
)
def test_bad_tokens_get_the_same_clear_page(other: TestClient, token: str) -> None:
    landing = other.get(f"/resume/{token}", follow_redirects=False)
    assert landing.status_code in (303, 404)
    page = other.get("/resume")
    assert page.status_code in (200, 410)
    if landing.status_code == 303:
        assert page.status_code == 410 and "expired or has already been used" in page.text
    # A POST without a landing is sent back, never a 500.
    assert other.post(
        "/resume",
        data={"csrf_token": csrf_from(other.get("/resume/new-link").text)},
        follow_redirects=False,
    ).status_code in (303, 410)


def test_a_link_opens_only_its_own_draft(
    client: TestClient, other: TestClient, mail: Outbox
) -> None:
    first = start(client)
    address = save_for_later(client, "certificates", {"certificates": "fac"})
    second = start(other)
    assert first != second
    # The second browser, in its own draft, uses the first draft's link: it is the first draft
    # that opens (the link is the proof), and the second is untouched.
    response = use_link(other, token_in(mail.to(address)[0].body))
    assert response.status_code == 303
    assert reference_of(other) == first


def test_submitting_deletes_the_resume_links(
    client: TestClient, other: TestClient, mail: Outbox, database_url: str
) -> None:
    reference = start(client)
    address = save_for_later(client, "certificates", {"certificates": "fac"})
    token = token_in(mail.to(address)[0].body)
    set_draft(database_url, reference, answers=COMPLETE)
    response = declare_and_pay(client, BASE)
    assert response.status_code == 303 and response.headers["location"].endswith("/confirmation")
    assert use_link(other, token).status_code == 410


def _reference_form(client: TestClient, reference: str, dob: tuple[str, str, str], postcode: str):  # type: ignore[no-untyped-def]
    day, month, year = dob
    return post_form(
        client,
        "/resume/reference",
        {
            "reference": reference,
            "date_of_birth-day": day,
            "date_of_birth-month": month,
            "date_of_birth-year": year,
            "postcode": postcode,
        },
    )


def test_resume_by_reference_date_of_birth_and_postcode(
    client: TestClient, other: TestClient, database_url: str
) -> None:
    reference = start(client)
    set_draft(database_url, reference, answers={**COMPLETE, "surname": "Jones"})
    wrong = _reference_form(other, reference, ("4", "2", "1980"), "LS1 1UR")
    assert (
        wrong.status_code == 200
        and "We could not find an application with those details" in wrong.text
    )
    unknown = _reference_form(other, "ZZZZ-ZZZZ", ("3", "2", "1980"), "LS1 1UR")
    assert (
        unknown.status_code == 200
        and "We could not find an application with those details" in unknown.text
    )
    # Typed however people type them.
    right = _reference_form(
        other, reference.lower().replace("-", " "), ("03", "feb", "1980"), "ls11ur"
    )
    assert right.status_code == 303 and right.headers["location"] == f"{BASE}/tasks"
    assert reference_of(other) == reference


def test_reference_form_errors_are_clear(other: TestClient) -> None:
    response = _reference_form(other, "not a ref", ("", "", ""), "")
    assert response.status_code == 200
    assert "Enter your reference as it is shown" in response.text
    assert "Enter date of birth" in response.text or "Enter your date of birth" in response.text


def test_a_reference_locks_after_repeated_failures(
    client: TestClient, other: TestClient, database_url: str
) -> None:
    reference = start(client)
    set_draft(database_url, reference, answers=COMPLETE)
    for _attempt in range(2):
        assert _reference_form(other, reference, ("1", "1", "1990"), "LS1 1UR").status_code == 200
    locked = _reference_form(other, reference, ("1", "1", "1990"), "LS1 1UR")
    assert locked.status_code == 429 and "too many times" in locked.text
    # Now even the right details are refused from that client, until its wait ends...
    assert _reference_form(other, reference, ("3", "2", "1980"), "LS1 1UR").status_code == 429
    # ...but the owner, from anywhere else, is not held back by someone else's guesses.
    owner_address = (f"203.0.113.{secrets.randbelow(250) + 1}", 50000)
    with TestClient(client.app, raise_server_exceptions=False, client=owner_address) as owner:
        assert _reference_form(owner, reference, ("3", "2", "1980"), "LS1 1UR").status_code == 303
    # An unknown reference locks the same way (so a lock tells nothing about existence).
    for _attempt in range(2):
        _reference_form(other, "ABCD-EFGH", ("1", "1", "1990"), "LS1 1UR")
    assert _reference_form(other, "ABCD-EFGH", ("1", "1", "1990"), "LS1 1UR").status_code == 429
    # The lock ends after its time.
    client.app.state.clock = moved_clock(utcnow(), hours=25)  # type: ignore[attr-defined]
    assert _reference_form(other, reference, ("3", "2", "1980"), "LS1 1UR").status_code == 303


def test_a_reference_guessed_at_from_everywhere_opens_only_by_its_emailed_link(
    database_url: str,
) -> None:
    mail = Outbox()
    app = create_app(
        make_settings(database_url, resume_reference_max_failures=4, resume_max_failures=3)
    )
    with TestClient(app, raise_server_exceptions=False) as owner:
        owner.app.state.mailer = mail  # type: ignore[attr-defined]
        reference = start(owner)
        set_draft(database_url, reference, answers=COMPLETE)
        link_email = save_for_later(owner, "name", {"surname": "Jones"})
        for n in range(4):  # four guessers, one wrong try each
            address = (f"192.0.2.{n + 1}", 40000 + n)
            with TestClient(app, raise_server_exceptions=False, client=address) as guesser:
                _reference_form(guesser, reference, ("1", "1", "1990"), "LS1 1UR")
        with TestClient(app, raise_server_exceptions=False, client=("203.0.113.9", 1)) as late:
            locked = _reference_form(late, reference, ("3", "2", "1980"), "LS1 1UR")
            assert locked.status_code == 429
            # The link emailed to the owner still opens the draft: no guesser has it.
            token = token_in(mail.to(link_email)[0].body)
            assert use_link(late, token).headers["location"] == f"{BASE}/tasks"


def test_a_client_is_limited_across_references(database_url: str) -> None:
    app = create_app(make_settings(database_url, resume_client_max_failures=3))
    host = f"198.51.100.{secrets.randbelow(250) + 1}"
    with TestClient(app, raise_server_exceptions=False, client=(host, 50000)) as browser:
        for number in range(3):
            assert (
                _reference_form(
                    browser, f"ABCD-EFG{number + 2}", ("1", "1", "1990"), "LS1 1UR"
                ).status_code
                == 200
            )
        assert (
            _reference_form(browser, "ABCD-EFGJ", ("1", "1", "1990"), "LS1 1UR").status_code == 429
        )


def test_asking_for_a_new_link_does_not_reveal_whether_an_address_has_a_draft(
    client: TestClient, other: TestClient, mail: Outbox
) -> None:
    start(client)
    address, nobody = (
        save_for_later(client, "certificates", {"certificates": "fac"}),
        unique_email("nobody"),
    )
    mail.sent.clear()
    known = post_form(other, "/resume/new-link", {"email": address.upper()})
    unknown = post_form(other, "/resume/new-link", {"email": nobody})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["location"] == unknown.headers["location"] == "/resume/new-link/sent"
    assert len(mail.to(address)) == 1 and mail.to(nobody) == []
    assert use_link(other, token_in(mail.to(address)[0].body)).status_code == 303
    bad = post_form(other, "/resume/new-link", {"email": "not an email"})
    assert bad.status_code == 200 and "correct format" in bad.text


def test_new_link_requests_per_address_are_limited(
    client: TestClient, other: TestClient, mail: Outbox
) -> None:
    start(client)
    address = save_for_later(client, "certificates", {"certificates": "fac"})
    mail.sent.clear()
    for _attempt in range(6):
        assert post_form(other, "/resume/new-link", {"email": address}).status_code == 303
    assert len(mail.to(address)) == 3


def test_an_answer_posted_after_the_session_timed_out_is_saved_on_return(
    client: TestClient, database_url: str
) -> None:
    reference = start(client)
    answers = {key: value for key, value in COMPLETE.items() if key not in ("surname",)}
    set_draft(database_url, reference, answers=answers)
    page = client.get(f"{BASE}/name")
    assert page.status_code == 200
    token = csrf_from(page.text)
    client.cookies.clear()  # the session cookie expired while the person was typing
    response = client.post(
        f"{BASE}/name",
        data={
            "title": "Ms",
            "surname": "Jones-Timeout",
            "forenames": "Ann Mary",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/timed-out"
    explained = client.get(f"{BASE}/timed-out")
    assert "Your session timed out" in explained.text and "What is your name?" in explained.text
    back = _reference_form(client, reference, ("3", "2", "1980"), "LS1 1UR")
    assert back.status_code == 200 and "We have saved the answers you gave" in back.text
    assert draft_row(database_url, reference).answers["surname"] == "Jones-Timeout"


def test_a_cross_site_post_to_a_timed_out_session_is_refused(client: TestClient) -> None:
    start(client)
    client.cookies.clear()
    response = client.post(
        f"{BASE}/name",
        data={"surname": "x"},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_the_session_can_be_extended(client: TestClient) -> None:
    assert (
        client.post(
            "/session/extend", data={"csrf_token": csrf_from(client.get("/resume/new-link").text)}
        ).status_code
        == 401
    )
    start(client)
    page = client.get(f"{BASE}/certificates").text
    assert 'data-module="app-timeout-warning"' in page
    for _attempt in range(12):
        response = client.post("/session/extend", headers={"X-CSRF-Token": csrf_from(page)})
        assert response.status_code == 200 and response.json()["extended"] is True
    ended = client.get("/session/ended")
    assert "We have closed your application on this device" in ended.text
    assert client.get(f"{BASE}/tasks", follow_redirects=False).status_code == 303


def test_purge_deletes_drafts_untouched_for_the_retention_period(
    client: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, recent = start(client), None
    with TestClient(client.app, raise_server_exceptions=False) as second:
        recent = start(second)
    set_draft(database_url, old, updated_at=utcnow() - timedelta(days=29))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    from webapp.cli import main

    assert in_thread(main, ["purge"]) == 0
    with pytest.raises(NoResultFound):
        draft_row(database_url, old)
    assert draft_row(database_url, recent).reference == recent


def test_a_stale_save_shows_the_latest_answers(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    reference = start(client)
    set_draft(database_url, reference, answers={"certificates": ["fac"], "fac_kind": "grant"})
    from webapp.store import drafts

    async def stale(*_args: object, **_kwargs: object) -> int:
        raise drafts.StaleDraft()

    monkeypatch.setattr(drafts, "save_answers", stale)
    response = post_form(client, f"{BASE}/certificates", {"certificates": "sgc"})
    assert response.status_code == 409
    assert (
        "changed somewhere else" in response.text
        and "Your answers as they are now" in response.text
    )
    assert "Firearm certificate" in response.text


def test_privacy_notice_states_the_retention_period(client: TestClient) -> None:
    assert "not been changed for 28 days is deleted" in client.get("/privacy").text


def _post_without_a_session(client: TestClient, surname: str) -> int:
    client.cookies.clear()
    response = client.post(
        f"{BASE}/name",
        data={"title": "Ms", "surname": surname, "forenames": "Ann"},
        follow_redirects=False,
    )
    return response.status_code


def test_answers_kept_from_expired_sessions_are_bounded_per_client(
    settings: Settings, database_url: str
) -> None:
    from tests.support.databases import run_sql
    from tests.support.staff import unique_ip
    from webapp.store.resume import PENDING_PER_CLIENT

    before = run_sql(database_url, "SELECT count(*) FROM pending_answer")[0][0]
    app = create_app(settings)
    with TestClient(app, client=(unique_ip(), 5000)) as flooding:
        answers = [_post_without_a_session(flooding, f"Flood{n}") for n in range(30)]
        # Too big to be a page of answers: not kept, whoever sends it.
        flooding.cookies.clear()
        big = flooding.post(f"{BASE}/name", data={"surname": "x" * 70_000}, follow_redirects=False)
    assert answers.count(303) == PENDING_PER_CLIENT
    assert set(answers[PENDING_PER_CLIENT:]) == {403}
    assert big.status_code in (403, 413)
    after = run_sql(database_url, "SELECT count(*) FROM pending_answer")[0][0]
    assert after - before == PENDING_PER_CLIENT
    # Another client is not held back by the first.
    with TestClient(app, client=(unique_ip(), 5000)) as someone_else:
        assert _post_without_a_session(someone_else, "Honest") == 303


def test_answers_kept_from_an_expired_session_last_hours_not_weeks(
    client: TestClient, database_url: str
) -> None:
    from tests.support.databases import run_sql

    assert _post_without_a_session(client, "Forgotten") == 303
    run_sql(
        database_url,
        "UPDATE pending_answer SET created_at = :old",
        old=utcnow() - timedelta(hours=7),
    )
    # Gone when the next one is kept, and never offered back meanwhile.
    assert client.get(f"{BASE}/timed-out").status_code == 200
    assert "What is your name?" not in client.get(f"{BASE}/timed-out").text
    assert _post_without_a_session(client, "Recent") == 303
    rows = run_sql(database_url, "SELECT count(*) FROM pending_answer")
    assert rows[0][0] == 1


def _copy_of_the_cookie(client: TestClient, other: TestClient) -> None:
    for cookie in client.cookies.jar:
        other.cookies.set(cookie.name, cookie.value or "")


def test_a_copied_cookie_dies_when_the_person_leaves(client: TestClient, other: TestClient) -> None:
    start(client)
    _copy_of_the_cookie(client, other)
    assert other.get(f"{BASE}/tasks", follow_redirects=False).status_code == 200
    assert "We have closed your application" in client.get("/session/ended").text
    assert other.get(f"{BASE}/tasks", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("column", "age"),
    [("last_seen_at", timedelta(minutes=31)), ("created_at", timedelta(hours=13))],
    ids=["idle", "absolute"],
)
def test_a_session_ends_on_the_server_when_idle_or_too_old(
    client: TestClient, other: TestClient, database_url: str, column: str, age: timedelta
) -> None:
    from tests.support.databases import run_sql

    start(client)
    _copy_of_the_cookie(client, other)
    run_sql(database_url, f"UPDATE browser_session SET {column} = :then", then=utcnow() - age)
    # However freshly re-signed the cookie, the server's record has ended: both copies are out.
    assert other.get(f"{BASE}/tasks", follow_redirects=False).status_code == 303
    assert client.get(f"{BASE}/tasks", follow_redirects=False).status_code == 303
