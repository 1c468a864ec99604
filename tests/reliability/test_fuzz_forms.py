"""Every form of every service, public and staff, posted with the hostile set (tests/reliability/
fuzz.py): on SQLite at least 20,000 requests, on PostgreSQL a sample of them. Never a 5xx, no
script echoed raw, a wrong or missing form token always refused, and on every page that comes
back with an error what was typed is still in its fields.

Each service is applied for up to check answers first (tests/support/service_walk.py), so its
pages are open; after each accepted post the draft's answers are put back (one hostile answer
must not close the pages after it). Staff forms are posted as a caseworker and as an
administrator of one force; the sign-in forms by someone not signed in."""

from __future__ import annotations

import re
import time
from itertools import count
from urllib.parse import quote_plus

import pytest
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.reliability.fuzz import HOSTILE, Fuzzer, Tally, cases, fields_of
from tests.support.hostile import Draft
from tests.support.service_walk import every_page_url, walk_service
from tests.support.staff import (
    fill_path,
    new_staff,
    sent_application,
    sign_in,
    staff_routes,
    unique_ip,
)
from webapp.app import create_app
from webapp.services import SERVICES

MIN_REQUESTS = 20_000
SAMPLE_STRIDE = 10  # PostgreSQL: every tenth case
# Pages of the journey that are forms but not question pages.
JOURNEY_FORMS = ("force", "force/choose", "save-and-return", "declaration")
PUBLIC_FORMS = ("/feedback", "/resume", "/resume/reference", "/resume/new-link", "/copy")
STAFF_FILTER_PAGES = ("/staff", "/staff/applications", "/staff/payments", "/staff/admin/audit")
URL_VALUE_LIMIT = 300
# Not posted while signed in: they end the session the fuzz is using.
SIGN_OUT = "/staff/sign-out"


class Sampler:
    """Which cases to send: every one, or one in ``stride``."""

    def __init__(self, stride: int) -> None:
        self.stride, self.counter = stride, count()

    def take(self) -> bool:
        return next(self.counter) % self.stride == 0


def _fuzz_form(fuzzer: Fuzzer, url: str, sampler: Sampler, draft: Draft | None) -> None:
    status, _, html = fuzzer.get(url)
    fields = fields_of(html) if status == 200 else {}
    for case in cases(fields):
        if not sampler.take():
            continue
        posted, _, _ = fuzzer.post(url, case, fields)
        if posted == 303 and draft is not None:
            draft.restore()


def _fuzz_public(client: TestClient, database_url: str, tally: Tally, sampler: Sampler) -> int:
    """Every page of every service, and the forms beside the journeys; the forms posted."""
    fuzzer = Fuzzer(client, tally)
    forms = 0
    for service in SERVICES.values():
        walk = walk_service(client, service, until="check")
        draft = Draft(database_url, service)
        base = f"/apply/{service.slug}"
        urls = [
            *walk.question_urls,
            *every_page_url(service),
            *(f"{base}/{page}" for page in JOURNEY_FORMS),
        ]
        for url in dict.fromkeys(urls):
            _fuzz_form(fuzzer, url, sampler, draft)
            forms += 1
        draft.close()
    # The forms outside a draft, and starting one, by someone with no draft.
    with TestClient(client.app, raise_server_exceptions=False, client=(unique_ip(), 1)) as fresh:
        other = Fuzzer(fresh, tally)
        other.get("/feedback")  # a session, and its form token
        for url in [*PUBLIC_FORMS, *(f"/apply/{slug}/start" for slug in SERVICES)]:
            _fuzz_form(other, url, sampler, None)
            forms += 1
    return forms


def _staff_post_paths(client: TestClient, application_id: int, staff_id: int) -> list[str]:
    return [
        fill_path(path, application_id, staff_id)
        for method, path in staff_routes(client.app)
        if method == "POST" and path != SIGN_OUT and not path.startswith("/staff/sign-in")
    ]


def _fuzz_staff(client: TestClient, database_url: str, tally: Tally, sampler: Sampler) -> int:
    application = sent_application(database_url, "cheshire")
    victim = new_staff(database_url, "cheshire")
    forms = 0
    for role in ("caseworker", "admin"):
        staff = new_staff(database_url, "cheshire", role=role)
        with TestClient(
            client.app, raise_server_exceptions=False, client=(unique_ip(), 1)
        ) as signed_in:
            sign_in(signed_in, staff)
            fuzzer = Fuzzer(signed_in, tally)
            for path in _staff_post_paths(signed_in, application.id, victim.id):
                _fuzz_staff_form(fuzzer, path, sampler)
                forms += 1
            for page in STAFF_FILTER_PAGES:
                forms += _fuzz_filters(fuzzer, page, sampler)
            assert signed_in.get("/staff", follow_redirects=False).status_code == 200
    # The sign-in forms, by someone not signed in.
    with TestClient(client.app, raise_server_exceptions=False, client=(unique_ip(), 1)) as anyone:
        fuzzer = Fuzzer(anyone, tally)
        for path in ("/staff/sign-in", "/staff/sign-in/code", "/staff/sign-in/new-password"):
            _fuzz_form(fuzzer, path, sampler, None)
            forms += 1
    return forms


def _fuzz_staff_form(fuzzer: Fuzzer, path: str, sampler: Sampler) -> None:
    status, _, html = fuzzer.get(path)
    # A POST-only route's form is on the page above it.
    page = html if status == 200 else fuzzer.get(path.rsplit("/", 1)[0])[2]
    fields = fields_of(page)
    fuzzer.get("/staff")  # this session's form token
    for case in cases(fields):
        if not sampler.take():
            continue
        posted, location, _ = fuzzer.post(path, case, fields)
        # No form, however mangled, may end the session of the person posting it.
        assert posted != 401 and not location.startswith("/staff/sign-in"), (path, case.label)


_GET_FORM = re.compile(r'<form[^>]*method="get"[^>]*>(.*?)</form>', re.S | re.I)
_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)


def _fuzz_filters(fuzzer: Fuzzer, page: str, sampler: Sampler) -> int:
    """A page's search and filter boxes with each hostile value: all at once and one by one."""
    status, _, html = fuzzer.get(page)
    names = list(
        dict.fromkeys(name for form in _GET_FORM.findall(html) for name in _NAME.findall(form))
    )
    if status != 200 or not names:
        return 0
    for value in HOSTILE.values():
        # Proxies and clients refuse URLs much past 8 KB: a long value is cut to fit.
        encoded = quote_plus(value[:URL_VALUE_LIMIT].encode("utf-8", "surrogatepass"))
        for chosen in [names, *([name] for name in names)]:
            if sampler.take():
                fuzzer.get(page + "?" + "&".join(f"{name}={encoded}" for name in chosen))
    return 1


def _run(database_url: str, stride: int) -> tuple[Tally, int, float]:
    tally, sampler = Tally(), Sampler(stride)
    started = time.monotonic()
    app = create_app(make_settings(database_url))
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as client:
        forms = _fuzz_public(client, database_url, tally, sampler)
        forms += _fuzz_staff(client, database_url, tally, sampler)
    return tally, forms, time.monotonic() - started


def _assert_clean(tally: Tally) -> None:
    assert not tally.server_errors, f"{len(tally.server_errors)} 5xx: {tally.server_errors[:20]}"
    assert not tally.echoed, f"script echoed unescaped: {tally.echoed[:20]}"
    assert not tally.tokens_accepted, f"bad form tokens not refused: {tally.tokens_accepted[:20]}"
    assert not tally.lost, f"typed input lost on error pages: {tally.lost[:20]}"
    assert tally.kept_checked > 0, "no error page was checked for what was typed"


def test_every_form_survives_the_hostile_set_on_sqlite(
    sqlite_url: str, record_property: pytest.RecordProperty
) -> None:
    tally, forms, seconds = _run(sqlite_url, 1)
    print(f"\nfuzz (SQLite): {forms} forms, {tally.figures()}, {seconds:.0f} s")
    record_property("fuzz_sqlite", tally.figures())
    _assert_clean(tally)
    assert tally.requests >= MIN_REQUESTS, tally.requests


def test_a_sample_of_the_hostile_set_on_postgresql(
    postgres_url: str, record_property: pytest.RecordProperty
) -> None:
    tally, forms, seconds = _run(postgres_url, SAMPLE_STRIDE)
    print(f"\nfuzz (PostgreSQL): {forms} forms, {tally.figures()}, {seconds:.0f} s")
    record_property("fuzz_postgresql", tally.figures())
    _assert_clean(tally)
    assert tally.requests >= MIN_REQUESTS // SAMPLE_STRIDE, tally.requests
