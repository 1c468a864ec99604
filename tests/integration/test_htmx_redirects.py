"""A form htmx posts is answered with the page it leads to (one round trip, not two); without
htmx the same post still redirects (POST-redirect-GET)."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.integration.test_firearms_journey import BASE, start_application
from tests.support.forms import csrf_from

HTMX = {"HX-Request": "true", "HX-Boosted": "true"}


def _post(
    client: TestClient, url: str, data: dict[str, str], headers: dict[str, str] | None = None
):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(url).text)
    return client.post(
        url, data={**data, "csrf_token": token}, headers=headers, follow_redirects=False
    )


def test_htmx_post_gets_the_next_page_and_its_address(client: TestClient) -> None:
    start_application(client, "LS1 1UR")  # West Yorkshire
    response = _post(client, f"{BASE}/certificates", {"certificates": "sgc"}, HTMX)
    assert response.status_code == 200
    assert response.headers["hx-push-url"] == f"{BASE}/sgc_kind"
    assert "location" not in response.headers
    # The very page a GET of that address shows, worked out after the save.
    assert response.text == client.get(f"{BASE}/sgc_kind").text.replace(
        csrf_from(client.get(f"{BASE}/sgc_kind").text), csrf_from(response.text)
    )


def test_the_page_fetched_sees_what_the_post_changed(client: TestClient) -> None:
    """Choosing a force by postcode: the task list that comes back already names the force."""
    client.post(f"{BASE}/start", data={"csrf_token": csrf_from(client.get(BASE).text)})
    response = _post(client, f"{BASE}/force", {"postcode": "LS1 1UR"}, HTMX)
    assert response.status_code == 200
    assert response.headers["hx-push-url"] == f"{BASE}/tasks"
    assert "West Yorkshire Police" in response.text


def test_without_htmx_the_post_redirects(client: TestClient) -> None:
    start_application(client)
    response = _post(client, f"{BASE}/certificates", {"certificates": "sgc"})
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"{BASE}/sgc_kind")
    assert "hx-push-url" not in response.headers


def test_htmx_post_with_errors_is_answered_as_before(client: TestClient) -> None:
    start_application(client)
    response = _post(client, f"{BASE}/certificates", {}, HTMX)
    assert response.status_code == 200
    assert "hx-push-url" not in response.headers
    assert "govuk-error-summary" in response.text


def test_htmx_post_redirecting_off_site_or_to_a_file_is_left_as_a_redirect(
    client: TestClient,
) -> None:
    """Only our own HTML pages are fetched in place; anything else goes back as the 303."""
    from webapp.web.htmx_redirects import _own_page

    assert (
        _own_page("/apply/firearm-certificate/tasks?return=check")
        == "/apply/firearm-certificate/tasks?return=check"
    )
    assert _own_page("https://example.com/") is None
    assert _own_page("//example.com/x") is None
    assert _own_page("relative") is None


def test_a_file_htmx_asks_for_is_left_to_the_browser(client: TestClient) -> None:
    """A download link htmx boosted anyway gets no bytes to swap in: HX-Redirect to the same
    address makes the browser fetch it itself (and save or show it)."""
    address = "/forms/firearm-certificate.pdf?force=west-yorkshire"
    response = client.get(address, headers=HTMX)
    assert response.status_code == 200
    assert response.headers["hx-redirect"] == address
    assert response.content == b""
    assert "application/pdf" not in response.headers.get("content-type", "")
    # Without htmx, and for pages, nothing changes.
    assert client.get(address).content.startswith(b"%PDF-")
    page = client.get(BASE, headers=HTMX)
    assert "hx-redirect" not in page.headers and "<h1" in page.text
