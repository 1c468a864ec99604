"""Choosing Welsh: the language select on every public page keeps the person on the same page
with their answers; `?lang=cy` and `Accept-Language: cy` draw pages in Welsh; the draft records
the language; staff pages stay English. On both databases."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from tests.support.databases import run_sql
from tests.support.forms import post_form
from tests.support.report_lost_or_stolen import BASE, POSTCODE, RUN
from tests.support.service_walk import reference_of, walk_service
from tests.support.staff import client_from_own_address, new_staff, sign_in
from webapp.engine.schema import Service
from webapp.services import SERVICES

EVERY_SERVICE = pytest.mark.parametrize(
    "service", SERVICES.values(), ids=lambda service: service.slug
)
_VALUE = re.compile(r'<input[^>]*\bvalue="([^"]*)"')
_CHECKED = re.compile(r"<input[^>]*\bchecked\b[^>]*>")
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def answers_shown(html: str) -> tuple[list[str], list[str]]:
    """What a page shows of the answers: its inputs' values and which boxes are ticked."""
    without_csrf = re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "", html)
    checked = [re.sub(r'\s*id="[^"]*"', "", tag) for tag in _CHECKED.findall(without_csrf)]
    return _VALUE.findall(without_csrf), checked


def heading(html: str) -> str:
    match = _H1.search(html)
    assert match, "the page has a heading"
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()


def switch(client: TestClient, url: str, language: str) -> str:
    """Follow the language select's link on a page; the page it leads back to."""
    page = client.get(url)
    assert page.status_code == 200, url
    joiner = "&amp;" if "?" in url else "?"
    link = f'href="{url.replace("&", "&amp;")}{joiner}lang={language}"'
    assert link in page.text, (url, "has no link to", language)
    response = client.get(
        f"{url}{'&' if '?' in url else '?'}lang={language}", follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == url, "the link leads back to the same page"
    return client.get(url).text


@EVERY_SERVICE
def test_the_language_select_keeps_the_page_and_the_answers(
    client: TestClient, database_url: str, service: Service
) -> None:
    walk = walk_service(client, service, until="check")
    pages = list(dict.fromkeys([*walk.question_urls, *walk.urls("tasks"), *walk.urls("check")]))
    assert pages, "the walk met pages"
    for url in pages:
        english = client.get(url).text
        assert '<html lang="en"' in english
        assert '<span lang="en" aria-current="true">English</span>' in english
        welsh = switch(client, url, "cy")
        assert '<html lang="cy"' in welsh, url
        assert '<span lang="cy" aria-current="true">Cymraeg</span>' in welsh
        assert 'lang="en" hreflang="en"' in welsh
        assert answers_shown(welsh) == answers_shown(english), url
        assert heading(welsh) and "<h1" in welsh
        assert switch(client, url, "en").startswith("<!DOCTYPE html>")
        assert '<html lang="en"' in client.get(url).text

    # Chosen while the draft was open: the draft records it (this walk's draft is the newest).
    client.get(f"{pages[0]}?lang=cy")
    rows = run_sql(
        database_url,
        "SELECT language, status FROM application WHERE service = :service "
        "ORDER BY id DESC LIMIT 1",
        service=service.slug,
    )
    assert [tuple(row) for row in rows] == [("cy", "draft")]


def test_lang_parameter_and_accept_language_give_welsh(client: TestClient) -> None:
    home_en = client.get("/")
    assert '<html lang="en"' in home_en.text
    welsh = client.get("/", headers={"Accept-Language": "cy"})
    assert '<html lang="cy"' in welsh.text
    assert heading(welsh.text) != heading(home_en.text), "the heading is in Welsh"
    # q-values count: Welsh preferred less than English stays English, and the other way round.
    assert (
        '<html lang="en"' in client.get("/", headers={"Accept-Language": "en;q=0.9, cy;q=0.5"}).text
    )
    assert (
        '<html lang="cy"'
        in client.get("/", headers={"Accept-Language": "fr, cy-GB;q=0.8, en;q=0.3"}).text
    )
    assert '<html lang="en"' in client.get("/", headers={"Accept-Language": "fr, de"}).text
    # Nothing remembered from a header: no session is started by it.
    assert "set-cookie" not in welsh.headers

    response = client.get("/?lang=cy", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    chosen = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="cy"' in chosen.text, "a choice made beats the browser's preference"
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and '<html lang="cy"' in missing.text
    # A language we do not have is ignored.
    assert client.get("/?lang=fr").status_code == 200


def test_a_report_made_in_welsh_from_start_to_confirmation(
    client: TestClient, database_url: str
) -> None:
    """The whole report service in Welsh: every page says so, an error is in Welsh, a month typed
    in Welsh is accepted, the draft records the language, and the confirmation is in Welsh."""
    client.get("/?lang=cy")
    response = post_form(client, BASE, {}, action=f"{BASE}/start")
    assert response.status_code == 303
    response = post_form(client, f"{BASE}/in_danger", {"in_danger": "no"})
    assert response.status_code == 303
    response = post_form(client, f"{BASE}/force", {"postcode": POSTCODE})
    assert response.status_code == 303
    for page, form in RUN:
        if page == "happened_on":
            wrong = post_form(client, f"{BASE}/{page}", {"happened_on-day": "3"})
            assert wrong.status_code == 200
            assert "Mae problem wedi codi" in wrong.text and "<title>Gwall:" in wrong.text
            form = {**form, "happened_on-month": "Chwefror"}
        html = client.get(f"{BASE}/{page}").text
        assert '<html lang="cy"' in html, page
        response = post_form(client, f"{BASE}/{page}", form)
        assert response.status_code == 303, (page, response.text[:1500])
    check = client.get(f"{BASE}/check").text
    assert "Gwirio eich atebion cyn anfon eich adroddiad" in check
    assert "3 Chwefror 2026" in check, "a date in Welsh, from a Welsh month typed"
    response = post_form(client, f"{BASE}/declaration", {"confirm": "yes"})
    assert response.status_code == 303
    confirmation = client.get(f"{BASE}/confirmation").text
    assert "Adroddiad wedi’i anfon" in confirmation
    rows = run_sql(
        database_url,
        "SELECT language FROM application WHERE reference = :reference",
        reference=reference_of(confirmation),
    )
    assert [row[0] for row in rows] == ["cy"], "the application records it was made in Welsh"

    # The force's staff see which language it was made in, on a page that stays English.
    with client_from_own_address(client.app) as staff:
        assert sign_in(staff, new_staff(database_url, "west-yorkshire")).status_code == 303
        case = staff.get(f"/staff/applications/reference/{reference_of(confirmation)}")
        assert case.status_code == 200 and '<html lang="en"' in case.text
        assert re.search(r"Made in\s*</dt>\s*<dd[^>]*>\s*Welsh", case.text), "Made in: Welsh"
    for english in ("Report sent", "What happens next", "Continue", "Back"):
        assert f">{english}<" not in confirmation, english


def test_staff_pages_stay_english_with_no_language_select(client: TestClient) -> None:
    client.get("/?lang=cy")
    page = client.get("/staff/sign-in", headers={"Accept-Language": "cy"})
    assert '<html lang="en"' in page.text
    assert "Cymraeg" not in page.text
    # The parameter does nothing on a staff page.
    assert client.get("/staff/sign-in?lang=cy").status_code == 200
