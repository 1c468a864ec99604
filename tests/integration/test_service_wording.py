"""Platform pages name no service: a service's pages ask for the team the service declares, and
pages with no service in scope (errors, resume) use a neutral wording."""

from __future__ import annotations

from starlette.testclient import TestClient

NEUTRAL = "the team that deals with your application"


def test_an_error_page_names_no_service(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert f"call 101 and ask for {NEUTRAL}." in response.text
    assert "licensing" not in response.text.lower()


def test_the_start_page_asks_for_the_team_the_service_declares(client: TestClient) -> None:
    text = client.get("/apply/firearm-certificate").text
    assert "call 101 and ask your police force’s firearms licensing team to fill in" in text


def test_the_force_not_available_page_asks_for_the_service_team(client: TestClient) -> None:
    text = client.get("/apply/firearm-certificate/force/not-available").text
    assert "Call 101 and ask for your police force’s firearms licensing team." in text


def test_the_privacy_notice_adds_what_each_service_declares(client: TestClient) -> None:
    text = client.get("/privacy").text
    assert "The force uses it to decide your application.</p>" in text
    assert "as the Firearms Act 1968 requires." in text
    assert "national firearms licensing system." in text
