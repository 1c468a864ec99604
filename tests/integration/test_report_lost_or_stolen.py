"""The second service, declared as one file: a short straight run with no task list, an exit to
999, Back links from page to page, check answers and sending, on both databases."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from starlette.testclient import TestClient

from tests.support.forms import post_form
from tests.support.report_lost_or_stolen import BASE, POSTCODE, RUN

BACK = re.compile(r'<a href="([^"]+)" class="govuk-back-link">')


def location(response: Any) -> str:
    url = urlsplit(response.headers["location"])
    return url.path + (f"?{url.query}" if url.query else "")


def back_link(html: str) -> str:
    match = BACK.search(html)
    assert match, "the page has a Back link"
    return match.group(1)


def begin(client: TestClient, in_danger: str = "no") -> str:
    """Start now, answer the eligibility question; where that leads."""
    response = post_form(client, BASE, {}, action=f"{BASE}/start")
    assert response.status_code == 303 and location(response) == f"{BASE}/in_danger"
    response = post_form(client, f"{BASE}/in_danger", {"in_danger": in_danger})
    assert response.status_code == 303
    return location(response)


def reach_questions(client: TestClient) -> None:
    assert begin(client) == f"{BASE}/force"
    response = post_form(client, f"{BASE}/force", {"postcode": POSTCODE})
    assert response.status_code == 303 and location(response) == f"{BASE}/lost_items"


def answer_run(client: TestClient) -> None:
    for position, (page, form) in enumerate(RUN):
        response = post_form(client, f"{BASE}/{page}", form)
        assert response.status_code == 303, (page, response.text[:2000])
        expected = f"{BASE}/{RUN[position + 1][0]}" if position + 1 < len(RUN) else f"{BASE}/check"
        assert location(response) == expected, page


def test_straight_run_from_start_to_confirmation(client: TestClient) -> None:
    reach_questions(client)
    answer_run(client)
    check = client.get(f"{BASE}/check")
    assert check.status_code == 200
    assert "Check your answers before sending your report" in check.text
    for typed in (
        "SG/12345",
        "Beretta",
        "BN-0002",
        "13/98765/26",
        "Okafor",
        "LS1 1UR",
        "ada@example.com",
    ):
        assert typed in check.text, typed
    assert back_link(check.text) == f"{BASE}/email"

    declaration = client.get(f"{BASE}/declaration")
    assert back_link(declaration.text) == f"{BASE}/check"
    assert "Send report" in declaration.text
    response = post_form(client, f"{BASE}/declaration", {})
    assert (
        response.status_code == 200
        and "Select to confirm the information you have given is true" in response.text
    )
    response = post_form(client, f"{BASE}/declaration", {"confirm": "yes"})
    assert response.status_code == 303 and location(response) == f"{BASE}/confirmation"

    confirmation = client.get(f"{BASE}/confirmation").text
    assert "Report sent" in confirmation
    assert re.search(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4})</strong>", confirmation), "a reference"
    assert "West Yorkshire Police" in confirmation
    assert "You will need a replacement certificate" in confirmation  # a certificate was lost
    assert "ada@example.com" in confirmation


def test_no_replacement_note_when_no_certificate_was_lost(client: TestClient) -> None:
    reach_questions(client)
    post_form(client, f"{BASE}/lost_items", {"lost_items": "ammunition"})
    # No firearm or shotgun: the items are not asked.
    response = post_form(client, f"{BASE}/certificate_number", {"certificate_number": "FA/1"})
    assert location(response) == f"{BASE}/lost_or_stolen"
    for page, form in RUN[6:]:
        post_form(client, f"{BASE}/{page}", form)
    post_form(client, f"{BASE}/declaration", {"confirm": "yes"})
    confirmation = client.get(f"{BASE}/confirmation").text
    assert "Report sent" in confirmation
    assert "replacement certificate" not in confirmation


def test_happening_now_leads_to_the_999_exit_page(client: TestClient) -> None:
    exit_url = begin(client, in_danger="yes")
    assert exit_url == f"{BASE}/cannot-use/emergency"
    page = client.get(exit_url)
    assert page.status_code == 200
    assert "Call 999 now" in page.text
    assert (
        "You cannot use this service because the crime is happening now or someone is in danger."
        in page.text
    )
    assert back_link(page.text) == f"{BASE}/in_danger"
    # The journey does not go on past the exit, whichever page is asked for.
    for later in ("force", "lost_items", "check", "declaration"):
        response = client.get(f"{BASE}/{later}", follow_redirects=False)
        assert response.status_code == 303 and location(response) == exit_url, later
    # Changing the answer carries on.
    response = post_form(client, f"{BASE}/in_danger", {"in_danger": "no"})
    assert location(response) == f"{BASE}/force"
    assert client.get(f"{BASE}/cannot-use/nothing-like-this").status_code == 404


def test_no_task_list(client: TestClient) -> None:
    reach_questions(client)
    response = client.get(f"{BASE}/tasks", follow_redirects=False)
    assert response.status_code == 303 and location(response) == f"{BASE}/lost_items"
    post_form(client, f"{BASE}/lost_items", {"lost_items": "explosives"})
    response = client.get(f"{BASE}/tasks", follow_redirects=False)
    assert location(response) == f"{BASE}/certificate_number"
    assert "govuk-task-list" not in client.get(f"{BASE}/tasks").text


def test_back_links_go_to_the_page_before(client: TestClient) -> None:
    reach_questions(client)
    assert back_link(client.get(f"{BASE}/force").text) == f"{BASE}/in_danger"
    assert back_link(client.get(f"{BASE}/lost_items").text) == f"{BASE}/force"
    previous = "lost_items"
    for page, form in RUN[:8]:
        html = client.get(f"{BASE}/{page}").text
        if page != "lost_items":  # a later item's page goes back to the list it was added from
            assert back_link(html) == f"{BASE}/{previous}", page
        post_form(client, f"{BASE}/{page}", form)
        previous = page
    # A change from check answers goes back there.
    html = client.get(f"{BASE}/lost_or_stolen?return=check").text
    assert back_link(html) == f"{BASE}/check"


def test_later_pages_cannot_be_reached_by_url(client: TestClient) -> None:
    response = post_form(client, BASE, {}, action=f"{BASE}/start")
    # Before the eligibility question: every page leads back to it.
    for later in ("force", "lost_items", "email", "check"):
        response = client.get(f"{BASE}/{later}", follow_redirects=False)
        assert response.status_code == 303 and location(response) == f"{BASE}/in_danger", later
    post_form(client, f"{BASE}/in_danger", {"in_danger": "no"})
    post_form(client, f"{BASE}/force", {"postcode": POSTCODE})
    response = client.get(f"{BASE}/email", follow_redirects=False)
    assert response.status_code == 303 and location(response) == f"{BASE}/lost_items"
    response = client.get(f"{BASE}/check", follow_redirects=False)
    assert response.status_code == 303 and location(response) == f"{BASE}/lost_items"


def test_a_change_from_check_answers_returns_there(client: TestClient) -> None:
    reach_questions(client)
    answer_run(client)
    response = post_form(
        client,
        f"{BASE}/lost_or_stolen?return=check",
        {"lost_or_stolen": "lost"},
        action=f"{BASE}/lost_or_stolen?return=check",
    )
    assert response.status_code == 303 and location(response) == f"{BASE}/check"
    assert "Lost" in client.get(f"{BASE}/check").text
    # Saying now that someone is in danger stops at the exit page, not the declaration.
    response = post_form(
        client,
        f"{BASE}/in_danger?return=check",
        {"in_danger": "yes"},
        action=f"{BASE}/in_danger?return=check",
    )
    assert location(response) == f"{BASE}/check"
    response = client.get(f"{BASE}/check", follow_redirects=False)
    assert location(response) == f"{BASE}/cannot-use/emergency"
