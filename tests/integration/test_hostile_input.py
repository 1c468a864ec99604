"""Every field of every page posted with hostile values: a clear error or a safely stored value,
never a 500, and nothing echoed unescaped."""

from __future__ import annotations

import copy
import re

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from tests.integration.test_firearms_journey import BASE, start_application
from tests.support.firearms import COMPLETE
from tests.support.forms import csrf_from
from webapp.services.firearm_certificate import SERVICE
from webapp.store.db import create_sync_engine
from webapp.store.models import Application

SCRIPT = "<script>alert('x')</script>"
HOSTILE = [
    "",
    "   \t  ",
    "x" * 10_000,
    "😀🔫 naïve ☃ \u202e\u0000\u0007\u001b[31m",
    SCRIPT + '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE application; --",
    "31",
    "-1e308",
]


def _give_complete_answers(engine: Engine, reference: str) -> None:
    """Put a complete set of answers on the draft, so that every page may be visited."""
    with Session(engine) as session, session.begin():
        session.execute(
            update(Application).where(Application.reference == reference).values(answers=copy.deepcopy(COMPLETE))
        )


def _page_urls() -> list[str]:
    urls = []
    for page_id, ref in SERVICE.pages.items():
        is_item = ref.group is not None and not ref.is_add_another
        urls.append(f"{BASE}/{page_id}/0" if is_item else f"{BASE}/{page_id}")
    return urls


def _field_names(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', html)) - {"csrf_token"}


@pytest.mark.parametrize("value", HOSTILE, ids=["empty", "blank", "long", "unicode", "html", "sql", "day", "number"])
def test_every_field_survives_hostile_input(client: TestClient, database_url: str, value: str) -> None:
    start_application(client)
    reference = re.search(r"Your reference is ([A-Z2-9-]{9})", client.get(f"{BASE}/tasks").text)
    assert reference
    engine = create_sync_engine(database_url)
    _give_complete_answers(engine, reference.group(1))
    for url in _page_urls():
        page = client.get(url)
        assert page.status_code == 200, url
        form = {name: value for name in _field_names(page.text)}
        form["unexpected_extra_field"] = value
        form["csrf_token"] = csrf_from(page.text)
        response = client.post(url, data=form, follow_redirects=False)
        assert response.status_code in (200, 303), (url, response.status_code)
        assert SCRIPT not in response.text, url
        if response.status_code == 200:
            assert "<title>Error: " in response.text, url
        else:
            _give_complete_answers(engine, reference.group(1))  # keep every page reachable
    engine.dispose()


def test_wrong_types_in_a_multipart_post(client: TestClient) -> None:
    start_application(client)
    page = client.get(f"{BASE}/certificates")
    files = {"certificates": ("a.txt", b"\x00\xff" * 100, "application/octet-stream")}
    response = client.post(
        f"{BASE}/certificates", data={"csrf_token": csrf_from(page.text)}, files=files, follow_redirects=False
    )
    assert response.status_code == 200
    assert "<title>Error: " in response.text
