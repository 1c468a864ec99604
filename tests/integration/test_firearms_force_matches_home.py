"""The force chosen from the postcode at the start must be the force where the applicant lives:
a home address in another force's area is stopped on its own page, kept, and the person can
check the postcode or change the force; nothing is sent to the wrong force. On both databases."""

from __future__ import annotations

import copy
import html
import re

import pytest
from starlette.testclient import TestClient

from tests.integration.test_firearms_journey import (
    complete_every_task,
    path_of,
    start_application,
)
from tests.support.databases import run_sql
from tests.support.firearms import BASE, COMPLETE, address
from tests.support.forms import post_form
from tests.support.paying import pay

MANCHESTER = {
    "home_address-line1": "1 Deansgate",
    "home_address-town": "Manchester",
    "home_address-postcode": "m1 1ae",
}


def _errors(page: str) -> list[str]:
    return [
        " ".join(html.unescape(text).split())
        for text in re.findall(
            r'govuk-error-message">\s*<span[^>]*>[^<]*</span>([^<]*)', page, flags=re.S
        )
    ]


def test_a_home_address_in_another_force_area_is_stopped_until_the_force_is_changed(
    client: TestClient, database_url: str
) -> None:
    start_application(client, "LS1 1UR")  # West Yorkshire
    complete_every_task(client)
    assert client.get(f"{BASE}/check").status_code == 200

    # The home address is in Manchester: not let through, and saved as typed.
    response = post_form(client, f"{BASE}/home_address", MANCHESTER)
    assert response.status_code == 200
    expected = (
        "The postcode M1 1AE is in the area of Greater Manchester Police, not West Yorkshire "
        "Police. Applications go to the police force where you live. Check the postcode, or "
        "change the force"
    )
    assert _errors(response.text) == [expected]
    assert 'href="#home_address-postcode"' in response.text  # the summary links to the postcode
    assert f'href="{BASE}/force"' in response.text  # the way to change the force
    assert 'value="1 Deansgate"' in response.text
    # Check answers and the declaration send the person back to fix it (the payment waits for
    # the declaration).
    for stage in ("check", "declaration"):
        redirected = client.get(f"{BASE}/{stage}", follow_redirects=False)
        assert path_of(redirected) == f"{BASE}/home_address", stage
    refused = post_form(client, f"{BASE}/declaration", {"confirm": "yes"})
    assert path_of(refused) == f"{BASE}/home_address"
    assert client.get(f"{BASE}/payment", follow_redirects=False).status_code == 303
    reopened = client.get(f"{BASE}/home_address")
    assert _errors(reopened.text) == [expected] and 'value="1 Deansgate"' in reopened.text

    # Changing the force: the postcode page offers the home postcode; Greater Manchester chosen.
    force_page = client.get(f"{BASE}/force")
    assert 'value="M1 1AE"' in force_page.text
    chosen = post_form(client, f"{BASE}/force", {"postcode": "M1 1AE"})
    assert chosen.status_code == 303
    assert _errors(client.get(f"{BASE}/home_address").text) == []
    assert client.get(f"{BASE}/check").status_code == 200
    assert post_form(client, f"{BASE}/declaration", {"confirm": "yes"}).status_code == 303
    sent = pay(client, BASE)
    assert path_of(sent) == f"{BASE}/confirmation"
    rows = run_sql(
        database_url,
        "SELECT force_id, status FROM application WHERE service = :s ORDER BY id DESC",
        s="firearm-certificate",
    )
    assert rows[0][0] == "greater-manchester" and rows[0][1] != "draft"


def test_checking_the_postcode_puts_it_right(client: TestClient) -> None:
    start_application(client, "BS1 4ST")  # Avon and Somerset
    answers = copy.deepcopy(COMPLETE)
    answers["home_address"] = address("1 Deansgate", "Manchester", "M1 1AE")
    with pytest.raises(AssertionError, match="home_address"):  # the journey stops there
        complete_every_task(client, answers)
    stopped = _errors(client.get(f"{BASE}/home_address").text)
    assert len(stopped) == 1 and "not Avon and Somerset Constabulary" in stopped[0]
    # A Bristol address agrees with the force: the journey carries on.
    fixed = post_form(
        client,
        f"{BASE}/home_address",
        {
            "home_address-line1": "1 Broad Quay",
            "home_address-town": "Bristol",
            "home_address-postcode": "BS1 4DJ",
        },
    )
    assert fixed.status_code == 303 and path_of(fixed) == f"{BASE}/moved_in"


def test_a_postcode_the_data_does_not_know_is_not_refused(client: TestClient) -> None:
    start_application(client, "LS1 1UR")
    complete_every_task(client)
    unknown = {**MANCHESTER, "home_address-postcode": "GIR 0AA"}  # non-geographic
    assert post_form(client, f"{BASE}/home_address", unknown).status_code == 303


def test_the_referee_guidance_is_public_and_linked_from_the_referee_pages(
    client: TestClient,
) -> None:
    guide = client.get(f"{BASE}/guide/referees")  # no application needed: for the referee
    assert guide.status_code == 200
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", guide.text)).split())
    for fact in (
        "Guidance for referees",
        "have known the applicant personally for at least 2 years",
        "live in Great Britain",
        "a Police and Crime Commissioner or a member of their staff",
        "a registered firearms dealer or one of their staff",
        "will contact you by phone, email or letter",
    ):
        assert fact in text, fact
    assert client.get(f"{BASE}/guide/nothing").status_code == 404
    assert client.get("/apply/no-such-service/guide/referees").status_code == 404
    start_application(client, "LS1 1UR")
    complete_every_task(client)
    for page in ("referee_details/0", "referee_checks/1"):
        assert f'href="{BASE}/guide/referees"' in client.get(f"{BASE}/{page}").text, page
