"""Staff working for callers, on both databases: the journey keeps the back office (banner,
menu, paper numbers), unfinished staff drafts are found and reopened, a caller's own online
draft is opened with consent, and reference search reads references as people type them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from tests.integration.test_firearms_journey import BASE, answer_page, start_application
from tests.support.databases import run_sql
from tests.support.firearms import COMPLETE, SERVICE
from tests.support.forms import csrf_from
from tests.support.staff import client_from_own_address, new_staff, sent_application, sign_in
from webapp.app import create_app
from webapp.pdf.layout import question_numbers
from webapp.settings import Settings
from webapp.store.db import create_sync_engine
from webapp.store.models import Application

FORCE = "west-yorkshire"  # where the public journey's LS1 1UR goes


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    return create_app(settings)


@pytest.fixture
def staff_client(app, database_url: str) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with client_from_own_address(app) as client:
        assert sign_in(client, new_staff(database_url, FORCE)).status_code == 303
        yield client


def _start(client: TestClient, how: str) -> str:
    """Start a phone application (or a paper one) as staff; the draft's reference."""
    page = client.get(f"/staff/apply/{SERVICE.slug}")
    from tests.integration.test_staff_applications import _scan_pdf

    if how == "phone":
        client.post(f"/staff/apply/{SERVICE.slug}/phone", data={"csrf_token": csrf_from(page.text)})
    else:
        client.post(
            f"/staff/apply/{SERVICE.slug}/paper",
            data={
                "csrf_token": csrf_from(page.text),
                "received-day": "2",
                "received-month": "3",
                "received-year": "2025",
            },
            files={"scan": ("form.pdf", _scan_pdf(), "application/pdf")},
        )
    tasks = client.get(f"{BASE}/tasks").text
    return re.search(r"reference is ([A-Z2-9]{4}-[A-Z2-9]{4})", tasks).group(1)  # type: ignore[union-attr]


def test_the_journey_keeps_the_back_office_for_staff_only(app, staff_client: TestClient) -> None:  # type: ignore[no-untyped-def]
    reference = _start(staff_client, "phone")
    for url in (f"{BASE}/tasks", f"{BASE}/name"):
        page = staff_client.get(url)
        assert page.status_code == 200
        assert "You are filling this in for a caller" in page.text and reference in page.text
        assert 'aria-label="Back office"' in page.text and 'action="/staff/sign-out"' in page.text
        assert 'href="/staff">Return to the dashboard' in page.text
    # 'Save and come back later' takes staff back to the dashboard, where the draft waits.
    page = staff_client.get(f"{BASE}/certificates")
    saved = staff_client.post(
        f"{BASE}/certificates",
        data={"csrf_token": csrf_from(page.text), "save": "later", "certificates": "fac"},
        follow_redirects=False,
    )
    assert saved.headers["location"] == "/staff"
    assert (
        f"Saved. {reference} is under Applications in progress" in staff_client.get("/staff").text
    )
    # A member of the public's journey has none of it.
    with client_from_own_address(app) as public:
        start_application(public)
        page = public.get(f"{BASE}/tasks").text
        assert "Back office" not in page and "/staff" not in page


def test_keying_in_paper_numbers_each_question_as_the_paper_form_does(
    staff_client: TestClient,
) -> None:
    _start(staff_client, "paper")
    numbers = question_numbers(SERVICE)
    url = f"{BASE}/certificates"
    for _ in range(4):  # page by page, as the form is keyed in
        page = staff_client.get(url, follow_redirects=False)
        assert page.status_code == 200 and "You are keying in a paper form" in page.text
        for question in SERVICE.pages[url.rsplit("/", 1)[1]].page.questions:
            label = re.escape(f"{numbers[question.id]} {question.label}")
            assert re.search(rf">\s*{label}\s*<", page.text), question.id
        url = answer_page(staff_client, url)
    # The phone journey has no paper numbers.
    _start(staff_client, "phone")
    page = staff_client.get(f"{BASE}/name").text
    assert numbers["surname"] + " " + str(SERVICE.questions["surname"].question.label) not in page


def test_a_dropped_call_is_found_and_reopened_by_a_colleague(
    app, staff_client: TestClient, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    first = new_staff(database_url, FORCE)
    run_sql(
        database_url, "UPDATE staff_member SET name = 'Pat Caller' WHERE email = :e", e=first.email
    )
    with client_from_own_address(app) as caller_desk:
        sign_in(caller_desk, first)
        reference = _start(caller_desk, "phone")
        assert answer_page(caller_desk, f"{BASE}/name")  # an answer, then the call drops
    dashboard = staff_client.get("/staff").text
    row = dashboard.split(reference, 1)[1][:400]
    assert "In progress, started by Pat Caller" in row
    found = staff_client.get(f"/staff/applications?reference={reference}").text
    assert "1 application" in found and "started by Pat Caller" in found
    draft_id = run_sql(
        database_url, "SELECT id FROM application WHERE reference = :r", r=reference
    )[0][0]
    assert f'href="/staff/drafts/{draft_id}"' in found
    page = staff_client.get(f"/staff/drafts/{draft_id}")
    reopened = staff_client.post(
        f"/staff/drafts/{draft_id}/continue",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert reopened.headers["location"] == f"{BASE}/tasks"
    tasks = staff_client.get(f"{BASE}/tasks").text
    assert reference in tasks and "You are filling this in for a caller" in tasks
    actions = run_sql(
        database_url, "SELECT action FROM audit_event WHERE application_id = :i", i=draft_id
    )
    assert ("reopened draft",) in actions and ("viewed application",) in actions
    # Another force's staff see none of it.
    with client_from_own_address(app) as elsewhere:
        sign_in(elsewhere, new_staff(database_url, "dorset"))
        assert reference not in elsewhere.get("/staff").text
        assert (
            "No applications match"
            in elsewhere.get(f"/staff/applications?reference={reference}").text
        )
        assert elsewhere.get(f"/staff/drafts/{draft_id}").status_code == 404
        token = csrf_from(elsewhere.get("/staff").text)
        assert (
            elsewhere.post(
                f"/staff/drafts/{draft_id}/continue", data={"csrf_token": token}
            ).status_code
            == 404
        )


def _public_draft(app, database_url: str) -> tuple[TestClient, str]:  # type: ignore[no-untyped-def]
    """A member of the public's own online draft with some answers given."""
    public = client_from_own_address(app)
    public.__enter__()
    start_application(public)
    reference = re.search(
        r"reference is ([A-Z2-9]{4}-[A-Z2-9]{4})", public.get(f"{BASE}/tasks").text
    ).group(1)  # type: ignore[union-attr]
    engine = create_sync_engine(database_url)
    with Session(engine) as session, session.begin():
        draft = session.query(Application).filter_by(reference=reference).one()
        draft.answers = {
            key: COMPLETE[key]
            for key in ("title", "surname", "forenames", "date_of_birth", "home_address")
        }
        draft.version += 1
    engine.dispose()
    return public, reference


def _help(client: TestClient, **fields: str) -> Any:
    page = client.get("/staff/help-caller")
    return client.post(
        "/staff/help-caller",
        data={"csrf_token": csrf_from(page.text), **fields},
        follow_redirects=False,
    )


def test_staff_open_a_callers_own_draft_with_consent(
    app, staff_client: TestClient, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    public, reference = _public_draft(app, database_url)
    try:
        good = {
            "reference": reference.lower().replace("-", " "),
            "dob-day": "3",
            "dob-month": "2",
            "dob-year": "1980",
            "consent_from": "Ann Jones",
            "purpose": "the firearms questions",
            "consent": "yes",
        }
        missing = _help(staff_client, **{**good, "consent": "", "purpose": ""})
        assert (
            "Confirm the caller agreed" in missing.text
            and "Enter what you are helping" in missing.text
        )
        wrong = _help(staff_client, **{**good, "dob-day": "4"})
        assert wrong.status_code == 200 and "No application in progress" in wrong.text
        opened = _help(staff_client, **good)
        assert opened.status_code == 303 and opened.headers["location"] == f"{BASE}/tasks"
        tasks = staff_client.get(f"{BASE}/tasks").text
        assert "You are helping a caller" in tasks and reference in tasks
        rows = run_sql(
            database_url,
            "SELECT h.consent_from, h.purpose, h.force_id FROM staff_help h "
            "JOIN application a ON a.id = h.application_id WHERE a.reference = :r",
            r=reference,
        )
        assert rows == [("Ann Jones", "the firearms questions", FORCE)]
        actions = [
            row[0]
            for row in run_sql(
                database_url,
                "SELECT action FROM audit_event WHERE detail LIKE :d",
                d=f"%{reference}%",
            )
        ]
        assert "opened caller's draft" in actions
        assert "caller's draft not found" in [
            row[0]
            for row in run_sql(
                database_url,
                "SELECT action FROM audit_event WHERE detail LIKE :d",
                d=f"%{good['reference']}%",
            )
        ]
        # The applicant sees that staff helped; staff find it among the work in progress.
        own = public.get(f"{BASE}/tasks").text
        assert "A member of staff at West Yorkshire Police helped with this application on" in own
        assert "Back office" not in own
        found = staff_client.get(
            "/staff/applications?surname=jones&dob-day=3&dob-month=2&dob-year=1980"
        ).text
        assert reference in found and "In progress" in found
        draft_id = run_sql(
            database_url, "SELECT id FROM application WHERE reference = :r", r=reference
        )[0][0]
        case = staff_client.get(f"/staff/drafts/{draft_id}").text
        assert "Ann Jones agreed on" in case and "to help with: the firearms questions" in case
        # Another force cannot open it, even with the right details.
        with client_from_own_address(app) as elsewhere:
            sign_in(elsewhere, new_staff(database_url, "dorset"))
            assert "No application in progress" in _help(elsewhere, **good).text
    finally:
        public.__exit__(None, None, None)


def test_reference_search_reads_references_as_people_type_them(
    staff_client: TestClient, database_url: str
) -> None:
    sent = sent_application(
        database_url,
        FORCE,
        surname="Quill",
        postcode="LS2 9JT",
        born={"day": "9", "month": "9", "year": "1969"},
    )
    spaced = sent.reference.lower().replace("-", " ")
    squashed = sent.reference.replace("-", "")
    for typed in (spaced, squashed, f"  {sent.reference.lower()} "):
        page = staff_client.get("/staff/applications", params={"reference": typed}).text
        assert sent.reference in page and "1 application" in page, typed
    by_person = staff_client.get(
        "/staff/applications",
        params={"surname": "QUILL", "dob-day": "9", "dob-month": "9", "dob-year": "1969"},
    ).text
    assert sent.reference in by_person
    by_postcode = staff_client.get("/staff/applications", params={"postcode": "ls29jt"}).text
    assert sent.reference in by_postcode
    assert (
        staff_client.get(
            f"/staff/applications/reference/{squashed.lower()}", follow_redirects=False
        ).status_code
        == 303
    )


def test_staff_pages_name_the_applicant_and_show_uk_time(app, database_url: str) -> None:  # type: ignore[no-untyped-def]
    sent = sent_application(database_url, FORCE, born={"day": "3", "month": "2", "year": "1980"})
    # 12:30 UTC on 1 July is 1:30pm in the UK (British Summer Time).
    run_sql(
        database_url,
        "UPDATE application SET submitted_at = :t WHERE id = :i",
        t="2026-07-01 12:30:00+00:00"
        if database_url.startswith("postgresql")
        else "2026-07-01 12:30:00.000000",
        i=sent.id,
    )
    with client_from_own_address(app) as admin:
        sign_in(admin, new_staff(database_url, FORCE, role="admin"))
        view = admin.get(f"/staff/applications/{sent.id}").text
        heading = view.split("<h1", 1)[1].split("</h1>", 1)[0]
        assert sent.reference in heading and "Ann Mary Jones, born 3 February 1980" in heading
        assert "1 July 2026 at 1:30pm" in view and "UTC" not in view
        letter = admin.get(f"/staff/applications/{sent.id}/letter").text
        assert "Dear Ms Jones," in letter and "1 July 2026" in letter
        # Signed off by the unit the service declares.
        assert "Yours sincerely,<br>Firearms Licensing Unit, " in letter
        audit = admin.get("/staff/admin/audit").text
        assert f">{sent.reference}</a>" in audit and f">{sent.id}</a>" not in audit
        assert "UTC" not in audit
        dashboard = admin.get("/staff").text
        assert 'class="app-chart"' in dashboard and 'fill="#' not in dashboard
