"""The back office on both databases: force isolation over every staff route, search, status
workflow, phone and paper applications through the public journey, administrators."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfWriter
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.integration.test_firearms_journey import BASE, complete_every_task
from tests.support.databases import run_sql
from tests.support.forms import csrf_from, png_bytes
from tests.support.paying import declare_and_pay
from tests.support.staff import (
    client_from_own_address,
    every_account_page,
    new_staff,
    sent_application,
    sign_in,
    unique_ip,
)
from webapp.app import create_app
from webapp.settings import Settings


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    return create_app(settings)


@pytest.fixture
def caseworker(app, database_url: str) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with client_from_own_address(app) as client:
        assert sign_in(client, new_staff(database_url, "cheshire")).status_code == 303
        yield client


def test_another_forces_application_is_404_on_every_staff_route(
    app,
    caseworker: TestClient,
    database_url: str,  # type: ignore[no-untyped-def]
) -> None:
    own = sent_application(database_url, "cheshire")
    other = sent_application(database_url, "dorset")
    routes = [
        (method, route.path)
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith("/staff/")
        for method in sorted((route.methods or set()) - {"HEAD"})
        if "{id" in route.path or "{reference}" in route.path
    ]
    assert len(routes) >= 8
    token = csrf_from(caseworker.get("/staff").text)
    for method, path in routes:
        for application, expected in ((other, {404}), (own, {200, 303})):
            url = (
                path.replace("{id:int}", str(application.id))
                .replace("{reference}", application.reference)
                .replace("{refund_id:int}", "1")
            )
            if method == "GET":
                response = caseworker.get(url, follow_redirects=False)
            else:
                response = caseworker.post(url, data={"csrf_token": token}, follow_redirects=False)
            if application is own and url.endswith(("/photo", "/paper-form")):
                expected = {404}  # this application has neither
            if application is own and "/refund" in url:
                expected = {403}  # refunds are a force administrator's, never a caseworker's
            assert response.status_code in expected, (method, url, response.status_code)
    # Nor does search find it, by reference or otherwise.
    found = caseworker.get(f"/staff/applications?reference={other.reference}")
    assert "No applications match" in found.text


def test_search_by_each_field_and_paging(caseworker: TestClient, database_url: str) -> None:
    surname = "Zed" + "".join(chr(ord("a") + int(d)) for d in unique_ip() if d.isdigit())
    first = sent_application(
        database_url,
        "cheshire",
        surname=surname,
        postcode="CH1 2AB",
        born={"day": "03", "month": "feb", "year": "1971"},
    )
    for _ in range(22):
        sent_application(database_url, "cheshire", surname=surname, postcode="CH9 9ZZ")
    results = caseworker.get(f"/staff/applications?surname={surname.lower()}")
    assert "23 applications, page 1 of 2" in results.text
    page_two = caseworker.get(f"/staff/applications?surname={surname}&page=2")
    assert "page 2 of 2" in page_two.text
    by_postcode = caseworker.get(f"/staff/applications?surname={surname}&postcode=ch12ab")
    assert first.reference in by_postcode.text and "1 application" in by_postcode.text
    by_birth = caseworker.get(
        f"/staff/applications?surname={surname}&dob-day=3&dob-month=2&dob-year=1971"
    )
    assert first.reference in by_birth.text and "1 application" in by_birth.text
    by_reference = caseworker.get(f"/staff/applications?reference={first.reference.lower()}")
    assert first.reference in by_reference.text
    by_status = caseworker.get(f"/staff/applications?surname={surname}&status=granted")
    assert "No applications match" in by_status.text
    today = first.submitted_at
    in_range = caseworker.get(
        f"/staff/applications?surname={surname}&from-day={today.day}&from-month={today.month}"
        f"&from-year={today.year}&to-day={today.day}&to-month={today.month}&to-year={today.year}"
    )
    assert "23 applications" in in_range.text
    before = caseworker.get(
        f"/staff/applications?surname={surname}&to-day=1&to-month=1&to-year=2000"
    )
    assert "No applications match" in before.text
    bad = caseworker.get("/staff/applications?dob-day=31&dob-month=2&dob-year=1980&postcode=nope")
    assert (
        bad.status_code == 200
        and "<title>Error:" in bad.text
        and "Enter a real postcode" in bad.text
    )


def test_dashboard_counts_and_chart(caseworker: TestClient, database_url: str) -> None:
    sent_application(database_url, "cheshire", status="home_visit")
    page = caseworker.get("/staff")
    assert page.status_code == 200
    assert "<svg" in page.text and "<title" in page.text and "style=" not in page.text
    assert re.search(r"Home visit</a></th>\s*<td[^>]*>[1-9]", page.text)


def test_status_workflow_with_notes(caseworker: TestClient, database_url: str) -> None:
    application = sent_application(database_url, "cheshire")
    url = f"/staff/applications/{application.id}/status"
    page = caseworker.get(url)
    assert 'value="medical_check"' in page.text and 'value="granted"' not in page.text
    token = csrf_from(page.text)
    missing = caseworker.post(url, data={"csrf_token": token, "status": "medical_check"})
    assert "Enter a note about this change" in missing.text
    skipping = caseworker.post(url, data={"csrf_token": token, "status": "granted", "note": "no"})
    assert "Select the new status" in skipping.text
    moved = caseworker.post(
        url,
        data={"csrf_token": token, "status": "medical_check", "note": "GP letter sent"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    view = caseworker.get(f"/staff/applications/{application.id}")
    assert "Status changed to Medical check" in view.text and "GP letter sent" in view.text
    assert run_sql(
        database_url, "SELECT status FROM application WHERE id = :i", i=application.id
    ) == [("medical_check",)]
    actions = run_sql(
        database_url, "SELECT action FROM audit_event WHERE application_id = :i", i=application.id
    )
    assert ("status changed",) in actions and ("viewed application",) in actions


def test_caseworkers_cannot_administer(caseworker: TestClient) -> None:
    assert caseworker.get("/staff/admin/staff").status_code == 403
    assert caseworker.get("/staff/admin/audit").status_code == 403


def test_administrator_creates_a_caseworker_and_reads_the_audit_log(app, database_url: str) -> None:  # type: ignore[no-untyped-def]
    with client_from_own_address(app) as admin:
        sign_in(admin, new_staff(database_url, "cheshire", role="admin"))
        page = admin.get("/staff/admin/staff")
        token = csrf_from(page.text)
        weak = admin.post(
            "/staff/admin/staff",
            data={
                "csrf_token": token,
                "name": "Cas Worker",
                "email": "cas@example.com",
                "role": "caseworker",
                "password": "password1234",
            },
        )
        assert "Password is too common" in weak.text
        short = admin.post(
            "/staff/admin/staff",
            data={
                "csrf_token": token,
                "name": "Cas Worker",
                "email": "cas@example.com",
                "role": "caseworker",
                "password": "short one",
            },
        )
        assert "12 characters or more" in short.text
        email = f"cas.{unique_ip()}@example.com"
        made = admin.post(
            "/staff/admin/staff",
            data={
                "csrf_token": token,
                "name": "Cas Worker",
                "email": email,
                "role": "caseworker",
                "password": "tiger lily under the bridge",
            },
            follow_redirects=False,
        )
        assert made.status_code == 303
        assert email in every_account_page(admin)
        audit = admin.get("/staff/admin/audit")
        assert "Created staff account" in audit.text and email in audit.text
        # Another force's accounts are out of reach.
        other = run_sql(
            database_url, "SELECT id FROM staff_member WHERE force_id <> 'cheshire' LIMIT 1"
        )
        if other:
            response = admin.post(
                f"/staff/admin/staff/{other[0][0]}/unlock", data={"csrf_token": token}
            )
            assert response.status_code == 404
    # The new caseworker sets up their authenticator app on first sign-in.
    with client_from_own_address(app) as newcomer:
        page = newcomer.get("/staff/sign-in")
        response = newcomer.post(
            "/staff/sign-in",
            data={
                "email": email,
                "password": "tiger lily under the bridge",
                "csrf_token": csrf_from(page.text),
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/staff/sign-in/set-up"
        set_up = newcomer.get("/staff/sign-in/set-up")
        assert "<svg" in set_up.text
        secret = "".join(
            re.search(r'id="totp-secret"><code>([A-Z2-7 ]+)</code>', set_up.text).group(1).split()
        )  # type: ignore[union-attr]
        import pyotp

        response = newcomer.post(
            "/staff/sign-in/set-up",
            data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(set_up.text)},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/staff"
        assert newcomer.get("/staff").status_code == 200


def _scan_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_phone_application_through_the_public_journey(
    caseworker: TestClient, database_url: str
) -> None:
    page = caseworker.get("/staff/apply/firearm-certificate")
    response = caseworker.post(
        "/staff/apply/firearm-certificate/phone",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/tasks"
    complete_every_task(caseworker)
    declaration = caseworker.get(f"{BASE}/declaration")
    assert "The applicant confirmed this declaration by phone" in declaration.text
    sent = declare_and_pay(caseworker, BASE)  # the caller's card, taken by phone
    # Staff land on their own confirmation, in the back office, which leads back to the dashboard.
    assert re.fullmatch(r"/staff/applications/\d+/sent", sent.headers["location"])
    confirmation = caseworker.get(sent.headers["location"])
    assert 'href="/staff">Return to the dashboard' in confirmation.text
    reference = re.search(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4})</strong>", confirmation.text).group(1)  # type: ignore[union-attr]
    rows = run_sql(
        database_url,
        "SELECT a.channel, a.force_id, o.created_by_staff_id FROM application a "
        "JOIN application_origin o ON o.application_id = a.id WHERE a.reference = :r",
        r=reference,
    )
    assert rows and rows[0][:2] == ("assisted", "cheshire")
    found = caseworker.get(f"/staff/applications/reference/{reference}")
    assert "Assisted digital (phone)" in found.text and "Keyed in by" in found.text
    assert caseworker.get(found.url.path + "/photo").headers["content-type"] == "image/jpeg"
    assert ("submitted on behalf",) in run_sql(
        database_url, "SELECT action FROM audit_event WHERE detail LIKE :d", d=f"{reference}%"
    )


def test_paper_form_with_a_checked_scan(caseworker: TestClient, database_url: str) -> None:
    page = caseworker.get("/staff/apply/firearm-certificate")
    token = csrf_from(page.text)
    url = "/staff/apply/firearm-certificate/paper"
    fake = caseworker.post(
        url,
        data={
            "csrf_token": token,
            "received-day": "2",
            "received-month": "3",
            "received-year": "2025",
        },
        files={"scan": ("form.pdf", b"%PDF-1.7 this is not a pdf", "application/pdf")},
    )
    assert "must be a PDF, JPG or PNG" in fake.text
    text_file = caseworker.post(
        url,
        data={
            "csrf_token": token,
            "received-day": "2",
            "received-month": "3",
            "received-year": "2025",
        },
        files={"scan": ("form.png", b"hello", "image/png")},
    )
    assert "must be a PDF, JPG or PNG" in text_file.text
    no_date = caseworker.post(
        url, data={"csrf_token": token}, files={"scan": ("form.png", png_bytes(), "image/png")}
    )
    assert "Enter the date the paper form was received" in no_date.text
    response = caseworker.post(
        url,
        data={
            "csrf_token": token,
            "received-day": "2",
            "received-month": "3",
            "received-year": "2025",
        },
        files={"scan": ("form.pdf", _scan_pdf(), "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/tasks"
    complete_every_task(caseworker)
    declaration = caseworker.get(f"{BASE}/declaration")
    assert "signed this declaration on the paper form" in declaration.text
    confirmation = caseworker.post(
        f"{BASE}/declaration", data={"confirm": "yes", "csrf_token": csrf_from(declaration.text)}
    )
    assert (
        "/staff/applications/" in str(confirmation.url) and "Application sent" in confirmation.text
    )
    reference = re.search(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4})</strong>", confirmation.text).group(1)  # type: ignore[union-attr]
    view = caseworker.get(f"/staff/applications/reference/{reference}")
    assert "Paper form" in view.text and "2 March 2025" in view.text
    scan = caseworker.get(view.url.path + "/paper-form")
    assert scan.status_code == 200 and scan.content.startswith(b"%PDF-")
    pdf = caseworker.get(view.url.path + "/application.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
