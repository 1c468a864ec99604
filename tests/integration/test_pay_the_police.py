"""Pay the police, over HTTP on both databases: the fixed penalty exit, the force chosen from a
list, each force's own prices shown with VAT, the fee worked out from the force's price list
(whatever is posted), and a force administrator keeping that list in the back office.

Tests that change a price list each use a force no other test uses, so the seeded lists stay as
they are for the rest of the suite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.databases import run_sql
from tests.support.forms import csrf_from, post_form
from tests.support.resume import in_thread
from tests.support.service_walk import Visit, pay_with_client, reference_of
from tests.support.staff import client_from_own_address, new_staff, sign_in
from webapp.app import create_app
from webapp.engine.fields import run_time_facts
from webapp.engine.prices import PRICES, Price
from webapp.services import SERVICES
from webapp.services.pay_the_police import item_fee

SERVICE = SERVICES["pay-the-police"]
BASE = f"/apply/{SERVICE.slug}"
PRICES_URL = f"/staff/admin/services/{SERVICE.slug}/prices"


def location(response: Any) -> str:
    return urlsplit(response.headers["location"]).path


def start(client: TestClient, fixed_penalty: str = "no") -> str:
    response = post_form(client, BASE, {}, action=f"{BASE}/start")
    assert location(response) == f"{BASE}/fixed_penalty"
    response = post_form(client, f"{BASE}/fixed_penalty", {"fixed_penalty": fixed_penalty})
    assert response.status_code == 303
    return location(response)


def choose_force(client: TestClient, force_id: str) -> None:
    assert start(client) == f"{BASE}/force"
    response = post_form(client, f"{BASE}/force", {"force": force_id})
    assert response.status_code == 303 and location(response) == f"{BASE}/item", response.text[:500]


def answer_the_rest(client: TestClient) -> None:
    for page, form in (
        ("force_reference", {"force_reference": "CR/2026/0142"}),
        ("name", {"surname": "Price", "forenames": "Ann"}),
        ("email", {"email": "ann.price@example.com"}),
        ("phone", {"phone": ""}),
    ):
        response = post_form(client, f"{BASE}/{page}", form)
        assert response.status_code == 303, (page, response.text[:1000])
    assert location(response) == f"{BASE}/check"


def labels(html: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", "", label).split())
        for label in re.findall(
            r'<label class="govuk-label govuk-radios__label"[^>]*>(.*?)</label>', html, re.S
        )
    ]


def test_a_fixed_penalty_is_sent_to_the_courts(client: TestClient) -> None:
    where = start(client, fixed_penalty="yes")
    assert where == f"{BASE}/cannot-use/fixed-penalty"
    page = client.get(where)
    assert page.status_code == 200
    assert "Fixed penalties are not paid to the police" in page.text
    assert "HM Courts and Tribunals Service" in page.text
    assert "Pay a fixed penalty notice" in page.text


def test_the_force_is_chosen_from_those_offering_the_service(
    client: TestClient, database_url: str
) -> None:
    assert start(client) == f"{BASE}/force"
    page = client.get(f"{BASE}/force")
    assert "Which police force are you paying?" in page.text
    offered = re.findall(r'name="force" type="radio" value="([^"]+)"', page.text)
    # Every force on the platform offering the service with something priced; none of the
    # demo's forces off the platform.
    assert "west-yorkshire" in offered and "lincolnshire" not in offered
    names = labels(page.text)
    assert names == sorted(names)
    # Nothing chosen, or a force not on the list: the page again, with a GOV.UK error.
    for tampered in ({}, {"force": "lincolnshire"}, {"force": "no-such-force"}):
        response = post_form(client, f"{BASE}/force", tampered)
        assert response.status_code == 200
        assert "govuk-error-summary" in response.text
        assert "Select the police force you are paying" in response.text
        assert 'href="#force"' in response.text


def test_the_forces_prices_are_shown_with_vat_and_the_fee_comes_from_them(
    client: TestClient, database_url: str
) -> None:
    choose_force(client, "west-yorkshire")
    page = client.get(f"{BASE}/item")
    shown = labels(page.text)
    assert "Full collision report — £207.96 including VAT (£173.30 plus £34.66 VAT)" in shown
    assert "Basic collision details — £52.56 including VAT (£43.80 plus £8.76 VAT)" in shown
    # A price posted with the form, or an item that is not on the list, counts for nothing.
    response = post_form(client, f"{BASE}/item", {"item": "made-up-item", "price": "1"})
    assert response.status_code == 200 and "Select what you are paying for" in response.text
    response = post_form(
        client,
        f"{BASE}/item",
        {"item": "full-collision-report", "fee_pence": "1", "net_pence": "1"},
    )
    assert response.status_code == 303
    answer_the_rest(client)
    check = client.get(f"{BASE}/check")
    assert check.status_code == 200
    assert "£207.96" in check.text and "Full collision report" in check.text
    assert "CR/2026/0142" in check.text


def test_paying_end_to_end_sends_the_case_with_a_receipt(
    client: TestClient, database_url: str
) -> None:
    choose_force(client, "west-yorkshire")
    assert post_form(client, f"{BASE}/item", {"item": "full-collision-report"}).status_code == 303
    answer_the_rest(client)
    response = post_form(client, f"{BASE}/declaration", {"confirm": "yes"})
    assert location(response) == f"{BASE}/payment"
    payment = client.get(f"{BASE}/payment")
    assert "£207.96" in payment.text
    back = pay_with_client(client)(Visit(f"{BASE}/payment", 200, payment.text))
    assert back.url == f"{BASE}/confirmation"
    assert "You paid £207.96" in back.html
    assert "Full collision report: £173.30 plus £34.66 VAT" in back.html
    reference = reference_of(back.html)
    rows = run_sql(
        database_url,
        "SELECT a.status, a.fee_pence, p.amount_pence, p.status FROM application a "
        "JOIN payment p ON p.application_id = a.id WHERE a.reference = :r",
        r=reference,
    )
    assert rows == [("submitted", 20796, 20796, "success")]
    emails = run_sql(
        database_url,
        "SELECT COUNT(*) FROM outbox o JOIN application a ON a.id = o.application_id "
        "WHERE a.reference = :r AND o.template = 'application_sent' AND o.to_address = :to",
        r=reference,
        to="ann.price@example.com",
    )
    assert emails[0][0] == 1
    body = render_confirmation(database_url, reference)
    assert "You paid £207.96 by card." in body
    assert "Paid for: Full collision report: £173.30 plus £34.66 VAT" in body


def render_confirmation(database_url: str, reference: str | None) -> str:
    """The confirmation email as it would be delivered (rendered from the outbox row)."""
    import asyncio

    from webapp import notify
    from webapp.store import outbox
    from webapp.store.db import create_app_engine, session_factory

    async def render() -> str:
        engine = create_app_engine(database_url)
        try:
            async with session_factory(engine)() as session:
                [message] = [
                    m
                    for m in await session.scalars(
                        select(outbox.OutboxMessage).where(
                            outbox.OutboxMessage.template == "application_sent"
                        )
                    )
                    if m.application_id == application_of(database_url, reference)
                ]
                email = await notify._confirmation(session, message, make_settings(database_url))
                assert email is not None
                return email.body
        finally:
            await engine.dispose()

    return in_thread(asyncio.run, render())


def application_of(database_url: str, reference: str | None) -> int:
    rows = run_sql(database_url, "SELECT id FROM application WHERE reference = :r", r=reference)
    return int(rows[0][0])


def test_the_fee_rule_reads_the_price_list_and_never_makes_a_case_free() -> None:
    from webapp.engine.context import Context

    answers = {"item": "basic-collision-details"}
    prices = (Price("basic-collision-details", "Basic collision details", None, 4380, 876),)
    with run_time_facts({PRICES: prices}):
        fee = item_fee(Context(SERVICE, answers), date_today())
    assert fee.pence == 5256
    assert "£43.80" in fee.description and "£8.76" in fee.description
    with run_time_facts({PRICES: prices}), pytest.raises(LookupError):
        item_fee(Context(SERVICE, {"item": "full-collision-report"}), date_today())
    with pytest.raises(LookupError):  # without the force's prices, no fee at all (never £0)
        item_fee(Context(SERVICE, answers), date_today())


def date_today() -> Any:
    from webapp.uk_time import uk_today

    return uk_today()


# --- the back office ----------------------------------------------------------------------------


@pytest.fixture
def app(database_url: str) -> Any:
    return create_app(make_settings(database_url))


@pytest.fixture
def new_client(app: Any) -> Iterator[Any]:
    clients: list[TestClient] = []

    def make() -> TestClient:
        made = client_from_own_address(app)
        made.__enter__()
        clients.append(made)
        return made

    yield make
    for made in clients:
        made.__exit__(None, None, None)


def signed_in(new_client: Any, database_url: str, force_id: str, role: str) -> TestClient:
    staff_client = new_client()
    response = sign_in(staff_client, new_staff(database_url, force_id=force_id, role=role))
    assert response.status_code == 303 and response.headers["location"] == "/staff"
    return staff_client


def item_id(database_url: str, force_id: str, code: str) -> int:
    rows = run_sql(
        database_url,
        "SELECT id FROM price_item WHERE force_id = :f AND service = :s AND code = :c",
        f=force_id,
        s=SERVICE.slug,
        c=code,
    )
    return int(rows[0][0])


def audited(database_url: str, force_id: str) -> list[tuple[Any, Any, Any]]:
    rows = run_sql(
        database_url,
        "SELECT detail, before, after FROM audit_event "
        "WHERE action = 'changed price list' AND force_id = :f ORDER BY id",
        f=force_id,
    )
    return [
        tuple(
            json.loads(value) if isinstance(value, str) and value[:1] == "{" else value
            for value in row
        )
        for row in rows
    ]


def test_a_force_admin_adds_changes_and_switches_off_items(
    new_client: Any, database_url: str
) -> None:
    force = "warwickshire"
    admin = signed_in(new_client, database_url, force, "admin")
    services = admin.get("/staff/admin/services").text
    assert f'href="{PRICES_URL}"' in services
    listing = admin.get(PRICES_URL)
    assert listing.status_code == 200 and "Full collision report" in listing.text

    response = post_form(
        admin,
        f"{PRICES_URL}/new",
        {
            "name": "Copy of a CCTV still",
            "name_cy": "Copi o lun CCTV",
            "price": "12.34",
            "vat": "standard",
            "offered": "yes",
        },
    )
    assert response.status_code == 303 and location(response) == PRICES_URL
    listing = admin.get(PRICES_URL).text
    assert "Copy of a CCTV still" in listing and "£12.34" in listing
    assert "£2.47" in listing  # 20% of £12.34 is 246.8p: rounded half up to the penny
    added = item_id(database_url, force, "copy-of-a-cctv-still")

    response = post_form(
        admin,
        f"{PRICES_URL}/{added}",
        {
            "name": "Copy of a CCTV still",
            "name_cy": "",
            "price": "15",
            "vat": "none",
            "offered": "no",
        },
    )
    assert response.status_code == 303
    rows = run_sql(
        database_url,
        "SELECT net_pence, vat_pence, offered, name_cy FROM price_item WHERE id = :i",
        i=added,
    )
    assert rows[0][0] == 1500 and rows[0][1] == 0 and not rows[0][2] and rows[0][3] is None

    log = audited(database_url, force)
    assert len(log) == 2
    detail, before, after = log[0]
    assert "Copy of a CCTV still" in detail and before == {}
    assert after["net_pence"] == 1234 and after["vat_pence"] == 247
    _, before, after = log[1]
    assert before == {
        "name_cy": "Copi o lun CCTV",
        "net_pence": 1234,
        "vat_pence": 247,
        "offered": True,
    }
    assert after == {"name_cy": "", "net_pence": 1500, "vat_pence": 0, "offered": False}
    assert "Changed a price list" in admin.get("/staff/admin/audit").text


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("", "Enter the price before VAT"),
        ("-5", "The price before VAT must be more than £0"),
        ("0", "The price before VAT must be more than £0"),
        ("twelve", "Enter the price before VAT in pounds and pence, like 173.30"),
        ("1.234", "The price before VAT must have no more than 2 numbers after the decimal point"),
        ("99999999", "The price including VAT must be £100,000 or less"),
        ("9" * 5000, "The price including VAT must be £100,000 or less"),
    ],
)
def test_a_bad_price_is_a_govuk_error_with_what_was_typed_kept(
    new_client: Any, database_url: str, price: str, message: str
) -> None:
    admin = signed_in(new_client, database_url, "surrey", "admin")
    response = post_form(
        admin,
        f"{PRICES_URL}/new",
        {"name": "Typed name", "price": price, "vat": "standard", "offered": "yes"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text and message in response.text
    assert 'href="#price"' in response.text
    assert 'value="Typed name"' in response.text
    assert audited(database_url, "surrey") == []


def test_a_missing_name_and_vat_rate_are_errors(new_client: Any, database_url: str) -> None:
    admin = signed_in(new_client, database_url, "surrey", "admin")
    response = post_form(admin, f"{PRICES_URL}/new", {"name": "", "price": "5"})
    assert response.status_code == 200
    for message in ("Enter the name of the item", "Select whether VAT is charged on this item"):
        assert message in response.text


def test_another_forces_admin_and_a_caseworker_cannot_change_a_list(
    new_client: Any, database_url: str
) -> None:
    own = item_id(database_url, "humberside", "full-collision-report")
    elsewhere = signed_in(new_client, database_url, "staffordshire", "admin")
    assert elsewhere.get(f"{PRICES_URL}/{own}").status_code == 404
    csrf = csrf_from(elsewhere.get(f"{PRICES_URL}/new").text)
    response = elsewhere.post(
        f"{PRICES_URL}/{own}",
        data={"name": "Free", "price": "0.01", "vat": "none", "offered": "yes", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 404
    caseworker = signed_in(new_client, database_url, "humberside", "caseworker")
    assert caseworker.get(PRICES_URL).status_code == 403
    csrf = csrf_from(caseworker.get("/staff").text)
    response = caseworker.post(
        f"{PRICES_URL}/new",
        data={"name": "Free", "price": "0.01", "vat": "none", "offered": "yes", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 403
    rows = run_sql(database_url, "SELECT net_pence FROM price_item WHERE id = :i", i=own)
    assert rows[0][0] == 17330
    # A service that charges no price list has no list to keep.
    admin = signed_in(new_client, database_url, "humberside", "admin")
    assert admin.get("/staff/admin/services/report-lost-or-stolen/prices").status_code == 404


def test_a_switched_off_item_is_not_offered(new_client: Any, app: Any, database_url: str) -> None:
    force = "staffordshire"
    switched = item_id(database_url, force, "basic-collision-details")
    admin = signed_in(new_client, database_url, force, "admin")
    response = post_form(
        admin,
        f"{PRICES_URL}/{switched}",
        {"name": "Basic collision details", "price": "43.80", "vat": "standard", "offered": "no"},
    )
    assert response.status_code == 303
    public = new_client()
    choose_force(public, force)
    page = public.get(f"{BASE}/item")
    assert "Full collision report" in page.text
    assert "Basic collision details" not in page.text
    response = post_form(public, f"{BASE}/item", {"item": "basic-collision-details"})
    assert response.status_code == 200 and "Select what you are paying for" in response.text
