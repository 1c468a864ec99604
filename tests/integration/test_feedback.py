"""Feedback and contact: the contact page and accessibility statement give email, text relay and
the feedback form; feedback is checked, stored (nothing personal asked), rate-limited and
CSRF-protected; only the lead force's staff read it, and each reading is audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.forms import post_form
from tests.support.staff import new_staff, sign_in, unique_ip
from webapp.app import create_app
from webapp.store.db import create_sync_engine
from webapp.web.feedback import POSTS_PER_CLIENT_PER_HOUR


@pytest.fixture
def app(database_url: str):  # type: ignore[no-untyped-def]
    return create_app(
        make_settings(
            database_url, lead_force="west-yorkshire", contact_email="help@example.police.uk"
        )
    )


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as test_client:
        yield test_client


def _feedback_rows(database_url: str, improvement: str) -> list[tuple[str, str]]:
    engine = create_sync_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT satisfaction, improvement FROM feedback WHERE improvement = :i"),
                {"i": improvement},
            ).all()
            return [(row[0], row[1]) for row in rows]
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", ["/contact", "/accessibility"])
def test_contact_routes_beyond_101(client: TestClient, url: str) -> None:
    page = client.get(url).text
    assert 'href="mailto:help@example.police.uk"' in page
    assert "18001 101" in page
    assert 'href="/feedback"' in page


def test_every_public_page_asks_for_feedback_in_its_phase_banner(client: TestClient) -> None:
    banner = client.get("/").text.split("govuk-phase-banner", 1)[1].split("</div>", 2)[0]
    assert 'href="/feedback"' in banner


def test_feedback_is_stored_and_thanked(client: TestClient, database_url: str) -> None:
    words = f"Bigger buttons please {uuid.uuid4().hex[:8]}"
    form = client.get("/feedback").text
    assert 'name="satisfaction"' in form and 'name="improvement"' in form
    assert "govuk-character-count" in form
    response = post_form(client, "/feedback", {"satisfaction": "satisfied", "improvement": words})
    assert response.status_code == 303 and response.headers["location"] == "/feedback/sent"
    assert "Feedback sent" in client.get("/feedback/sent").text
    assert _feedback_rows(database_url, words) == [("satisfied", words)]


def test_feedback_errors_keep_what_was_typed(client: TestClient, database_url: str) -> None:
    words = f"No choice made {uuid.uuid4().hex[:8]}"
    response = post_form(client, "/feedback", {"improvement": words})
    assert response.status_code == 200
    assert "Select how you felt about the service" in response.text
    assert words in response.text
    too_long = post_form(
        client, "/feedback", {"satisfaction": "neither", "improvement": "x" * 1201}
    )
    assert "govuk-error-summary" in too_long.text
    assert _feedback_rows(database_url, words) == []


def test_feedback_needs_csrf_and_is_rate_limited(client: TestClient) -> None:
    client.get("/feedback")
    assert (
        client.post(
            "/feedback", data={"satisfaction": "satisfied"}, follow_redirects=False
        ).status_code
        == 403
    )
    statuses = [
        post_form(
            client, "/feedback", {"satisfaction": "satisfied", "improvement": "again"}
        ).status_code
        for _ in range(POSTS_PER_CLIENT_PER_HOUR + 1)
    ]
    assert statuses[:POSTS_PER_CLIENT_PER_HOUR] == [303] * POSTS_PER_CLIENT_PER_HOUR
    assert statuses[-1] == 429


def test_only_the_lead_force_reads_feedback_and_each_view_is_audited(
    app, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    words = f"Lead force sees this {uuid.uuid4().hex[:8]}"
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as public:
        post_form(public, "/feedback", {"satisfaction": "very-dissatisfied", "improvement": words})
    lead, other = new_staff(database_url, "west-yorkshire"), new_staff(database_url, "cheshire")
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as client:
        sign_in(client, other)
        assert 'href="/staff/feedback"' not in client.get("/staff").text
        assert client.get("/staff/feedback").status_code == 403
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as client:
        sign_in(client, lead)
        assert 'href="/staff/feedback"' in client.get("/staff").text
        page = client.get("/staff/feedback")
        assert page.status_code == 200 and words in page.text and "Very dissatisfied" in page.text
    engine = create_sync_engine(database_url)
    try:
        with engine.connect() as connection:
            events = connection.execute(
                text("SELECT staff_id FROM audit_event WHERE action = 'viewed feedback'")
            ).all()
    finally:
        engine.dispose()
    assert (lead.id,) in [tuple(row) for row in events] and (other.id,) not in [
        tuple(row) for row in events
    ]
