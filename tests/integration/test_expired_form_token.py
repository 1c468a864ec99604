"""A page left open until the session ended still works: a post into a session with no CSRF
secret is let through when the browser says it came from our own page (Sec-Fetch-Site or
Origin); a forged post from another site, or a token that does not match a live session, is
still refused with the "could not accept that form" page."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.integration.test_firearms_journey import BASE, path_of
from tests.support.forms import csrf_from

OWN_ORIGIN = {"Origin": "http://testserver"}


@pytest.mark.parametrize(
    "headers", [{"Sec-Fetch-Site": "same-origin"}, OWN_ORIGIN], ids=["fetch-metadata", "origin"]
)
def test_start_now_after_the_session_ended(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(f"{BASE}/start", headers=headers, follow_redirects=False)
    assert response.status_code == 303 and path_of(response) == f"{BASE}/force"
    # The page it leads to carries a token for the new session.
    assert csrf_from(client.get(f"{BASE}/force").text)


def test_postcode_after_the_session_ended_starts_again_with_that_postcode(
    client: TestClient,
) -> None:
    response = client.post(
        f"{BASE}/force", data={"postcode": "LS1 1UR"}, headers=OWN_ORIGIN, follow_redirects=False
    )
    assert response.status_code == 303 and path_of(response) == f"{BASE}/tasks"
    assert "West Yorkshire Police" in client.get(f"{BASE}/tasks").text


@pytest.mark.parametrize(
    "headers",
    [
        {},  # no word from the browser at all
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},
        {"Sec-Fetch-Site": "same-site"},
    ],
    ids=["none", "other-origin", "null-origin", "cross-site", "same-site"],
)
def test_a_post_not_from_our_pages_is_still_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(f"{BASE}/start", headers=headers, follow_redirects=False)
    assert response.status_code == 403
    assert "could not accept that form" in response.text


def test_a_wrong_token_in_a_live_session_is_refused_even_from_our_pages(client: TestClient) -> None:
    csrf_from(client.get(BASE).text)  # the session now holds a secret
    response = client.post(
        f"{BASE}/start", data={"csrf_token": "x" * 43}, headers=OWN_ORIGIN, follow_redirects=False
    )
    assert response.status_code == 403
