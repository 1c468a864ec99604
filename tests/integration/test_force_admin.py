"""Forces choose what they offer, over HTTP on both databases: a force administrator's own
services and staff (never another force's), national administrators onboarding forces, account
resets followed by a real sign-in, the audit log's before and after, and what the public and
staff meet when a force does not take a service.

Each test works on forces that no other test uses, so the shared test database stays as seeded
for everyone else.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.databases import run_sql
from tests.support.forms import csrf_from, post_form
from tests.support.staff import (
    PASSWORD,
    client_from_own_address,
    code_for,
    every_account_page,
    new_staff,
    sent_application,
    sign_in,
)
from webapp.app import create_app
from webapp.services import SERVICES
from webapp.staff_setup import CreatedStaff, create_staff

LEAD = "derbyshire"
FIRST = next(iter(SERVICES))
ONE_TIME = "a one time passphrase for tests"
OWN_NEW = "my very own new staff passphrase"


@pytest.fixture
def app(database_url: str) -> Any:
    return create_app(make_settings(database_url, lead_force=LEAD))


@pytest.fixture
def new_client(app: Any) -> Iterator[Any]:
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = client_from_own_address(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def signed_in(new_client: Any, staff: CreatedStaff, offset: int = 0) -> TestClient:
    client = new_client()
    response = sign_in(client, staff, offset=offset)
    assert response.status_code == 303 and response.headers["location"] == "/staff", response.text[
        :500
    ]
    return client


def staff_of(database_url: str, force_id: str, role: str) -> CreatedStaff:
    return new_staff(database_url, force_id=force_id, role=role)


def audit_rows(database_url: str, action: str, detail: str) -> list[tuple[Any, Any]]:
    rows = run_sql(
        database_url,
        "SELECT before, after FROM audit_event WHERE action = :a AND detail = :d ORDER BY id",
        a=action,
        d=detail,
    )
    return [tuple(json.loads(v) if isinstance(v, str) else v for v in row) for row in rows]


def password_then_code(client: TestClient, email: str, password: str) -> Any:
    page = client.get("/staff/sign-in")
    return client.post(
        "/staff/sign-in",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


# --- a force administrator's own force ---------------------------------------------------------


def test_force_admin_changes_their_own_services_with_before_and_after_audited(
    new_client: Any, database_url: str
) -> None:
    force = "bedfordshire"
    admin = signed_in(new_client, staff_of(database_url, force, "admin"))
    page = admin.get("/staff/admin/services")
    assert page.status_code == 200 and "Bedfordshire Police" in page.text
    for service in SERVICES.values():
        assert f'href="/staff/admin/services/{service.slug}"' in page.text
    response = post_form(
        admin,
        f"/staff/admin/services/{FIRST}",
        {
            "offered": "no",
            "unit_name": "Central Applications Team",
            "phone": "01234 567890",
            "email": "applications@beds.police.example",
            "places": "Bedford station\n\nLuton station\nBedford station",
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/staff/admin/services"
    row = run_sql(
        database_url,
        "SELECT offered, unit_name, phone, places FROM force_service "
        "WHERE force_id = :f AND service = :s",
        f=force,
        s=FIRST,
    )[0]
    places = json.loads(row[3]) if isinstance(row[3], str) else row[3]
    assert (bool(row[0]), row[1], row[2], places) == (
        False,
        "Central Applications Team",
        "01234 567890",
        ["Bedford station", "Luton station"],
    )
    [(before, after)] = audit_rows(
        database_url, "changed force service", str(SERVICES[FIRST].title)
    )[-1:]
    assert before["offered"] is True and after["offered"] is False
    assert before["unit_name"] == "" and after["unit_name"] == "Central Applications Team"
    assert "postal_address" not in after  # only what changed
    summary = admin.get("/staff/admin/services").text
    assert "Central Applications Team" in summary and "Luton station" in summary
    log = admin.get("/staff/admin/audit").text
    assert "Changed a service&#39;s settings" in log or "Changed a service's settings" in log
    assert "Central Applications Team" in log and "→" in log


def test_a_bad_service_setting_is_shown_with_an_error_summary(
    new_client: Any, database_url: str
) -> None:
    admin = signed_in(new_client, staff_of(database_url, "bedfordshire", "admin"))
    response = post_form(
        admin, f"/staff/admin/services/{FIRST}", {"email": "not an address", "phone": "9" * 60}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    for message in (
        "Select whether your force takes this service online",
        "email address in the correct format",
        "Telephone must be 50 characters or fewer",
    ):
        assert message in response.text
    assert admin.get("/staff/admin/services/no-such-service").status_code == 404


def test_force_admin_cannot_reach_another_force_or_the_platform(
    new_client: Any, database_url: str
) -> None:
    admin = signed_in(new_client, staff_of(database_url, "bedfordshire", "admin"))
    elsewhere = staff_of(database_url, "cambridgeshire", "caseworker")
    csrf = csrf_from(admin.get("/staff/admin/staff").text)
    for path in ("deactivate", "reactivate", "reset-authenticator", "unlock", "reset-password"):
        response = admin.post(
            f"/staff/admin/staff/{elsewhere.id}/{path}",
            data={"csrf_token": csrf, "password": ONE_TIME},
            follow_redirects=False,
        )
        assert response.status_code == 404, path
    assert admin.get(f"/staff/admin/staff/{elsewhere.id}/reset-password").status_code == 404
    assert admin.get("/staff/platform").status_code == 403
    response = admin.post(
        "/staff/platform/forces/cambridgeshire",
        data={"csrf_token": csrf, "on_platform": "no"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert run_sql(database_url, "SELECT on_platform FROM force WHERE id = 'cambridgeshire'")[0][0]
    # A force administrator gives no one the national role.
    response = post_form(
        admin,
        "/staff/admin/staff",
        {
            "name": "Someone",
            "email": f"n.{uuid.uuid4().hex[:8]}@x.example",
            "role": "national_admin",
            "password": ONE_TIME,
        },
    )
    assert response.status_code == 200 and "Select a role" in response.text
    # A caseworker reaches no administration at all.
    caseworker = signed_in(new_client, staff_of(database_url, "bedfordshire", "caseworker"))
    assert caseworker.get("/staff/admin/services").status_code == 403


# --- national administrators -----------------------------------------------------------------------


def test_national_admin_onboards_a_force_and_sees_platform_figures(
    new_client: Any, database_url: str
) -> None:
    force = "hertfordshire"
    sent_application(database_url, force)
    national = signed_in(new_client, staff_of(database_url, LEAD, "national_admin"))
    page = national.get("/staff/platform")
    assert page.status_code == 200
    assert "Forces on the platform" in page.text and "Hertfordshire Constabulary" in page.text
    for service in SERVICES.values():
        assert f"Sent: {service.title}" in page.text
    assert 'href="/staff/platform"' in page.text  # in the back office menu
    response = post_form(
        national, "/staff/platform", {"on_platform": "no"}, action=f"/staff/platform/forces/{force}"
    )
    assert response.status_code == 303
    assert not run_sql(database_url, "SELECT on_platform FROM force WHERE id = :f", f=force)[0][0]
    response = post_form(
        national,
        "/staff/platform",
        {"on_platform": "yes"},
        action=f"/staff/platform/forces/{force}",
    )
    assert response.status_code == 303
    assert run_sql(database_url, "SELECT on_platform FROM force WHERE id = :f", f=force)[0][0]
    assert (
        len(
            run_sql(
                database_url,
                "SELECT id FROM audit_event WHERE action = 'changed force platform' "
                "AND force_id = :f",
                f=force,
            )
        )
        == 2
    )  # in the onboarded force's own log too
    changes = list(audit_rows(database_url, "changed force platform", force))[-4::2]
    assert changes == [
        ({"force": force, "on_platform": True}, {"force": force, "on_platform": False}),
        ({"force": force, "on_platform": False}, {"force": force, "on_platform": True}),
    ]
    assert (
        post_form(
            national,
            "/staff/platform",
            {"on_platform": "no"},
            action="/staff/platform/forces/no-such-force",
        ).status_code
        == 404
    )


def test_the_national_role_counts_only_in_the_lead_force(
    new_client: Any, database_url: str
) -> None:
    outside_lead = signed_in(new_client, staff_of(database_url, "essex", "national_admin"))
    assert outside_lead.get("/staff/platform").status_code == 403
    lead_force_admin = signed_in(new_client, staff_of(database_url, LEAD, "admin"))
    assert lead_force_admin.get("/staff/platform").status_code == 403
    # Nor can a force administrator change a national administrator's account.
    national = staff_of(database_url, LEAD, "national_admin")
    csrf = csrf_from(lead_force_admin.get("/staff/admin/staff").text)
    for path in ("deactivate", "reset-authenticator", "reset-password"):
        response = lead_force_admin.post(
            f"/staff/admin/staff/{national.id}/{path}",
            data={"csrf_token": csrf, "password": ONE_TIME},
            follow_redirects=False,
        )
        assert response.status_code == 403, path
    assert run_sql(database_url, "SELECT active FROM staff_member WHERE id = :i", i=national.id)[0][
        0
    ]


# --- staff accounts: disable, re-enable, reset ------------------------------------------------------


def test_disable_and_re_enable_an_account(new_client: Any, database_url: str) -> None:
    admin = signed_in(new_client, staff_of(database_url, "essex", "admin"))
    person = staff_of(database_url, "essex", "caseworker")
    assert (
        post_form(
            admin, "/staff/admin/staff", {}, action=f"/staff/admin/staff/{person.id}/deactivate"
        ).status_code
        == 303
    )
    refused = password_then_code(new_client(), person.email, PASSWORD)
    assert (
        refused.status_code == 200 and "Enter a correct email address and password" in refused.text
    )
    page = every_account_page(admin)
    assert f'action="/staff/admin/staff/{person.id}/reactivate"' in page
    assert (
        post_form(
            admin, "/staff/admin/staff", {}, action=f"/staff/admin/staff/{person.id}/reactivate"
        ).status_code
        == 303
    )
    signed_in(new_client, person)
    [(before, after)] = audit_rows(database_url, "reactivated staff", person.email)
    assert (before, after) == ({"active": False}, {"active": True})
    [(before, after)] = audit_rows(database_url, "deactivated staff", person.email)
    assert (before, after) == ({"active": True}, {"active": False})


def test_reset_password_makes_the_member_choose_a_new_one_at_sign_in(
    new_client: Any, database_url: str
) -> None:
    admin = signed_in(new_client, staff_of(database_url, "essex", "admin"))
    person = staff_of(database_url, "essex", "caseworker")
    theirs = signed_in(new_client, person, offset=-1)
    form = admin.get(f"/staff/admin/staff/{person.id}/reset-password")
    assert form.status_code == 200 and "One-time password" in form.text
    weak = post_form(admin, f"/staff/admin/staff/{person.id}/reset-password", {"password": "short"})
    assert weak.status_code == 200 and "There is a problem" in weak.text
    response = post_form(
        admin, f"/staff/admin/staff/{person.id}/reset-password", {"password": ONE_TIME}
    )
    assert response.status_code == 303
    # Whoever was signed in as them is signed out, and the old password no longer works.
    assert theirs.get("/staff", follow_redirects=False).status_code in (401, 303)
    assert (
        "Enter a correct email address"
        in password_then_code(new_client(), person.email, PASSWORD).text
    )
    client = new_client()
    response = password_then_code(client, person.email, ONE_TIME)
    assert response.headers["location"] == "/staff/sign-in/code"
    page = client.get("/staff/sign-in/code")
    response = client.post(
        "/staff/sign-in/code",
        data={"code": code_for(person.totp_secret), "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/staff/sign-in/new-password"
    assert client.get("/staff", follow_redirects=False).status_code == 303  # not signed in yet
    again = post_form(client, "/staff/sign-in/new-password", {"password": ONE_TIME})
    assert again.status_code == 200 and "different from the one-time password" in again.text
    done = post_form(client, "/staff/sign-in/new-password", {"password": OWN_NEW})
    assert done.status_code == 303 and done.headers["location"] == "/staff"
    assert client.get("/staff").status_code == 200
    # Next time: their own password, and no new-password step.
    later = new_client()
    assert (
        password_then_code(later, person.email, OWN_NEW).headers["location"]
        == "/staff/sign-in/code"
    )
    page = later.get("/staff/sign-in/code")
    response = later.post(
        "/staff/sign-in/code",
        data={"code": code_for(person.totp_secret, 1), "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/staff"
    [(before, after)] = audit_rows(database_url, "reset staff password", person.email)
    assert before == {"must_change_password": False} and after == {"must_change_password": True}


def test_reset_authenticator_makes_the_member_set_it_up_again(
    new_client: Any, database_url: str
) -> None:
    admin = signed_in(new_client, staff_of(database_url, "essex", "admin"))
    person = staff_of(database_url, "essex", "caseworker")
    response = post_form(
        admin,
        "/staff/admin/staff",
        {},
        action=f"/staff/admin/staff/{person.id}/reset-authenticator",
    )
    assert response.status_code == 303
    client = new_client()
    assert (
        password_then_code(client, person.email, PASSWORD).headers["location"]
        == "/staff/sign-in/set-up"
    )
    page = client.get("/staff/sign-in/set-up")
    key = re.search(r'id="totp-secret"><code>([A-Z2-7 ]+)</code>', page.text)
    assert key, "the set-up page shows the new key"
    secret = key.group(1).replace(" ", "")
    assert secret != person.totp_secret
    old = client.post(
        "/staff/sign-in/set-up",
        data={"code": code_for(person.totp_secret), "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert old.status_code == 200  # the old app's code is refused
    response = client.post(
        "/staff/sign-in/set-up",
        data={"code": code_for(secret), "csrf_token": csrf_from(old.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/staff"
    [(before, after)] = audit_rows(database_url, "reset staff authenticator", person.email)
    assert before == {"authenticator_set_up": True} and after == {"authenticator_set_up": False}
    # An administrator cannot lock themselves out this way.
    own = admin.get("/staff/admin/staff")
    assert own.status_code == 200


# --- the public and staff, when a force does not take a service ------------------------------------


def _switch(database_url: str, force_id: str, service: str, offered: bool) -> None:
    run_sql(
        database_url,
        "UPDATE force_service SET offered = :o WHERE force_id = :f AND service = :s",
        o=offered,
        f=force_id,
        s=service,
    )


@pytest.mark.parametrize(
    ("force", "postcode", "name"),
    [
        ("cambridgeshire", "PE1 1AA", "Cambridgeshire Constabulary"),  # switched the service off
        ("lincolnshire", "NG31 6AA", "Lincolnshire Police"),  # not on the platform (demo data)
    ],
)
def test_the_public_are_told_by_name_when_their_force_does_not_take_the_service(
    app: Any, database_url: str, force: str, postcode: str, name: str
) -> None:
    if force == "cambridgeshire":
        _switch(database_url, force, FIRST, False)
        run_sql(
            database_url,
            "UPDATE force_service SET phone = '01480 000000', unit_name = 'Applications Unit' "
            "WHERE force_id = :f AND service = :s",
            f=force,
            s=FIRST,
        )
    base = f"/apply/{FIRST}"
    with client_from_own_address(app) as client:
        response = post_form(client, base, {}, action=f"{base}/start")
        assert response.status_code == 303
        response = post_form(client, f"{base}/force", {"postcode": postcode})
        assert response.status_code == 303 and response.headers["location"].endswith(
            f"{base}/force/not-available"
        )
        page = client.get(f"{base}/force/not-available").text
        assert f"{name} does not take these applications online yet" in page
        assert f'href="/forms/{FIRST}.pdf?force={force}"' in page
        if force == "cambridgeshire":
            assert "01480 000000" in page and "Applications Unit" in page
        # Never sent into a journey the force will not receive.
        tasks = client.get(f"{base}/tasks", follow_redirects=False)
        assert not (tasks.status_code == 200 and name in tasks.text)
    if force == "cambridgeshire":
        _switch(database_url, force, FIRST, True)
        run_sql(
            database_url,
            "UPDATE force_service SET phone = NULL, unit_name = NULL "
            "WHERE force_id = :f AND service = :s",
            f=force,
            s=FIRST,
        )


def test_staff_cannot_start_an_application_for_a_switched_off_service(
    new_client: Any, database_url: str
) -> None:
    force = "hertfordshire"
    caseworker = signed_in(new_client, staff_of(database_url, force, "caseworker"))
    csrf = csrf_from(caseworker.get("/staff").text)
    _switch(database_url, force, FIRST, False)
    try:
        drafts_before = run_sql(
            database_url, "SELECT count(*) FROM application WHERE force_id = :f", f=force
        )
        page = caseworker.get(f"/staff/apply/{FIRST}")
        assert page.status_code == 403 and "does not take this service" in page.text
        response = caseworker.post(
            f"/staff/apply/{FIRST}/phone", data={"csrf_token": csrf}, follow_redirects=False
        )
        assert response.status_code == 403 and "does not take this service" in response.text
        assert (
            run_sql(database_url, "SELECT count(*) FROM application WHERE force_id = :f", f=force)
            == drafts_before
        )
    finally:
        _switch(database_url, force, FIRST, True)
    assert caseworker.get(f"/staff/apply/{FIRST}").status_code == 200


def test_a_letter_uses_the_services_own_contact_and_falls_back_to_the_forces(
    new_client: Any, database_url: str
) -> None:
    force = "suffolk"
    application = sent_application(database_url, force)
    caseworker = signed_in(new_client, staff_of(database_url, force, "caseworker"))
    letter = caseworker.get(f"/staff/applications/{application.id}/letter").text
    assert "Telephone: 101" in letter  # the force's own number (demo data)
    run_sql(
        database_url,
        "UPDATE force_service SET phone = '01480 111111', processing_time = 'about 6 weeks', "
        "unit_name = 'Cambs Applications' WHERE force_id = :f AND service = :s",
        f=force,
        s=application.service,
    )
    try:
        letter = caseworker.get(f"/staff/applications/{application.id}/letter").text
        assert "Telephone: 01480 111111" in letter and "about 6 weeks" in letter
        assert "Cambs Applications, Suffolk Constabulary" in letter
    finally:
        run_sql(
            database_url,
            "UPDATE force_service SET phone = NULL, processing_time = NULL, unit_name = NULL "
            "WHERE force_id = :f AND service = :s",
            f=force,
            s=application.service,
        )


def test_the_cli_can_make_the_first_national_administrator(database_url: str) -> None:
    created = create_staff(
        database_url,
        force_id=LEAD,
        email=f"nat.{uuid.uuid4().hex[:8]}@x.example",
        password=PASSWORD,
        role="national_admin",
    )
    assert run_sql(database_url, "SELECT role FROM staff_member WHERE id = :i", i=created.id) == [
        ("national_admin",)
    ]
