"""A channel decides what is required, on both databases. Staff taking an application by phone
may leave the email empty (the case then says to write) and take the photos by post (the case
shows them outstanding until staff record them received: audited, and only in their own force);
the public online channel still requires both."""

from __future__ import annotations

import copy
import io
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.integration.test_firearms_journey import BASE, complete_every_task, start_application
from tests.support.databases import run_sql
from tests.support.firearms import COMPLETE
from tests.support.forms import csrf_from, post_form
from tests.support.paying import declare_and_pay
from tests.support.staff import client_from_own_address, new_staff, sign_in
from webapp.app import create_app
from webapp.settings import Settings


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    return create_app(settings)


def _answers(**changes: Any) -> dict[str, Any]:
    unique = "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:10])
    answers = {**copy.deepcopy(COMPLETE), "surname": "Channel" + unique, **changes}
    return {key: value for key, value in answers.items() if value is not None}


@pytest.fixture
def caseworker(app, database_url: str) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with client_from_own_address(app) as client:
        assert sign_in(client, new_staff(database_url, "cheshire")).status_code == 303
        yield client


def _phone_application(client: TestClient, answers: dict[str, Any]) -> str:
    """A phone application through the public journey, sent; its reference."""
    page = client.get("/staff/apply/firearm-certificate")
    started = client.post(
        "/staff/apply/firearm-certificate/phone",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert started.headers["location"] == f"{BASE}/tasks"
    complete_every_task(client, answers)
    declaration = client.get(f"{BASE}/declaration")
    assert (
        declaration.status_code == 200 and "confirmed this declaration by phone" in declaration.text
    )
    sent = declare_and_pay(client, BASE)  # the caller's card, taken by phone
    # Staff land back in the back office, on the sent page with the reference to read out.
    assert re.fullmatch(r"/staff/applications/\d+/sent", sent.headers["location"])
    found = re.search(
        r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4})</strong>", client.get(sent.headers["location"]).text
    )
    assert found
    return found.group(1)


def test_phone_application_without_email_and_with_photos_to_follow(
    app,
    caseworker: TestClient,
    database_url: str,  # type: ignore[no-untyped-def]
) -> None:
    answers = _answers(email="", photo_route="post", photo=None)
    reference = _phone_application(caseworker, answers)
    stored = run_sql(
        database_url,
        "SELECT id, channel, answers FROM application WHERE reference = :r",
        r=reference,
    )
    application_id, channel, saved = stored[0]
    saved = saved if isinstance(saved, dict) else json.loads(saved)
    assert channel == "assisted" and saved["email"] == "" and saved["photo_route"] == "post"
    assert "photo" not in saved

    case = caseworker.get(f"/staff/applications/{application_id}")
    assert "No email address: write to the applicant" in case.text
    assert "Outstanding" in case.text and "Record photos received" in case.text
    assert "The applicant confirmed this declaration by phone" in case.text

    # Staff record the photos received: the case says so, once, and the audit log has it.
    token = csrf_from(case.text)
    url = f"/staff/applications/{application_id}/received"
    recorded = caseworker.post(
        url, data={"csrf_token": token, "item": "photos"}, follow_redirects=False
    )
    assert recorded.status_code == 303
    case = caseworker.get(f"/staff/applications/{application_id}")
    assert "Photos recorded as received" in case.text
    assert "Outstanding" not in case.text and "Record photos received" not in case.text
    again = caseworker.post(url, data={"csrf_token": token, "item": "photos"})
    assert "already recorded as received" in again.text
    assert run_sql(
        database_url,
        "SELECT count(*) FROM received_by_post WHERE application_id = :i",
        i=application_id,
    ) == [(1,)]
    assert run_sql(
        database_url,
        "SELECT detail FROM audit_event WHERE application_id = :i AND action = :a",
        i=application_id,
        a="recorded received by post",
    ) == [(f"{reference}: Photos",)]
    # The PDF copy says how it was taken and how the declaration was made.
    pdf = caseworker.get(f"/staff/applications/{application_id}/application.pdf")
    copy_text = " ".join(
        " ".join(
            page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.content)).pages
        ).split()
    )
    assert "By phone, with police staff (assisted digital)" in copy_text
    assert "The applicant confirmed this declaration by phone to" in copy_text
    [(staff_email,)] = run_sql(
        database_url,
        "SELECT s.email FROM staff_member s JOIN application_origin o "
        "ON o.created_by_staff_id = s.id WHERE o.application_id = :i",
        i=application_id,
    )
    assert f"Taken by {staff_email.split('@')[0]}" in copy_text  # staff without a name: their email
    # Not a thing the application awaits: nothing recorded.
    caseworker.post(url, data={"csrf_token": token, "item": "passport"})
    assert run_sql(
        database_url,
        "SELECT count(*) FROM received_by_post WHERE application_id = :i",
        i=application_id,
    ) == [(1,)]


def test_recording_photos_received_is_scoped_to_the_force(
    app,
    caseworker: TestClient,
    database_url: str,  # type: ignore[no-untyped-def]
) -> None:
    reference = _phone_application(caseworker, _answers(photo_route="post", photo=None))
    [(application_id,)] = run_sql(
        database_url, "SELECT id FROM application WHERE reference = :r", r=reference
    )
    with client_from_own_address(app) as other:
        assert sign_in(other, new_staff(database_url, "dorset")).status_code == 303
        token = csrf_from(other.get("/staff").text)
        refused = other.post(
            f"/staff/applications/{application_id}/received",
            data={"csrf_token": token, "item": "photos"},
            follow_redirects=False,
        )
        assert refused.status_code == 404
        assert other.get(f"/staff/applications/{application_id}").status_code == 404
    assert run_sql(
        database_url,
        "SELECT count(*) FROM received_by_post WHERE application_id = :i",
        i=application_id,
    ) == [(0,)]
    # Without the form token, nothing either.
    no_token = caseworker.post(
        f"/staff/applications/{application_id}/received",
        data={"item": "photos"},
        follow_redirects=False,
    )
    assert no_token.status_code in (400, 403)
    assert run_sql(
        database_url,
        "SELECT count(*) FROM received_by_post WHERE application_id = :i",
        i=application_id,
    ) == [(0,)]


def test_phone_application_with_email_and_photo_shows_nothing_outstanding(
    caseworker: TestClient, database_url: str
) -> None:
    reference = _phone_application(caseworker, _answers())
    case = caseworker.get(f"/staff/applications/reference/{reference}")
    assert "No email address" not in case.text and "Sent by post" not in case.text
    assert caseworker.get(case.url.path + "/photo").headers["content-type"] == "image/jpeg"


def test_the_public_online_channel_still_requires_email_and_photo(
    client: TestClient, database_url: str
) -> None:
    answers = _answers()
    start_application(client)
    complete_every_task(client, answers)
    empty_email = post_form(client, f"{BASE}/email?return=check", {"email": ""})
    assert empty_email.status_code == 200 and "Enter your email address" in empty_email.text
    # Staff's 'photos to follow by post' is not a page of the online journey.
    assert client.get(f"{BASE}/photo_route", follow_redirects=False).status_code == 303
    tasks = client.get(f"{BASE}/tasks")
    refused = client.post(
        f"{BASE}/photo_route",
        data={"photo_route": "post", "csrf_token": csrf_from(tasks.text)},
        follow_redirects=False,
    )
    assert refused.status_code == 303
    [(draft_id, saved)] = run_sql(
        database_url,
        "SELECT id, answers FROM application WHERE status = 'draft' "
        "AND CAST(answers AS TEXT) LIKE :s",
        s=f"%{answers['surname']}%",
    )
    saved = saved if isinstance(saved, dict) else json.loads(saved)
    assert "photo_route" not in saved or saved["photo_route"] != "post"
    # Without its photo the application is not complete, and the photo page asks for one.
    saved.pop("photo")
    run_sql(
        database_url,
        "UPDATE application SET answers = :a, version = version + 1 WHERE id = :i",
        a=json.dumps(saved),
        i=draft_id,
    )
    assert (
        client.get(f"{BASE}/declaration", follow_redirects=False)
        .headers["location"]
        .endswith("/tasks")
    )
    no_photo = post_form(client, f"{BASE}/photo", {})
    assert no_photo.status_code == 200 and "Select a photo" in no_photo.text
