"""On both databases: the payments ledger shows a force only its own payments, filters by date,
state and service (bad dates answered with an error summary, never a 500), totals the filtered
rows, exports them as CSV that a spreadsheet cannot run, audits every view and export, and gives
national administrators every force's totals."""

from __future__ import annotations

import csv
import io
import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.databases import run_sql
from tests.support.payments import PaidCase, paid_case
from tests.support.staff import client_from_own_address, error_texts, new_staff, sign_in
from webapp.app import create_app
from webapp.web.staff.payments import pounds, safe_cell

LEAD = "derbyshire"
# Each test its own day, far in the future, so rows other tests write never match its filters.
_days = itertools.count(1)
_FIRST_DAY = datetime(2040, 1, 1, 12, 0, tzinfo=UTC) + timedelta(days=uuid.uuid4().int % 5000)


def _a_day() -> tuple[datetime, str]:
    # A day of its own for each call (the run's random start keeps reruns on one database apart).
    moment = _FIRST_DAY + timedelta(days=next(_days))
    query = (
        f"from-day={moment.day}&from-month={moment.month}&from-year={moment.year}"
        f"&to-day={moment.day}&to-month={moment.month}&to-year={moment.year}"
    )
    return moment, query


@pytest.fixture
def app(database_url: str) -> Any:
    return create_app(make_settings(database_url, lead_force=LEAD))


@pytest.fixture
def signed_in(app: Any, database_url: str) -> Iterator[Any]:
    clients: list[TestClient] = []

    def make(force_id: str = "cheshire", role: str = "caseworker") -> TestClient:
        client = client_from_own_address(app)
        client.__enter__()
        clients.append(client)
        assert sign_in(client, new_staff(database_url, force_id, role=role)).status_code == 303
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _case(database_url: str, force_id: str, when: datetime, **fields: Any) -> PaidCase:
    return paid_case(database_url, None, force_id, created_at=when, **fields)


def test_staff_see_only_their_own_forces_payments(signed_in: Any, database_url: str) -> None:
    when, query = _a_day()
    ours = _case(database_url, "cheshire", when, amount=9800)
    theirs = _case(database_url, "derbyshire", when, amount=5000)
    cheshire = signed_in("cheshire").get(f"/staff/payments?{query}")
    assert cheshire.status_code == 200
    assert ours.reference in cheshire.text and theirs.reference not in cheshire.text
    assert f'href="/staff/applications/{ours.application_id}"' in cheshire.text
    derbyshire = signed_in("derbyshire").get(f"/staff/payments?{query}").text
    assert theirs.reference in derbyshire and ours.reference not in derbyshire
    # The navigation leads there, and another force's case behind a ledger link is still a 404.
    assert 'href="/staff/payments"' in derbyshire
    other = signed_in("derbyshire").get(f"/staff/applications/{ours.application_id}")
    assert other.status_code == 404


def test_filters_and_totals(signed_in: Any, database_url: str) -> None:
    when, query = _a_day()
    paid = _case(database_url, "cheshire", when, amount=9800)
    also_paid = _case(database_url, "cheshire", when, amount=4550, channel="telephone")
    failed = _case(database_url, "cheshire", when, amount=2000, status="failed")
    other_service = _case(database_url, "cheshire", when, amount=1000, service="another-service")
    run_sql(
        database_url,
        "INSERT INTO refund (payment_id, amount_pence, reason, status, idempotency_key, "
        "created_at, updated_at) VALUES (:p, 550, 'part', 'success', :k, :t, :t)",
        p=also_paid.payment_id,
        k=uuid.uuid4().hex,
        t=when,
    )
    client = signed_in("cheshire")
    page = client.get(f"/staff/payments?{query}").text
    for case in (paid, also_paid, failed, other_service):
        assert case.reference in page
    # Paid counts successful payments only; refunded what went back; net the difference.
    assert "£153.50" in page and "£5.50" in page and "£148" in page
    assert "Telephone" in page
    succeeded = client.get(f"/staff/payments?{query}&status=success&service=firearm-certificate")
    assert paid.reference in succeeded.text and also_paid.reference in succeeded.text
    assert failed.reference not in succeeded.text and other_service.reference not in succeeded.text
    only_failed = client.get(f"/staff/payments?{query}&status=failed").text
    assert failed.reference in only_failed and paid.reference not in only_failed
    # A state or service that does not exist is ignored, not an error.
    assert paid.reference in client.get(f"/staff/payments?{query}&status=nonsense").text
    # The day before shows none of them.
    earlier = query.replace(f"-day={when.day}&", f"-day={when.day - 1 if when.day > 1 else 2}&")
    assert paid.reference not in client.get(f"/staff/payments?{earlier}").text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from-day=31&from-month=2&from-year=2026", "Date from must be a real date"),
        ("from-day=2147483648&from-month=1&from-year=2026", "Date from must be a real date"),
        ("to-day=1&to-month=99999999999999999999&to-year=2026", "Date to must be a real date"),
        ("to-day=1&to-month=1&to-year=20266", "Date to must be a real date"),
        ("to-day=x&to-month=1&to-year=2026", "Date to must be a real date"),
        (
            "from-day=2&from-month=1&from-year=2026&to-day=1&to-month=1&to-year=2026",
            "Date to must be the same as or after date from",
        ),
    ],
)
def test_bad_dates_get_an_error_summary(
    signed_in: Any, query: str, message: str, database_url: str
) -> None:
    client = signed_in("cheshire")
    for url in (f"/staff/payments?{query}", f"/staff/payments.csv?{query}"):
        page = client.get(url)
        assert page.status_code == 200, page.text[:500]
        assert "There is a problem" in page.text
        assert any(text.startswith(message) for text in error_texts(page.text))
        # What was typed is kept in the form.
        typed = query.split("&")[0].split("=")[1]
        assert f'value="{typed}"' in page.text


def test_csv_export_is_audited_and_guarded(signed_in: Any, database_url: str) -> None:
    when, query = _a_day()
    plain = _case(database_url, "cheshire", when, amount=12345)
    formula = _case(database_url, "cheshire", when, amount=100)
    run_sql(
        database_url,
        "UPDATE payment SET reference = :r WHERE id = :i",
        r='=HYPERLINK("http://evil.example","x")',
        i=formula.payment_id,
    )
    run_sql(
        database_url,
        "UPDATE payment SET reference = :r WHERE id = :i",
        r="@SUM(A1)",
        i=plain.payment_id,
    )
    client = signed_in("cheshire", role="admin")
    answer = client.get(f"/staff/payments.csv?{query}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:6] == [
        "Date",
        "Application reference",
        "Service",
        "Payment reference",
        "Amount (£)",
        "Amount (pence)",
    ]
    by_reference = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_reference) == {plain.reference, formula.reference}
    row = by_reference[plain.reference]
    assert row["Amount (£)"] == "123.45" and row["Amount (pence)"] == "12345"
    assert row["Net (£)"] == "123.45" and row["State"] == "Success" and row["Channel"] == "Online"
    assert row["Payment reference"] == "'@SUM(A1)"
    assert by_reference[formula.reference]["Payment reference"].startswith("'=HYPERLINK")
    assert by_reference[formula.reference]["Amount (£)"] == "1.00"
    exported = run_sql(
        database_url,
        "SELECT detail FROM audit_event WHERE action = 'exported payments' AND detail LIKE :d",
        d=f"2 rows;%{when.date().isoformat()}%",
    )
    assert len(exported) == 1
    # Viewing the ledger is audited too.
    client.get(f"/staff/payments?{query}")
    assert run_sql(
        database_url,
        "SELECT count(*) FROM audit_event WHERE action = 'viewed payments' AND detail LIKE :d",
        d=f"%{when.date().isoformat()}%",
    ) == [(1,)]


def test_cells_and_pounds() -> None:
    assert [safe_cell(value) for value in ("=1+1", "+1", "-1", "@x", "\tx", "ok", 5, None)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "ok",
        "5",
        "",
    ]
    assert [pounds(pence) for pence in (0, 5, 1250, 123456, -50)] == [
        "0.00",
        "0.05",
        "12.50",
        "1234.56",
        "-0.50",
    ]


def test_national_administrators_see_every_forces_totals(signed_in: Any, database_url: str) -> None:
    when, query = _a_day()
    _case(database_url, "cheshire", when, amount=1000)
    _case(database_url, "cheshire", when, amount=2000)
    _case(database_url, "derbyshire", when, amount=500)
    _case(database_url, "derbyshire", when, amount=700, status="cancelled")
    national = signed_in(LEAD, role="national_admin")
    page = national.get(f"/staff/payments/forces?{query}")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "Cheshire" in text and "Derbyshire" in text
    assert "£30" in text and "£5" in text and "£35" in text  # each force, then all forces
    assert 'href="/staff/payments/forces' in national.get("/staff/payments").text
    # A force administrator, even of the lead force's neighbour, is refused; so is a caseworker.
    assert signed_in("cheshire", role="admin").get("/staff/payments/forces").status_code == 403
    assert signed_in(LEAD, role="caseworker").get("/staff/payments/forces").status_code == 403
    bad = national.get("/staff/payments/forces?from-day=99&from-month=1&from-year=2026")
    assert bad.status_code == 200 and "Date from must be a real date" in bad.text
