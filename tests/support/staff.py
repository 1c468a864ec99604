"""Staff accounts and sent applications for the back-office tests."""

from __future__ import annotations

import itertools
import re
import time
import uuid
from typing import Any

import pyotp
from sqlalchemy.orm import Session
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.support.firearms import COMPLETE
from tests.support.forms import csrf_from
from webapp.staff_setup import CreatedStaff, create_staff
from webapp.store.db import create_sync_engine
from webapp.store.models import Application, utcnow
from webapp.store.references import new_reference

PASSWORD = "a long staff passphrase 4 tests"
_ips = itertools.count(1)


def unique_ip() -> str:
    """Each test its own client address, so per-client rate limits never leak between tests."""
    n = next(_ips) + (uuid.uuid4().int % 10_000) * 300
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def new_staff(
    database_url: str, force_id: str = "cheshire", role: str = "caseworker"
) -> CreatedStaff:
    email = f"{role}.{uuid.uuid4().hex[:10]}@{force_id}.police.example"
    return create_staff(database_url, force_id=force_id, email=email, password=PASSWORD, role=role)


def code_for(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset)


def sign_in(client: TestClient, staff: CreatedStaff, *, offset: int = 0, next_url: str = "") -> Any:
    """Password then code; returns the last response (a 303 to where sign-in leads)."""
    page = client.get("/staff/sign-in" + (f"?next={next_url}" if next_url else ""))
    data = {"email": staff.email, "password": PASSWORD, "csrf_token": csrf_from(page.text)}
    if next_url:
        data["next"] = next_url
    response = client.post("/staff/sign-in", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == "/staff/sign-in/code"
    page = client.get("/staff/sign-in/code")
    return client.post(
        "/staff/sign-in/code",
        data={"code": code_for(staff.totp_secret, offset), "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def sent_application(
    database_url: str,
    force_id: str,
    *,
    surname: str = "Jones",
    postcode: str = "LS1 1UR",
    born: dict[str, str] | None = None,
    status: str = "submitted",
    channel: str = "online",
) -> Application:
    answers: dict[str, Any] = {
        **COMPLETE,
        "surname": surname,
        "home_address": {**COMPLETE["home_address"], "postcode": postcode},
    }
    if born:
        answers["date_of_birth"] = born
    answers.pop("photo", None)
    engine = create_sync_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            application = Application(
                reference=new_reference(),
                service="firearm-certificate",
                force_id=force_id,
                status=status,
                channel=channel,
                answers=answers,
                version=2,
                submitted_at=utcnow(),
                updated_at=utcnow(),
            )
            session.add(application)
        return application
    finally:
        engine.dispose()


def csrf_of(client: TestClient, url: str = "/staff") -> str:
    return csrf_from(client.get(url).text)


def error_texts(html: str) -> list[str]:
    return re.findall(r'<a href="#[^"]*">([^<]+)</a>', html)


def client_from_own_address(app: Any) -> TestClient:
    """A client with an address of its own, so sign-in throttling in one test cannot reach another."""
    return TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1))


def staff_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every back-office route the app has."""
    found = []
    for route in app.routes:
        if isinstance(route, Route) and route.path.startswith("/staff"):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                found.append((method, route.path))
    return found


def fill_path(path: str, application_id: int, staff_id: int = 1) -> str:
    """A route's path with its parameters filled in."""
    return (
        path.replace("{id:int}", str(application_id))
        .replace("{staff_id:int}", str(staff_id))
        .replace("{refund_id:int}", "1")
        .replace("{service}", "firearm-certificate")
        .replace("{reference}", "ABCD-2345")
        .replace("{item}", "1")
        .replace("{force_id}", "cheshire")
    )


def every_account_page(client: TestClient) -> str:
    """The staff accounts list, every page of it, as one text (it is shown 25 at a time)."""
    texts, page = [], 1
    while True:
        text = client.get("/staff/admin/staff", params={"page": page}).text
        texts.append(text)
        if f"/staff/admin/staff?page={page + 1}" not in text:
            return "\n".join(texts)
        page += 1
