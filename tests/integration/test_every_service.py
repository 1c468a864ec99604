"""Every service in SERVICES, applied for from its start page to its confirmation with answers
derived from its own questions (tests/support/service_walk.py), on both databases; and its PDFs,
the blank form and the copy of what was sent, are tagged documents. A new service is covered here
as soon as it is in SERVICES, with no test of its own."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import pytest
from markupsafe import escape
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.databases import run_sql
from tests.support.service_walk import Visit, reference_of, walk_service
from webapp import engine
from webapp.app import create_app
from webapp.engine.schema import Service
from webapp.pdf import shutdown_workers
from webapp.services import SERVICES
from webapp.uk_time import uk_today

EVERY_SERVICE = pytest.mark.parametrize(
    "service", SERVICES.values(), ids=lambda service: service.slug
)


@pytest.fixture(scope="module", autouse=True)
def _stop_pdf_workers() -> Iterator[None]:
    yield
    shutdown_workers()


def stored(database_url: str, reference: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    rows = run_sql(
        database_url,
        "SELECT status, answers FROM application WHERE reference = :reference",
        reference=reference,
    )
    assert len(rows) == 1, reference
    status, answers = rows[0]
    return status, answers if isinstance(answers, dict) else json.loads(answers)


@EVERY_SERVICE
def test_every_service_can_be_applied_for(
    client: TestClient, database_url: str, service: Service
) -> None:
    walk = walk_service(client, service)
    confirmation = walk.last
    assert confirmation.path == f"/apply/{service.slug}/confirmation"
    reference = reference_of(confirmation.html)
    assert reference, "the confirmation shows the reference"
    status, answers = stored(database_url, reference)
    assert status != "draft"
    # What was sent is a complete application by the service's own rules.
    assert engine.first_unanswered(service, answers, today=uk_today()) is None
    assert walk.question_urls, "no question was asked"
    kinds = [kind for kind, _ in walk.visits]
    assert kinds[0] == "start" and "check" in kinds and "declaration" in kinds
    # Each question the walk answered is on check answers, under the service's own names.
    check = next(visit for kind, visit in walk.visits if kind == "check")
    for section in engine.check_answers(service, answers, uk_today()):
        for card in section.cards:
            for row in card.rows:
                assert str(escape(row.key)) in check.html, row.key

    # Every page met: one h1, in English, and no inline script or style (the CSP allows none).
    for kind, visit in walk.visits:
        assert visit.html.count("<h1") == 1, (kind, visit.url)
        assert '<html lang="en"' in visit.html, visit.url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", visit.html), (
            "inline <script>",
            visit.url,
        )
        assert "<style" not in visit.html and " style=" not in visit.html, visit.url

    # The back button on a sent application: a clear page, never a resubmission.
    again = client.get(walk.question_urls[0], follow_redirects=True)
    assert again.url.path == f"/apply/{service.slug}/already-sent"


def assert_tagged_pdf(pdf: bytes, service: Service) -> PdfReader:
    """A tagged PDF (structure tree, marked content) with its language and its title shown."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/MarkInfo"]["/Marked"]).lower() == "true"
    assert root["/Lang"] == "en"
    assert reader.metadata and reader.metadata.title
    assert str(service.title) in reader.metadata.title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    return reader


@pytest.fixture
def sqlite_client(sqlite_url: str) -> Iterator[TestClient]:
    """The PDFs do not depend on the database: SQLite only."""
    with TestClient(create_app(make_settings(sqlite_url)), raise_server_exceptions=False) as client:
        yield client


@EVERY_SERVICE
def test_every_service_has_tagged_pdfs(sqlite_client: TestClient, service: Service) -> None:
    client = sqlite_client
    blank = client.get(f"/forms/{service.slug}.pdf")
    assert blank.status_code == 200 and blank.headers["content-type"] == "application/pdf"
    assert_tagged_pdf(blank.content, service)

    drafts: list[bytes] = []

    def at_check(kind: str, visit: Visit) -> None:
        if kind == "check":  # the answers so far, to finish on paper
            response = client.get(f"/apply/{service.slug}/draft.pdf")
            assert response.status_code == 200
            drafts.append(response.content)

    walk_service(client, service, on_visit=at_check)
    assert len(drafts) == 1
    assert_tagged_pdf(drafts[0], service)
    sent = client.get(f"/apply/{service.slug}/confirmation/application.pdf")
    assert sent.status_code == 200 and sent.headers["content-type"] == "application/pdf"
    reader = assert_tagged_pdf(sent.content, service)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    assert reference_of(text), "the copy of the application gives its reference"
