"""Sessions holding a draft, made over HTTP the way a browser makes them (start, force
postcode), then given a complete set of answers: what the load generator replays."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from bench.databases import set_answers
from tests.support.firearms import COMPLETE, form_for
from webapp.engine import Step

SERVICE_PATH = "/apply/firearm-certificate"
COOKIE = "session"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class BenchSession:
    cookie: str  # the Cookie header value
    csrf: str
    application_id: int


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    if match is None:
        raise RuntimeError("page has no CSRF field")
    return match.group(1)


def _draft_id(cookie_value: str) -> int:
    # Starlette's session cookie: base64(JSON) '.' timestamp '.' signature. Only read here.
    payload = cookie_value.split(".", 1)[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return int(next(value for key, value in data.items() if key.startswith("draft:")))


def new_session(base_url: str, database_url: str, *, complete: bool = True) -> BenchSession:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        token = csrf_from(client.get(SERVICE_PATH).text)
        client.post(f"{SERVICE_PATH}/start", data={"csrf_token": token})
        token = csrf_from(client.get(f"{SERVICE_PATH}/force").text)
        response = client.post(
            f"{SERVICE_PATH}/force", data={"csrf_token": token, "postcode": "LS1 1UR"}
        )
        if response.status_code != 303:
            raise RuntimeError(f"force postcode not accepted: {response.status_code}")
        cookie_name = next(iter(client.cookies))
        value = client.cookies[cookie_name]
        application_id = _draft_id(value)
        if complete:
            set_answers(database_url, application_id, COMPLETE)
        # Read the page once: it must be reachable, and this is the session's CSRF token.
        page = client.get(f"{SERVICE_PATH}/date_of_birth")
        if page.status_code != 200:
            raise RuntimeError(f"question page not reachable: {page.status_code}")
        cookie = f"{cookie_name}={client.cookies[cookie_name]}"
        return BenchSession(cookie, csrf_from(page.text), application_id)


def answer_body(session: BenchSession, page_id: str) -> str:
    """The urlencoded form that re-saves the complete application's answer on ``page_id``."""
    form = form_for(Step(page_id))
    pairs: list[tuple[str, str]] = []
    for key, value in form.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, str(item)))
    pairs.append(("csrf_token", session.csrf))
    return urlencode(pairs)
