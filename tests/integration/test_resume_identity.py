"""On both databases: resume by reference and a copy of a sent application ask for the proofs
of identity the case's service declares, with that question's own field, and compare them with
the case's own answers. A small service of the test's own proves it by email address and the
postcode of where it happened, with no date of birth."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from tests.support.forms import post_form
from tests.unit.test_engine_workflow import REPORT_WORKFLOW, report_service
from webapp.app import create_app
from webapp.engine.finding import Proof, SearchKeys
from webapp.services import SERVICES
from webapp.settings import Settings
from webapp.store.db import create_sync_engine
from webapp.store.models import Application, utcnow
from webapp.store.references import new_reference

REPORT = report_service(
    workflow=REPORT_WORKFLOW,
    search_keys=SearchKeys(postcode="where"),
    identity=[Proof("email", hint="The address you gave in your report")],
)
ANSWERS = {
    "name": "Ann Jones",
    "email": "Ann@Example.com",
    "where": {"line1": "1 High Street", "town": "Leeds", "postcode": "ls1 1ur"},
}


@pytest.fixture
def client(settings: Settings, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(SERVICES, REPORT.slug, REPORT)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _case(
    database_url: str, status: str, answers: dict[str, Any] = ANSWERS, service: str = REPORT.slug
) -> str:
    engine = create_sync_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            case = Application(
                reference=new_reference(),
                service=service,
                force_id="cheshire" if status != "draft" else None,
                status=status,
                channel="online",
                answers=answers,
                version=2,
                submitted_at=utcnow() if status != "draft" else None,
                updated_at=utcnow(),
            )
            session.add(case)
        return case.reference
    finally:
        engine.dispose()


def test_resume_asks_the_services_proofs(client: TestClient, database_url: str) -> None:
    url = f"/resume/reference?service={REPORT.slug}"
    page = client.get(url).text
    assert (
        'name="email"' in page
        and 'autocomplete="email"' in page
        and "The address you gave in your report" in page
    )
    assert "date_of_birth" not in page and 'name="postcode"' in page and f'action="{url}"' in page
    reference = _case(database_url, "draft")
    invalid = post_form(
        client, url, {"reference": reference, "email": "not an address", "postcode": "LS1 1UR"}
    )
    assert (
        invalid.status_code == 200
        and "Enter an email address in the correct format" in invalid.text
    )
    wrong = post_form(
        client, url, {"reference": reference, "email": "someone@example.com", "postcode": "LS1 1UR"}
    )
    assert "Check your reference, email address and postcode, and try again" in wrong.text
    right = post_form(
        client, url, {"reference": reference, "email": " ann@example.COM ", "postcode": "ls11ur"}
    )
    assert right.status_code == 303 and right.headers["location"].startswith(
        f"/apply/{REPORT.slug}/"
    )


def test_a_reference_of_another_service_does_not_match(
    client: TestClient, database_url: str
) -> None:
    reference = _case(
        database_url,
        "draft",
        service="firearm-certificate",
        answers={**ANSWERS, "home_address": ANSWERS["where"]},
    )
    url = f"/resume/reference?service={REPORT.slug}"
    wrong = post_form(
        client, url, {"reference": reference, "email": "ann@example.com", "postcode": "LS1 1UR"}
    )
    assert wrong.status_code == 200 and "try again" in wrong.text


def test_copy_asks_the_services_proofs(client: TestClient, database_url: str) -> None:
    url = f"/copy?service={REPORT.slug}"
    page = client.get(url).text
    assert 'name="email"' in page and "date_of_birth" not in page and 'name="postcode"' not in page
    reference = _case(database_url, "submitted")
    wrong = post_form(client, url, {"reference": reference, "email": "someone@example.com"})
    assert "Check your reference and email address, and try again" in wrong.text
    right = post_form(client, url, {"reference": reference, "email": "ann@example.com"})
    assert right.status_code == 303 and right.headers["location"] == "/copy/ready"


def test_an_unknown_service_or_one_without_proofs_is_not_found(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/resume/reference?service=nothing-here").status_code == 404
    assert client.get("/copy?service=nothing-here").status_code == 404
    monkeypatch.setitem(SERVICES, "no-proofs", report_service(slug="no-proofs"))
    assert client.get("/resume/reference?service=no-proofs").status_code == 404
    assert client.get("/copy?service=no-proofs").status_code == 404
