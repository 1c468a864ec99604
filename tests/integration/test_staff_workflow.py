"""On both databases: staff move a case only as its service's workflow declares (by role, with
a note where one is needed), a form left open while the case moved on is refused, and search
reads the answers the service declares as its search keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.support.databases import run_sql
from tests.support.forms import csrf_from
from tests.support.staff import client_from_own_address, new_staff, sent_application, sign_in
from tests.unit.test_engine_workflow import REPORT_WORKFLOW
from webapp.app import create_app
from webapp.engine.finding import SearchKeys
from webapp.services import SERVICES
from webapp.settings import Settings
from webapp.store import audit

SERVICE = SERVICES["firearm-certificate"]  # the service sent_application makes cases of


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    return create_app(settings)


def _client(app, database_url: str, role: str) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with client_from_own_address(app) as client:
        assert sign_in(client, new_staff(database_url, "cheshire", role=role)).status_code == 303
        yield client


@pytest.fixture
def caseworker(app, database_url: str) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    yield from _client(app, database_url, "caseworker")


@pytest.fixture
def admin(app, database_url: str) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    yield from _client(app, database_url, "admin")


def _status(database_url: str, application_id: int) -> str:
    return str(
        run_sql(database_url, "SELECT status FROM application WHERE id = :i", i=application_id)[0][
            0
        ]
    )


def test_moves_offered_and_allowed_by_role(
    monkeypatch: pytest.MonkeyPatch, caseworker: TestClient, admin: TestClient, database_url: str
) -> None:
    monkeypatch.setattr(SERVICE, "workflow", REPORT_WORKFLOW)
    case = sent_application(database_url, "cheshire")
    url = f"/staff/applications/{case.id}/status"
    offered = caseworker.get(url).text
    assert 'value="reviewed"' in offered and 'value="closed"' not in offered
    # An administrator may also close it, with a note; the move that needs none says so.
    offered_to_admin = admin.get(url).text
    assert 'value="closed"' in offered_to_admin and "No note needed" in offered_to_admin
    assert "Note (optional)" not in offered_to_admin
    token = csrf_from(offered)
    # Closing a report straight away is an administrator's move: a caseworker's post is refused.
    refused = caseworker.post(
        url, data={"csrf_token": token, "status": "closed", "note": "duplicate"}
    )
    assert "Select the new status" in refused.text and _status(database_url, case.id) == "submitted"
    # Marking it reviewed needs no note; linking it to the record does.
    assert "Note (optional)" in offered
    reviewed = caseworker.post(
        url,
        data={"csrf_token": token, "status": "reviewed", "from_status": "submitted"},
        follow_redirects=False,
    )
    assert reviewed.status_code == 303 and _status(database_url, case.id) == "reviewed"
    page = caseworker.get(url).text
    assert 'value="linked"' in page and "Note (optional)" not in page
    no_note = caseworker.post(
        url, data={"csrf_token": token, "status": "linked", "from_status": "reviewed"}
    )
    assert (
        "Enter a note about this change" in no_note.text
        and _status(database_url, case.id) == "reviewed"
    )
    linked = caseworker.post(
        url,
        data={
            "csrf_token": token,
            "status": "linked",
            "from_status": "reviewed",
            "note": "Added to certificate record",
        },
    )
    assert "Status changed to Linked to holder&#39;s record" in linked.text
    history = run_sql(
        database_url,
        "SELECT from_status, to_status, note FROM status_change "
        "WHERE application_id = :i ORDER BY id",
        i=case.id,
    )
    assert history == [
        ("submitted", "reviewed", ""),
        ("reviewed", "linked", "Added to certificate record"),
    ]
    view = caseworker.get(f"/staff/applications/{case.id}").text
    assert "Reviewed to Linked to holder&#39;s record" in view and "govuk-tag--turquoise" in view


def test_a_form_left_open_while_the_case_moved_on_is_refused(
    caseworker: TestClient, admin: TestClient, database_url: str
) -> None:
    case = sent_application(database_url, "cheshire")
    url = f"/staff/applications/{case.id}/status"
    left_open = caseworker.get(url).text
    moved = admin.post(
        url,
        data={
            "csrf_token": csrf_from(admin.get(url).text),
            "status": "medical_check",
            "from_status": "submitted",
            "note": "GP letter sent",
        },
        follow_redirects=False,
    )
    assert moved.status_code == 303
    # "Withdrawn" is allowed from the new state too, but this form was made for the old one.
    stale = caseworker.post(
        url,
        data={
            "csrf_token": csrf_from(left_open),
            "status": "withdrawn",
            "from_status": "submitted",
            "note": "caller withdrew",
        },
    )
    assert "The status was changed by someone else" in stale.text
    assert _status(database_url, case.id) == "medical_check"
    assert run_sql(
        database_url, "SELECT count(*) FROM status_change WHERE application_id = :i", i=case.id
    ) == [(1,)]


def test_a_final_state_offers_no_moves(caseworker: TestClient, database_url: str) -> None:
    case = sent_application(database_url, "cheshire", status="granted")
    page = caseworker.get(f"/staff/applications/{case.id}/status", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == f"/staff/applications/{case.id}"
    token = csrf_from(caseworker.get("/staff").text)
    refused = caseworker.post(
        f"/staff/applications/{case.id}/status",
        data={"csrf_token": token, "status": "refused", "note": "no"},
    )
    assert "Select the new status" in refused.text and _status(database_url, case.id) == "granted"


def test_search_reads_the_declared_keys(
    monkeypatch: pytest.MonkeyPatch, caseworker: TestClient, database_url: str
) -> None:
    caseworker.get("/staff/applications")  # the index is up to date before the keys change
    # The "surname" key now reads the forenames answer, and there is no date of birth key.
    monkeypatch.setattr(
        SERVICE, "search_keys", SearchKeys(surname="forenames", postcode="home_address")
    )
    case = sent_application(
        database_url,
        "cheshire",
        surname="Quayle",
        postcode="CH4 7QQ",
        born={"day": "3", "month": "2", "year": "1971"},
    )
    by_forenames = caseworker.get("/staff/applications?surname=ann+mary&postcode=CH47QQ")
    assert case.reference in by_forenames.text and "1 application" in by_forenames.text
    assert "No applications match" in caseworker.get("/staff/applications?surname=quayle").text
    assert (
        "No applications match"
        in caseworker.get(
            "/staff/applications?postcode=CH47QQ&dob-day=3&dob-month=2&dob-year=1971"
        ).text
    )
    searched = run_sql(
        database_url,
        "SELECT count(*) FROM audit_event WHERE action = 'searched' AND detail LIKE '%CH47QQ%'",
    )
    indexed = run_sql(
        database_url,
        "SELECT surname, date_of_birth FROM application_index WHERE application_id = :i",
        i=case.id,
    )
    assert searched == [(2,)] and indexed == [("ann mary", None)]
    # Indexed under keys of this test's own: forgotten, so no later search reads them.
    run_sql(database_url, "DELETE FROM application_index WHERE application_id = :i", i=case.id)


def test_dashboard_and_search_filter_list_every_services_states(caseworker: TestClient) -> None:
    dashboard = caseworker.get("/staff").text
    search = caseworker.get("/staff/applications").text
    for workflow in (service.workflow for service in SERVICES.values() if service.workflow):
        for state in workflow.states:
            assert f'href="/staff/applications?status={state.id}"' in dashboard
            assert f'value="{state.id}"' in search


def test_the_search_index_and_its_audit_row_are_written_together(
    monkeypatch: pytest.MonkeyPatch, caseworker: TestClient, database_url: str
) -> None:
    caseworker.get("/staff/applications")  # the index is up to date
    case = sent_application(database_url, "cheshire", postcode="CH5 5QQ")

    async def audit_fails(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the audit log cannot be written")

    with monkeypatch.context() as patched:
        patched.setattr(audit, "record", audit_fails)
        assert caseworker.get("/staff/applications?postcode=CH55QQ").status_code == 500
    index_row = "SELECT count(*) FROM application_index WHERE application_id = :i"
    assert run_sql(database_url, index_row, i=case.id) == [(0,)]
    found = caseworker.get("/staff/applications?postcode=CH55QQ")
    assert case.reference in found.text and run_sql(database_url, index_row, i=case.id) == [(1,)]
