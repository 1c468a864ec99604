"""kill -9 of a real server process in the middle of a load of answers, on SQLite and
PostgreSQL: every answer the server acknowledged (its 303 after the save) is in the database
after the restart. An answer is acknowledged only after its transaction committed, so a killed
process may lose requests in flight, never one it said was saved."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability.server import ServerProcess, csrf
from tests.support.databases import run_sql
from tests.support.service_walk import reference_of
from webapp.store.migrate import upgrade
from webapp.store.seed import seed_demo
from webapp.uk_time import uk_today

BASE = "/apply/firearm-certificate"
CLIENTS = 6
SAVES_PER_DRAFT = 15
LOAD_SECONDS_BEFORE_KILL = 4.0


class Applicant(threading.Thread):
    """Starts drafts and saves a question page (a certificate's number) again and again,
    recording each acknowledged save as (reference, number); stops at the first failure (the
    server has gone)."""

    def __init__(self, url: str, number: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.url, self.number, self.stop_event = url, number, stop
        self.acknowledged: dict[str, str] = {}  # reference -> the last number acknowledged
        self.saves = 0
        self.stopped_by: str = ""

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=10) as client:
            try:
                while not self.stop_event.is_set():
                    self._one_draft(client)
            except (httpx.HTTPError, AssertionError) as exc:
                self.stopped_by = repr(exc)[:200]  # the server was killed under us

    def _post(self, client: httpx.Client, url: str, page: str, data: dict[str, str]) -> str:
        response = client.post(url, data={**data, "csrf_token": csrf(page)})
        assert response.status_code == 303, (url, response.status_code)
        return response.headers["location"]

    def _one_draft(self, client: httpx.Client) -> None:
        start = client.get(BASE).text
        self._post(client, f"{BASE}/start", start, {})
        self._post(
            client, f"{BASE}/force", client.get(f"{BASE}/force").text, {"postcode": "LS1 1UR"}
        )
        reference = reference_of(client.get(f"{BASE}/tasks").text)
        assert reference
        certificates = client.get(f"{BASE}/certificates").text
        self._post(client, f"{BASE}/certificates", certificates, {"certificates": "fac"})
        self._post(
            client, f"{BASE}/fac_kind", client.get(f"{BASE}/fac_kind").text, {"fac_kind": "renewal"}
        )
        expiry = uk_today() + timedelta(days=120)
        page = client.get(f"{BASE}/fac_current").text
        while not self.stop_event.is_set():
            number = f"FA/{self.number}/{self.saves}"
            self._post(
                client,
                f"{BASE}/fac_current",
                page,
                {
                    "fac_number": number,
                    "fac_expiry-day": str(expiry.day),
                    "fac_expiry-month": str(expiry.month),
                    "fac_expiry-year": str(expiry.year),
                },
            )
            self.acknowledged[reference] = number  # after the 303, and only then
            self.saves += 1
            if self.saves % SAVES_PER_DRAFT == 0:
                return  # start again (the session's draft, or a new one)


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLite: a fresh file for this test; PostgreSQL: the run's database."""
    if request.param == "postgresql":
        yield str(request.getfixturevalue("postgres_url"))
        return
    url = f"sqlite:///{tmp_path / 'killed.sqlite3'}"
    upgrade(url)
    seed_demo(url)
    yield url


def _sequence(number: str) -> int:
    """Which of a client's saves a number was: 'FA/4/55' -> 55 (the same client, same draft)."""
    return int(number.rsplit("/", 1)[1])


def _stored_numbers(database_url: str, references: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for reference in references:
        rows = run_sql(
            database_url, "SELECT answers FROM application WHERE reference = :r", r=reference
        )
        if rows:
            answers = rows[0][0] if isinstance(rows[0][0], dict) else json.loads(rows[0][0])
            found[reference] = answers.get("fac_number")
    return found


def test_no_acknowledged_answer_is_lost_to_kill_9(
    own_database: str, tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    server = ServerProcess(own_database, tmp_path / "serve.log")
    server.start()
    try:
        stop = threading.Event()
        applicants = [Applicant(server.url, number, stop) for number in range(CLIENTS)]
        for applicant in applicants:
            applicant.start()
        time.sleep(LOAD_SECONDS_BEFORE_KILL)
        in_flight = sum(applicant.is_alive() for applicant in applicants)
        server.kill()  # mid-load: the applicants are still posting
        stop.set()
        for applicant in applicants:
            applicant.join(timeout=15)
        server.start()  # the same database, as after a crash
        assert httpx.get(f"{server.url}/healthz").status_code == 200
    finally:
        server.stop()

    acknowledged = {ref: name for a in applicants for ref, name in a.acknowledged.items()}
    saves = sum(applicant.saves for applicant in applicants)
    stored = _stored_numbers(own_database, list(acknowledged))
    # The stored number is the last acknowledged or a later one (saved, its 303 lost in the kill).
    missing = {
        ref: number
        for ref, number in acknowledged.items()
        if not (isinstance(stored.get(ref), str) and _sequence(stored[ref]) >= _sequence(number))
    }
    figures = (
        f"{saves} acknowledged saves over {len(acknowledged)} drafts by {CLIENTS} clients "
        f"({in_flight} still posting at the kill), {len(missing)} missing after restart"
    )
    print(f"\nkill -9: {figures}")
    record_property("kill_9", figures)
    assert in_flight == CLIENTS, [a.stopped_by for a in applicants]
    assert saves >= CLIENTS * 3, f"too little load to prove anything: {figures}"
    assert not missing, f"acknowledged answers lost: {missing} (stored: {stored})"
