"""Staff sign-in over HTTP on both databases: second factor, lockout, rate limits, sessions,
CSRF on every staff POST, open redirects and forged cookies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import text
from starlette.testclient import TestClient

from tests.support.forms import csrf_from
from tests.support.staff import (
    PASSWORD,
    code_for,
    fill_path,
    new_staff,
    sign_in,
    staff_routes,
    unique_ip,
)
from webapp.app import create_app
from webapp.settings import Settings
from webapp.store.db import create_sync_engine


@pytest.fixture
def staff_client(settings: Settings) -> Iterator[TestClient]:
    ip = unique_ip()
    with TestClient(
        create_app(settings), raise_server_exceptions=False, client=(ip, 50000)
    ) as test_client:
        test_client.ip = ip  # type: ignore[attr-defined]
        yield test_client


def _post_password(client: TestClient, email: str, password: str) -> object:
    page = client.get("/staff/sign-in")
    return client.post(
        "/staff/sign-in",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def _audit_actions(database_url: str, email: str) -> list[str]:
    engine = create_sync_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT action FROM audit_event WHERE email = :e ORDER BY id"), {"e": email}
        ).all()
    engine.dispose()
    return [row[0] for row in rows]


def test_staff_pages_need_sign_in(staff_client: TestClient) -> None:
    response = staff_client.get("/staff/applications?surname=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/sign-in?next=/staff/applications%3Fsurname%3Dx"


def test_sign_in_with_totp_rotates_the_session_and_sign_out_kills_it(
    staff_client: TestClient, database_url: str
) -> None:
    staff = new_staff(database_url)
    before = csrf_from(staff_client.get("/staff/sign-in").text)
    response = sign_in(staff_client, staff)
    assert response.status_code == 303 and response.headers["location"] == "/staff"
    dashboard = staff_client.get("/staff")
    assert dashboard.status_code == 200 and "Dashboard" in dashboard.text
    assert dashboard.headers["cache-control"] == "no-store"
    assert csrf_from(dashboard.text) != before  # rotated at sign-in
    old_cookie = staff_client.cookies.get("session")

    staff_client.post("/staff/sign-out", data={"csrf_token": csrf_from(dashboard.text)})
    assert "signed out" in staff_client.get("/staff/signed-out").text
    # Replaying the old (validly signed) cookie: the server-side session is gone.
    staff_client.cookies.clear()
    staff_client.cookies.set("session", old_cookie)
    replay = staff_client.get("/staff", follow_redirects=False)
    assert replay.status_code == 401 and "Your session has ended" in replay.text
    actions = _audit_actions(database_url, staff.email)
    assert actions[:2] == ["signed in", "signed out"]


def test_lockout_after_repeated_wrong_passwords(
    staff_client: TestClient, database_url: str
) -> None:
    staff = new_staff(database_url)
    for attempt in range(5):
        response = _post_password(staff_client, staff.email, f"wrong password number {attempt}")
        assert response.status_code == 200
    assert "too many failed attempts" in response.text
    # Even the right password is refused from this client while it waits, and the try counts
    # against it (its wait grows) rather than against the account.
    response = _post_password(staff_client, staff.email, PASSWORD)
    assert response.status_code == 200 and "too many failed attempts" in response.text
    assert _audit_actions(database_url, staff.email).count("sign-in failed") == 6
    # The owner is told, once for the wait that began (the try while waiting adds nothing).
    engine = create_sync_engine(database_url)
    with engine.connect() as connection:
        told = connection.execute(
            text(
                "SELECT params FROM outbox WHERE template = 'sign_in_attempts' AND to_address = :to"
            ),
            {"to": staff.email},
        ).all()
    engine.dispose()
    assert len(told) == 1


def test_the_owner_is_told_in_plain_words(database_url: str) -> None:
    from webapp.notify import SIGN_IN_ATTEMPTS, render

    mail = render(
        SIGN_IN_ATTEMPTS, "someone@example.com", {"count": 5, "time": "09:15 on 7 December 2026"}
    )
    assert mail.subject == "Failed sign-ins to your Blue Lamp account"
    assert "5 times from one device, most recently at 09:15 on 7 December 2026" in mail.body


def test_lockout_after_repeated_wrong_codes(staff_client: TestClient, database_url: str) -> None:
    staff = new_staff(database_url)
    assert _post_password(staff_client, staff.email, PASSWORD).status_code == 303
    wrong = f"{(int(code_for(staff.totp_secret)) + 1) % 1_000_000:06d}"
    for _ in range(5):
        page = staff_client.get("/staff/sign-in/code")
        if page.status_code != 200 or "code" not in page.url.path:
            break
        response = staff_client.post(
            "/staff/sign-in/code", data={"code": wrong, "csrf_token": csrf_from(page.text)}
        )
    assert "too many failed attempts" in response.text
    assert _post_password(staff_client, staff.email, PASSWORD).status_code == 200


def test_a_reused_code_is_refused(settings: Settings, database_url: str) -> None:
    staff = new_staff(database_url)
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as first:
        assert sign_in(first, staff).headers["location"] == "/staff"
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as second:
        response = sign_in(second, staff)  # the same code again
        assert response.status_code == 200
        assert "Enter the correct 6-digit code" in response.text
        assert second.get("/staff", follow_redirects=False).status_code == 303


def test_brute_force_is_rate_limited_per_client(
    staff_client: TestClient, database_url: str
) -> None:
    for n in range(20):
        _post_password(staff_client, f"nobody{n}@example.com", "not the password at all")
    response = _post_password(staff_client, "someone.else@example.com", "not the password at all")
    assert response.status_code == 429 and "Too many attempts" in response.text


def test_guessing_from_many_clients_never_locks_the_owner_out(
    settings: Settings, database_url: str
) -> None:
    staff = new_staff(database_url)
    app = create_app(settings)
    for n in range(12):  # twelve clients, each failing until it must wait
        with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), n)) as client:
            for guess in range(6):
                response = _post_password(client, staff.email, f"guess {n}.{guess} is wrong")
            assert "too many failed attempts" in response.text
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 99)) as owner:
        assert sign_in(owner, staff).status_code == 303


def test_a_client_that_keeps_trying_waits_longer_and_an_administrator_clears_it(
    settings: Settings, database_url: str
) -> None:
    from webapp.throttle import Throttle

    staff = new_staff(database_url)
    app = create_app(settings)
    ip = unique_ip()
    with TestClient(app, raise_server_exceptions=False, client=(ip, 1)) as attacker:
        for guess in range(12):
            _post_password(attacker, staff.email, f"wrong guess {guess}")
    # Tries made while waiting counted against the client: its wait has doubled.
    engine = create_sync_engine(database_url)
    with engine.connect() as connection:
        failures = connection.execute(
            text("SELECT count(*) FROM resume_attempt WHERE key LIKE 'staff:%' AND failed")
        ).scalar_one()
    engine.dispose()
    assert failures >= 10 and Throttle().wait_after(10) == 2 * Throttle().wait_after(5)
    admin = new_staff(database_url, role="admin")
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 2)) as office:
        assert sign_in(office, admin).status_code == 303
        page = office.get("/staff/admin/staff")
        office.post(
            f"/staff/admin/staff/{staff.id}/unlock", data={"csrf_token": csrf_from(page.text)}
        )
    with TestClient(app, raise_server_exceptions=False, client=(ip, 3)) as same_client:
        assert sign_in(same_client, staff).status_code == 303


def test_every_staff_post_checks_csrf(
    staff_client: TestClient, settings: Settings, database_url: str
) -> None:
    sign_in(staff_client, new_staff(database_url, role="admin"))
    posts = [path for method, path in staff_routes(create_app(settings)) if method == "POST"]
    assert len(posts) >= 8
    for path in posts:
        for data in ({}, {"csrf_token": "forged-token-value-that-is-long-enough-123"}):
            response = staff_client.post(fill_path(path, 1), data=data, follow_redirects=False)
            assert response.status_code == 403, path
    assert staff_client.get("/staff").status_code == 200  # still signed in


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/staff",
        "/\\evil.example",
        "/staff/../../evil",
        "javascript:alert(1)",
        "/staff//evil.example",
        "https:/evil.example",
        "/staffevil",
    ],
)
def test_next_never_leaves_the_back_office(
    staff_client: TestClient, database_url: str, target: str
) -> None:
    staff = new_staff(database_url)
    page = staff_client.get("/staff/sign-in?next=" + quote(target, safe=""))
    assert page.status_code == 200 and "evil" not in page.text
    response = staff_client.post(
        "/staff/sign-in",
        data={
            "email": staff.email,
            "password": PASSWORD,
            "next": target,
            "csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    code_page = staff_client.get("/staff/sign-in/code")
    response = staff_client.post(
        "/staff/sign-in/code",
        data={"code": code_for(staff.totp_secret), "csrf_token": csrf_from(code_page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/staff"


def test_next_inside_the_back_office_is_followed(
    staff_client: TestClient, database_url: str
) -> None:
    response = sign_in(staff_client, new_staff(database_url), next_url="/staff/applications")
    assert response.headers["location"] == "/staff/applications"


@pytest.mark.parametrize(
    "cookie",
    [
        "not-a-real-cookie",
        "eyJzdGFmZiI6ICJ4In0=.forged.signature",
        "",
        "A" * 4000,
    ],
)
def test_forged_session_cookies_get_a_clear_page(staff_client: TestClient, cookie: str) -> None:
    staff_client.cookies.set("session", cookie)
    response = staff_client.get("/staff", follow_redirects=False)
    assert response.status_code in (303, 401)
    if cookie:
        assert response.status_code == 401 and "Your session has ended" in response.text
    assert staff_client.get("/staff/sign-in").status_code == 200


def test_a_cookie_signed_with_another_key_is_refused_and_logged(
    staff_client: TestClient, database_url: str
) -> None:
    import base64
    import json

    payload = base64.b64encode(json.dumps({"staff": "guessed-token"}).encode())
    forged = TimestampSigner("some-other-secret-key").sign(payload).decode()
    staff_client.cookies.set("session", forged)
    response = staff_client.get("/staff/applications/1", follow_redirects=False)
    assert response.status_code == 401
    engine = create_sync_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM audit_event WHERE action = 'session refused' AND ip = :ip"),
            {"ip": staff_client.ip},
        ).scalar()  # type: ignore[attr-defined]
    engine.dispose()
    assert count == 1


def test_a_valid_cookie_for_an_unknown_session_is_refused(
    staff_client: TestClient, settings: Settings
) -> None:
    import base64
    import json

    payload = base64.b64encode(json.dumps({"staff": "no-such-session-token"}).encode())
    staff_client.cookies.set("session", TimestampSigner(settings.secret_key).sign(payload).decode())
    response = staff_client.get("/staff", follow_redirects=False)
    assert response.status_code == 401 and "Your session has ended" in response.text


def test_demo_accounts_are_refused_in_production(database_url: str) -> None:
    from tests.conftest import make_settings
    from webapp.staff_setup import DEMO_EMAIL, DEMO_PASSWORD

    settings = make_settings(database_url, env="production")
    with TestClient(
        create_app(settings),
        base_url="https://testserver",
        raise_server_exceptions=False,
        client=(unique_ip(), 1),
    ) as client:
        page = client.get("/staff/sign-in")
        response = client.post(
            "/staff/sign-in",
            data={
                "email": DEMO_EMAIL,
                "password": DEMO_PASSWORD,
                "csrf_token": csrf_from(page.text),
            },
            follow_redirects=False,
        )
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.text


def test_the_audit_log_cannot_be_changed(database_url: str) -> None:
    engine = create_sync_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_event (at, action, detail, ip) VALUES (CURRENT_TIMESTAMP, 'test', '', '')"
            )
        )
    for statement in ("UPDATE audit_event SET detail = 'changed'", "DELETE FROM audit_event"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    engine.dispose()


def test_password_never_appears_in_the_page(staff_client: TestClient, database_url: str) -> None:
    response = _post_password(staff_client, "someone@example.com", "my secret password 123")
    assert "my secret password 123" not in response.text
    assert re.search(r'name="email"[^>]*value="someone@example.com"', response.text)
