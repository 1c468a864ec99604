"""The platform's promises over HTTP: pages, error pages, security headers, health."""

from __future__ import annotations

import re

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.forms import post_form
from webapp.app import create_app
from webapp.assets import asset_url


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Police services online"),
        ("/accessibility", "Accessibility statement for Blue Lamp"),
        ("/cookies", "Cookies"),
        ("/privacy", "Privacy notice"),
        ("/contact", "Contact"),
    ],
)
def test_information_pages(client: TestClient, path: str, heading: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert f">{heading}</h1>" in response.text
    assert '<html lang="en"' in response.text
    # Not GOV.UK: no crown, no GOV.UK logotype, no Open Government Licence.
    assert "govuk-header__logotype" not in response.text
    assert "Open Government Licence" not in response.text
    assert "Crown copyright" not in response.text


def test_accessibility_statement_has_the_required_sections(client: TestClient) -> None:
    text = client.get("/accessibility").text
    for section in (
        "Compliance status",
        "Non-accessible content",
        "Feedback and contact information",
        "Enforcement procedure",
        "Preparation of this accessibility statement",
    ):
        assert f">{section}</h2>" in text


def test_security_headers_on_every_page(client: TestClient) -> None:
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in response.headers  # development


def test_built_assets_are_the_same_for_everyone(client: TestClient) -> None:
    """A stylesheet cached for a year must not carry the session or vary by it, and the policies
    that only govern documents are left off it (they would only cost bytes)."""
    client.get("/apply/firearm-certificate")  # now holding a session cookie
    assert client.cookies
    css = client.get(asset_url("application.css"), headers={"Accept-Encoding": "br"})
    assert css.status_code == 200
    assert "set-cookie" not in css.headers
    assert "cookie" not in css.headers.get("vary", "").lower()
    assert css.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in css.headers
    # A document still carries them all.
    page = client.get("/cookies")
    assert "content-security-policy" in page.headers and "x-frame-options" in page.headers


def test_production_sends_hsts_and_secure_host_cookie(database_url: str) -> None:
    app = create_app(make_settings(database_url, env="production"))
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/contact")
        assert "max-age=31536000" in response.headers["strict-transport-security"]
        # A page with a form starts a session: its cookie must be __Host-, Secure and HttpOnly.
        set_cookie = client.get("/apply/firearm-certificate").headers.get("set-cookie", "")
    assert set_cookie.startswith("__Host-session=")
    assert "secure" in set_cookie.lower() and "httponly" in set_cookie.lower()
    assert "domain=" not in set_cookie.lower()


def test_pages_without_forms_set_no_cookie(client: TestClient) -> None:
    assert "set-cookie" not in client.get("/").headers


def test_no_inline_script_or_style_in_pages(client: TestClient) -> None:
    html = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> found"
    assert "<style" not in html and " style=" not in html


def test_page_not_found(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert ">Page not found</h1>" in response.text


def test_wrong_method(client: TestClient) -> None:
    response = client.post("/cookies")
    assert response.status_code == 405
    assert "<h1" in response.text


def test_oversized_body_is_refused_with_a_page(client: TestClient) -> None:
    response = client.post(
        "/apply/firearm-certificate/force",
        content=b"x" * (13 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "too large" in response.text


def test_missing_csrf_token_gets_a_clear_page(client: TestClient) -> None:
    response = client.post("/apply/firearm-certificate/force", data={"postcode": "SW1A 1AA"})
    assert response.status_code == 403
    assert "could not accept that form" in response.text


def test_malformed_session_cookie_is_ignored(client: TestClient) -> None:
    client.cookies.set("session", "not-a-signed-value!!")
    response = client.get("/apply/firearm-certificate/force")
    assert response.status_code == 200


def test_unhandled_error_shows_the_problem_page(database_url: str) -> None:
    app = create_app(make_settings(database_url))

    async def boom(request: Request) -> Response:
        raise RuntimeError("boom")

    app.router.routes.append(Route("/boom", boom))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
        assert response.status_code == 500
        assert "Sorry, there is a problem with the service" in response.text
        assert "RuntimeError" not in response.text
        # Nothing started, so nothing is said to be saved; once a draft exists, it is.
        assert "We saved your answers" not in response.text
        post_form(
            client, "/apply/firearm-certificate", {}, action="/apply/firearm-certificate/start"
        )
        assert "We saved your answers" in client.get("/boom").text


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200


def test_database_down_gives_503() -> None:
    app = create_app(make_settings("postgresql://127.0.0.1:1/nowhere"))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/healthz").status_code == 503
        # Starting an application needs the database: the "unavailable" page, not a 500.
        response = post_form(
            client, "/apply/firearm-certificate", {}, action="/apply/firearm-certificate/start"
        )
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.text


def test_production_refuses_default_secret() -> None:
    from webapp.settings import ConfigurationError, Settings

    with pytest.raises(ConfigurationError):
        Settings.from_env({"ENV": "production"})
    with pytest.raises(ConfigurationError):
        Settings.from_env({"ENV": "production", "SECRET_KEY": "short"})
    live_pay = {
        "PAY_API_URL": "https://publicapi.payments.service.gov.uk",
        "PAY_API_KEY": "live_key_for_the_test",
    }
    assert Settings.from_env({"ENV": "production", "SECRET_KEY": "x" * 40, **live_pay}).production


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (None, None),
        ("http://127.0.0.1:8765", "live_key_for_the_test"),
        ("https://localhost:8765", "live_key_for_the_test"),
        ("http://publicapi.payments.service.gov.uk", "live_key_for_the_test"),
        ("https://publicapi.payments.service.gov.uk", "api_test_key_for_the_test"),
    ],
)
def test_production_refuses_the_pay_simulator_and_test_keys(
    url: str | None, key: str | None
) -> None:
    from webapp.settings import ConfigurationError, Settings

    env = {"ENV": "production", "SECRET_KEY": "x" * 40}
    env.update(
        {name: value for name, value in (("PAY_API_URL", url), ("PAY_API_KEY", key)) if value}
    )
    with pytest.raises(ConfigurationError, match="PAY_API"):
        Settings.from_env(env)


def test_development_defaults_to_the_local_pay_simulator() -> None:
    from webapp.settings import Settings

    settings = Settings.from_env({})
    assert settings.pay_api_url == "http://127.0.0.1:8765"
    assert settings.pay_api_key.startswith("api_test_")
