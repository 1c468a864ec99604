"""PDF downloads over HTTP: who may download what, headers, and the stored copy."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy import select, update
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.integration.test_firearms_journey import BASE, complete_every_task, start_application
from tests.support.paying import declare_and_pay
from webapp.app import create_app
from webapp.pdf import shutdown_workers
from webapp.settings import Settings
from webapp.store.db import create_sync_engine
from webapp.store.models import Application, ApplicationDocument
from webapp.web import documents


def with_document_routes(app: Starlette) -> Starlette:
    """The routes, ahead of the journey's catch-all /apply/{service}/{page} (as app.py must
    include them); a no-op once app.py does."""
    if not any(isinstance(r, Route) and r.name == "draft_pdf" for r in app.router.routes):
        app.router.routes[0:0] = documents.routes
    return app


@pytest.fixture(scope="module", autouse=True)
def _stop_workers() -> Iterator[None]:
    yield
    shutdown_workers()


@pytest.fixture
def browser(settings: Settings) -> Iterator[TestClient]:
    with TestClient(with_document_routes(create_app(settings)), raise_server_exceptions=False) as c:
        yield c


def assert_pdf(response, *, personal: bool) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="')
    assert response.headers["cache-control"] == ("no-store" if personal else "public, max-age=3600")
    assert response.content.startswith(b"%PDF-")
    # A PDF's streams are compressed already: compressing it again costs the server for ~4%.
    assert "content-encoding" not in response.headers


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(out.stdout.decode("utf-8").split())


def test_blank_form(browser: TestClient) -> None:
    assert_pdf(browser.get("/forms/firearm-certificate.pdf"), personal=False)
    response = browser.get("/forms/firearm-certificate.pdf?force=west-yorkshire")
    assert_pdf(response, personal=False)
    assert "west-yorkshire" in response.headers["content-disposition"]


def test_blank_form_says_where_to_send_it(browser: TestClient) -> None:
    """Without a force, the form points at the site's contact page by its full address (read
    on paper, so a relative link would be useless); with one, it gives the force's address."""
    anyone = pdf_text(browser.get("/forms/firearm-certificate.pdf").content)
    assert "Send it to the police force for the area where you live." in anyone
    assert "http://testserver/contact" in anyone.replace("/ ", "/")
    force = pdf_text(browser.get("/forms/firearm-certificate.pdf?force=west-yorkshire").content)
    assert "Post the completed form to:" in force and "testserver/contact" not in force


@pytest.mark.parametrize(
    "url",
    [
        "/forms/no-such-service.pdf",
        "/forms/firearm-certificate.pdf?force=atlantis",
        "/forms/firearm-certificate.pdf?force=../../etc/passwd",
        "/forms/firearm-certificate.pdf?force=" + "x" * 500,
    ],
)
def test_blank_form_refuses_unknown_services_and_forces(browser: TestClient, url: str) -> None:
    assert browser.get(url).status_code == 404


def test_draft_pdf_needs_a_draft_in_this_session(browser: TestClient) -> None:
    assert browser.get(f"{BASE}/draft.pdf").status_code == 404
    assert browser.get("/apply/no-such-service/draft.pdf").status_code == 404
    start_application(browser)
    response = browser.get(f"{BASE}/draft.pdf")
    assert_pdf(response, personal=True)
    assert response.headers["content-disposition"].endswith('-draft.pdf"')


def test_application_pdf_is_only_for_the_session_that_sent_it(
    browser: TestClient, settings: Settings
) -> None:
    assert browser.get(f"{BASE}/confirmation/application.pdf").status_code == 404
    start_application(browser)
    complete_every_task(browser)
    assert browser.get(f"{BASE}/confirmation/application.pdf").status_code == 404  # not sent yet
    sent = declare_and_pay(browser, BASE)
    assert sent.status_code == 303
    reference = re.search(
        r"<strong>([A-Z0-9-]+)</strong>", browser.get(f"{BASE}/confirmation").text
    )
    assert reference

    first = browser.get(f"{BASE}/confirmation/application.pdf")
    assert_pdf(first, personal=True)
    assert f'filename="{reference.group(1)}.pdf"' in first.headers["content-disposition"]

    # Rendered once and stored: the next download reads the stored bytes.
    engine = create_sync_engine(settings.database_url)
    with engine.begin() as db:
        application_id = db.scalar(
            select(Application.id).where(Application.reference == reference.group(1))
        )
        stored = db.scalar(
            select(ApplicationDocument.data).where(
                ApplicationDocument.application_id == application_id
            )
        )
        assert stored == first.content
        db.execute(
            update(ApplicationDocument)
            .where(ApplicationDocument.application_id == application_id)
            .values(data=b"%PDF-stored copy")
        )
    engine.dispose()
    assert browser.get(f"{BASE}/confirmation/application.pdf").content == b"%PDF-stored copy"

    # Anyone else: 404, whatever they try.
    with TestClient(with_document_routes(create_app(settings))) as stranger:
        assert stranger.get(f"{BASE}/confirmation/application.pdf").status_code == 404
        assert stranger.get(f"{BASE}/draft.pdf").status_code == 404
        start_application(stranger)  # their own draft does not give them someone else's copy
        assert stranger.get(f"{BASE}/confirmation/application.pdf").status_code == 404
