"""Numbers typed anywhere are ASCII digits of a sensible length: a day of 2147483648, an
authenticator code in Arabic-Indic or full-width digits, or an enormous page or case number
gets a clear answer on both databases, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.support.forms import csrf_from
from tests.support.staff import PASSWORD, client_from_own_address, new_staff, sign_in
from webapp.app import create_app
from webapp.settings import Settings

HUGE = "2147483648"


@pytest.fixture
def caseworker(settings: Settings, database_url: str) -> Iterator[TestClient]:
    with client_from_own_address(create_app(settings)) as client:
        assert sign_in(client, new_staff(database_url, "cheshire")).status_code == 303
        yield client


@pytest.mark.parametrize("field", ["day", "month", "year"])
def test_a_huge_date_in_the_staff_search_is_an_error(caseworker: TestClient, field: str) -> None:
    typed = {"from-day": "1", "from-month": "2", "from-year": "2024"} | {f"from-{field}": HUGE}
    response = caseworker.get("/staff/applications", params=typed)
    assert response.status_code == 200
    assert "Sent from must be a real date" in response.text


def test_a_huge_paper_received_date_is_an_error(caseworker: TestClient) -> None:
    page = caseworker.get("/staff/apply/firearm-certificate")
    response = caseworker.post(
        "/staff/apply/firearm-certificate/paper",
        data={
            "received-day": HUGE,
            "received-month": HUGE,
            "received-year": "2026",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 200
    assert "Date received must be a real date" in response.text
    assert response.text.count(f'value="{HUGE}"') == 2  # the day and month, as typed


@pytest.mark.parametrize("page", [HUGE * 3, "-1", "٣", "abc"])
def test_an_odd_page_number_shows_the_first_page(caseworker: TestClient, page: str) -> None:
    response = caseworker.get("/staff/applications", params={"surname": "Smith", "page": page})
    assert response.status_code == 200


def test_an_enormous_case_number_is_not_found(caseworker: TestClient) -> None:
    assert caseworker.get(f"/staff/applications/{HUGE * 3}").status_code == 404


@pytest.mark.parametrize("code", ["١٢٣٤٥٦", "１２３４５６", "¹²³⁴⁵⁶"])
def test_an_authenticator_code_in_other_digits_is_refused_plainly(
    settings: Settings, database_url: str, code: str
) -> None:
    staff = new_staff(database_url)
    with client_from_own_address(create_app(settings)) as client:
        page = client.get("/staff/sign-in")
        client.post(
            "/staff/sign-in",
            data={"email": staff.email, "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        )
        page = client.get("/staff/sign-in/code")
        response = client.post(
            "/staff/sign-in/code", data={"code": code, "csrf_token": csrf_from(page.text)}
        )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text


@pytest.mark.parametrize("box", ["reference", "surname"])
def test_a_nul_in_the_staff_search_is_no_500(caseworker: TestClient, box: str) -> None:
    """PostgreSQL refuses NUL in a query; the search drops control characters first."""
    response = caseworker.get("/staff/applications", params={box: "Smi\x00th"})
    assert response.status_code == 200


def test_a_nul_in_a_sign_in_email_is_no_500(settings: Settings) -> None:
    """Every form loses NUL before its handler sees it (PostgreSQL would refuse it)."""
    with client_from_own_address(create_app(settings)) as client:
        page = client.get("/staff/sign-in")
        response = client.post(
            "/staff/sign-in",
            data={
                "email": "some\x00one@cheshire.police.example",
                "password": "not the password",
                "csrf_token": csrf_from(page.text),
            },
        )
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.text
