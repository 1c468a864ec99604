"""Many people walking the journey at once: each virtual user starts a firearms application,
gives the postcode and answers the first pages of the form, over and over, for a fixed time,
against one server process. Figures, not asserts: latency p50/p99 over every request,
requests a second, errors, and journeys completed.

The users are asyncio tasks in this one process, so on a small machine the load generator
competes with the server for the same cores: the figures are a floor, measured the same way on
every run.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

import httpx

from bench.sessions import SERVICE_PATH
from tests.support.firearms import form_for
from webapp.engine import Step

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FIRST_PAGE = "certificates"
# Question pages answered per journey, each the one the service sends the person to next.
PAGES_PER_JOURNEY = 6


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    journeys: int = 0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


async def _request(
    client: httpx.AsyncClient, tally: Tally, method: str, url: str, **kwargs: object
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError:
        tally.errors += 1
        return None
    tally.latencies_ms.append((time.perf_counter() - started) * 1000)
    if response.status_code >= 400:
        tally.errors += 1
        return None
    return response


def _token(response: httpx.Response | None) -> str | None:
    match = _CSRF.search(response.text) if response is not None else None
    return match.group(1) if match else None


async def _answer(
    client: httpx.AsyncClient, tally: Tally, url: str, data: dict[str, str]
) -> str | None:
    """Show a page, post its form; where the service sends the person next (None: a failure)."""
    shown = await _request(client, tally, "GET", url)
    token = _token(shown)
    if token is None:
        return None
    posted = await _request(client, tally, "POST", url, data={**data, "csrf_token": token})
    return posted.headers.get("location") if posted is not None else None


async def _journey(client: httpx.AsyncClient, tally: Tally) -> bool:
    client.cookies.clear()
    shown = await _request(client, tally, "GET", SERVICE_PATH)
    token = _token(shown)
    if (
        token is None
        or await _request(
            client, tally, "POST", f"{SERVICE_PATH}/start", data={"csrf_token": token}
        )
        is None
    ):
        return False
    if await _answer(client, tally, f"{SERVICE_PATH}/force", {"postcode": "LS1 1UR"}) is None:
        return False
    page_id = FIRST_PAGE
    for _ in range(PAGES_PER_JOURNEY):
        following = await _answer(
            client, tally, f"{SERVICE_PATH}/{page_id}", dict(form_for(Step(page_id)))
        )
        if following is None:
            return False
        page_id = following.split("?")[0].rsplit("/", 1)[-1]
        if page_id == "tasks":  # a section done: carry on with the next one's first page
            return True
    return True


async def _user(base_url: str, tally: Tally, deadline: float) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        while time.monotonic() < deadline:
            if await _journey(client, tally):
                tally.journeys += 1


async def _walk(base_url: str, users: int, seconds: float) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(_user(base_url, tally, deadline) for _ in range(users)))
    return tally


def walk(base_url: str, users: int = 200, seconds: float = 60.0) -> dict[str, float]:
    """Run the walk and give its figures."""
    started = time.monotonic()
    tally = asyncio.run(_walk(base_url, users, seconds))
    elapsed = time.monotonic() - started
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(tally.latencies_ms) + tally.errors,
        "requests per second": round(len(tally.latencies_ms) / elapsed, 1),
        "p50 ms": round(tally.percentile(0.50), 1),
        "p99 ms": round(tally.percentile(0.99), 1),
        "errors": tally.errors,
        "journeys completed": tally.journeys,
    }
