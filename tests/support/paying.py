"""Paying in tests that drive the journey over HTTP: declare, and when the service's flow takes a
payment next, pay it through the GOV.UK Pay simulator and come back as GOV.UK Pay sends people
back (the return address it was given)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
from starlette.testclient import TestClient

from tests.support.forms import post_form
from tests.support.pay import SUCCESS_CARD, running_simulator


def pay_api(payment_id: str) -> dict[str, Any]:
    """A payment as GOV.UK Pay's API tells it (the simulator's own record)."""
    simulator = running_simulator()
    response = httpx.get(
        f"{simulator.url}/v1/payments/{payment_id}",
        headers={"Authorization": f"Bearer {simulator.key}"},
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def pay_id_of(card_page: str) -> str:
    return urlsplit(card_page).path.rstrip("/").split("/")[-1]


def return_path_of(payment_id: str) -> str:
    return urlsplit(str(pay_api(payment_id)["return_url"])).path


def pay(client: TestClient, base: str, card: str = SUCCESS_CARD) -> Any:
    """'Continue to payment', pay with ``card`` and come back: the return page's answer."""
    started = post_form(client, f"{base}/payment", {})
    assert started.status_code == 303, started.text[:2000]
    payment_id = pay_id_of(started.headers["location"])
    running_simulator().complete(payment_id, card)
    return client.get(return_path_of(payment_id), follow_redirects=False)


def declare_and_pay(client: TestClient, base: str, card: str = SUCCESS_CARD) -> Any:
    """Confirm the declaration; pay if the flow asks for it. The last response (a 303 to the
    confirmation, or to the staff's sent page, once the case is sent)."""
    response = post_form(client, f"{base}/declaration", {"confirm": "yes"})
    if response.status_code == 303 and response.headers["location"] == f"{base}/payment":
        return pay(client, base, card)
    return response
