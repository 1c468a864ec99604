"""The GOV.UK Pay simulator for tests: one real process per test session, on a free port.

`make_settings` (tests/conftest.py) points every app under test at it, so in-process clients
and live servers alike talk to it over HTTP, as they would to GOV.UK Pay. The `pay_simulator`
fixture hands tests its address, key and test controls.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
TEST_KEY = "api_test_bluelamp_tests"
SUCCESS_CARD = "4444333322221111"
START_SECONDS = 20.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PaySimulator:
    """A running simulator process: its address, the key it accepts, and its test controls."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.key = TEST_KEY
        command = [sys.executable, "-m", "simulators.govuk_pay", "--port", str(self.port)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("SIMULATOR_PAY_KEY", None)  # any api_test_ key: tests may use a key of their own
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        self._control = httpx.Client(base_url=self.url, timeout=10)
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the GOV.UK Pay simulator exited ({self.process.returncode})")
            try:
                if self._control.get("/healthcheck").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the GOV.UK Pay simulator did not start")
            time.sleep(0.05)

    def _post(self, path: str, body: dict[str, object] | None = None) -> httpx.Response:
        response = self._control.post(path, json=body or {})
        response.raise_for_status()
        return response

    def reset(self) -> None:
        self._post("/__simulator/reset")

    def advance_clock(self, minutes: float) -> None:
        self._post("/__simulator/advance-clock", {"minutes": minutes})

    def fail_next(self, status: int, times: int = 1, path_prefix: str = "/v1/payments") -> None:
        self._post(
            "/__simulator/fail-next", {"status": status, "times": times, "path_prefix": path_prefix}
        )

    def hang_next(self, seconds: float, times: int = 1, path_prefix: str = "/v1/payments") -> None:
        self._post(
            "/__simulator/hang-next",
            {"seconds": seconds, "times": times, "path_prefix": path_prefix},
        )

    def complete(self, payment_id: str, card: str = SUCCESS_CARD) -> str:
        """Pay with a mock card without a browser; the payment's new status."""
        return str(
            self._post(f"/__simulator/complete/{payment_id}", {"card": card}).json()["status"]
        )

    def return_url(self, payment_id: str) -> str:
        """Where GOV.UK Pay sends the person back to (the API's record of the payment)."""
        response = self._control.get(
            f"/v1/payments/{payment_id}", headers={"Authorization": f"Bearer {self.key}"}
        )
        response.raise_for_status()
        return str(response.json()["return_url"])

    def payments(self, reference: str | None = None) -> list[dict[str, str]]:
        """The payments made so far (id, reference, status), optionally for one reference."""
        response = self._control.get("/__simulator/payments")
        response.raise_for_status()
        made: list[dict[str, str]] = response.json()["payments"]
        return [p for p in made if reference is None or p["reference"] == reference]

    def stop(self) -> None:
        self._control.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_running: PaySimulator | None = None


def running_simulator() -> PaySimulator:
    """The session's simulator, started on first use."""
    global _running
    if _running is None or _running.process.poll() is not None:
        _running = PaySimulator()
        atexit.register(_running.stop)
    return _running


def pytest_unconfigure(config: pytest.Config) -> None:
    if _running is not None:
        _running.stop()


@pytest.fixture(scope="session")
def pay_simulator() -> PaySimulator:
    return running_simulator()


def pay_in_browser(page: Page, card: str = SUCCESS_CARD) -> None:
    """On the simulator's card page, pay with a mock card; returns once back at the service."""
    page.get_by_label("Card number").fill(card)
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("30")
    page.get_by_label("Name on card").fill("Sam Tester")
    page.get_by_label("Card security code").fill("123")
    card_page = page.url
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: url != card_page)


def declare_and_pay_in_browser(page: Page, base: str, card: str = SUCCESS_CARD) -> None:
    """From the declaration page: confirm, and where the service takes a fee, pay it on the
    card page; returns on the page the service shows next (the confirmation)."""
    page.locator("input[name=confirm]").check()
    page.locator("form[action$='/declaration'] button").click()
    page.wait_for_url(lambda url: "/declaration" not in url)
    if page.url.split("?")[0].endswith(f"{base}/payment"):
        page.get_by_role("button", name="Continue to payment").click()
        page.wait_for_url(lambda url: f"{base}/payment" not in url)
        pay_in_browser(page, card)
