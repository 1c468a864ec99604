"""A flow that routes the case by the postcode in an answer (where an item was found, say)
rather than the postcode page: the force is chosen as that page is saved, on both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from tests.support.databases import offer_everywhere
from tests.support.forms import post_form
from webapp.engine import flow
from webapp.engine.fields import Address, Text
from webapp.engine.schema import Declaration, Question, Section, Service, StartInfo
from webapp.services import SERVICES

SERVICE = Service(
    slug="routed-by-answer",
    title="Tell us where something was found",
    sections=[
        Section(
            "found",
            "Where it was found",
            [
                Question("what", "What did you find?", Text(), name="What"),
                Question("where_found", "Where did you find it?", Address(), name="Where found"),
                Question("finder", "What is your name?", Text(), name="Name"),
            ],
        )
    ],
    start=StartInfo(summary=["A test service."], you_will_need=[], time_to_complete="A minute."),
    declaration=Declaration(statements=["True."], confirm="I confirm", error="Confirm it"),
    flow=flow.Flow(
        [
            flow.Questions(layout="straight_run"),
            flow.ForceRouting(from_answer="where_found"),
            flow.CheckAnswers(),
            flow.Declaration(),
            flow.Confirmation(),
        ]
    ),
)
BASE = f"/apply/{SERVICE.slug}"


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[None]:
    monkeypatch.setitem(SERVICES, SERVICE.slug, SERVICE)
    offer_everywhere(database_url, SERVICE.slug)
    yield


def location(response: Any) -> str:
    url = urlsplit(response.headers["location"])
    return url.path + (f"?{url.query}" if url.query else "")


def address(postcode: str) -> dict[str, str]:
    return {
        "where_found-line1": "1 High Street",
        "where_found-town": "Town",
        "where_found-postcode": postcode,
    }


def test_the_answer_chooses_the_force(client: TestClient) -> None:
    response = post_form(client, BASE, {}, action=f"{BASE}/start")
    assert location(response) == f"{BASE}/what"  # no postcode page first
    assert location(client.get(f"{BASE}/force", follow_redirects=False)) == f"{BASE}/what"
    post_form(client, f"{BASE}/what", {"what": "A rifle bolt"})
    # Check answers waits for the force, which comes from the next page.
    assert location(client.get(f"{BASE}/check", follow_redirects=False)) == f"{BASE}/where_found"
    response = post_form(client, f"{BASE}/where_found", address("LS1 1UR"))
    assert response.status_code == 303 and location(response) == f"{BASE}/finder"
    response = post_form(client, f"{BASE}/finder", {"finder": "Sam"})
    assert location(response) == f"{BASE}/check"
    response = post_form(client, f"{BASE}/declaration", {"confirm": "yes"})
    assert location(response) == f"{BASE}/confirmation"
    assert "West Yorkshire Police" in client.get(f"{BASE}/confirmation").text


def test_a_shared_postcode_area_asks_which_force(client: TestClient) -> None:
    post_form(client, BASE, {}, action=f"{BASE}/start")
    post_form(client, f"{BASE}/what", {"what": "A rifle bolt"})
    response = post_form(client, f"{BASE}/where_found", address("SY10 7AA"))
    assert location(response) == f"{BASE}/force/choose"
    choose = client.get(f"{BASE}/force/choose").text
    forces = re.findall(r'name="force" type="radio" value="([^"]+)"', choose)
    assert len(forces) >= 2, "the forces sharing the area are offered"
    response = post_form(client, f"{BASE}/force/choose", {"force": forces[0]})
    assert location(response) == f"{BASE}/finder"
