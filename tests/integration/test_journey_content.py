"""What the public journey says: one account of fees and timings, check answers whose every
Change link is unique, numbers as typed, captions, the remove page, save-and-return wording for
people with no account, the header, and the resume page's example reference."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from typing import Any

from starlette.testclient import TestClient

from tests.support.firearms import BASE, COMPLETE
from tests.support.forms import post_form
from tests.support.paying import declare_and_pay
from tests.support.resume import reference_of, set_draft
from webapp.store.references import normalise_reference


class _Page(HTMLParser):
    """Links (href and full text, visually hidden parts included), the header's home link,
    captions, the h1, error summary items and inline error messages."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.keys: list[str] = []
        self.captions: list[str] = []
        self.h1 = ""
        self.summary_errors: list[str] = []
        self.inline_errors = 0
        self.panels = 0
        self._open: list[tuple[str, str, list[str], list[str]]] = []  # (tag, what, text, classes)
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if "govuk-panel" in classes:
            self.panels += 1
        if "govuk-error-message" in classes:
            self.inline_errors += 1
        what = ""
        if tag == "a":
            what = "link:" + (attributes.get("href") or "")
        elif "govuk-summary-list__key" in classes:
            what = "key"
        elif "govuk-caption-l" in classes:
            what = "caption"
        elif tag == "h1":
            what = "h1"
        self._open.append((tag, what, [], classes))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            open_tag, what, text, _classes = self._open.pop()
            joined = " ".join("".join(text).split())
            if self._open:
                self._open[-1][2].append("".join(text))
            if what.startswith("link:"):
                self.links.append((what.removeprefix("link:"), joined))
                if any("govuk-error-summary__list" in c for *_rest, c in self._open):
                    self.summary_errors.append(joined)
            elif what == "key":
                self.keys.append(joined)
            elif what == "caption":
                self.captions.append(joined)
            elif what == "h1":
                self.h1 = joined
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2].append(data)


def page(html: str) -> _Page:
    return _Page(html)


def start(client: TestClient) -> str:
    response = post_form(client, BASE, {}, action=f"{BASE}/start")
    assert response.status_code == 303
    response = post_form(client, f"{BASE}/force", {"postcode": "LS1 1UR"})
    assert response.headers["location"].endswith("/tasks")
    return reference_of(client)


def _details(**values: Any) -> dict[str, Any]:
    return {**COMPLETE, **values}


# Every renewal, two conditions with details, convictions, two firearms: the answers that
# repeat names ('New or renewal', 'Details', 'Calibre') across the check answers page.
FULL = _details(
    fac_kind="renewal",
    fac_number="FA/1234",
    fac_expiry=COMPLETE["sgc_expiry"],
    conditions=["depression", "substance"],
    health_depression_details="Treated in 2015",
    health_substance_details="None since 2010",
    unregistered="yes",
    unregistered_details="2 years abroad",
    other_doctors="yes",
    other_doctors_details="A private clinic",
    has_convictions="yes",
    convictions=[
        {
            "offence": "Speeding",
            "conviction_date": {"day": "1", "month": "1", "year": "2015"},
            "court": "Leeds",
            "sentence": "£100 fine",
        },
        {
            "offence": "Speeding",
            "conviction_date": {"day": "1", "month": "1", "year": "2018"},
            "court": "York",
            "sentence": "£100 fine",
        },
    ],
    convictions_add_another="no",
    refused="yes",
    refused_details="Refused in 2012",
    firearms=[
        {**COMPLETE["firearms"][0], "firearm_make": "Sako", "firearm_calibre": ".243"},
        {
            **COMPLETE["firearms"][0],
            "firearm_reason": "other",
            "firearm_reason_other": "Humane dispatch",
        },
    ],
    storage="other",
    storage_other="A safe",
    others_access="yes",
    others_access_details="My partner, who holds a certificate",
    abroad="yes",
    abroad_details="France, 2020",
    gp_phone="0113 496 0000",
)


def test_every_change_link_on_check_answers_is_unique(
    client: TestClient, database_url: str
) -> None:
    reference = start(client)
    set_draft(database_url, reference, answers=FULL)
    response = client.get(f"{BASE}/check", follow_redirects=False)
    assert response.status_code == 200, response.headers.get("location")
    parsed = page(response.text)
    changes = [(href, text) for href, text in parsed.links if text.startswith("Change ")]
    assert len(changes) > 60
    duplicated_text = [
        text for text, count in Counter(text for _h, text in changes).items() if count > 1
    ]
    duplicated_href = [
        href for href, count in Counter(href for href, _t in changes).items() if count > 1
    ]
    assert duplicated_text == [] and duplicated_href == []
    # The certificate rows say which certificate they are about.
    for key in (
        "Firearm certificate: new or renewal",
        "Shotgun certificate: new or renewal",
        "Firearm certificate number",
        "Shotgun certificate expiry date",
    ):
        assert key in parsed.keys, key
    assert "New or renewal" not in parsed.keys and "Certificate number" not in parsed.keys
    assert "Details" not in parsed.keys
    # A phone number reads as it was typed, not regrouped ('01134 960000').
    assert "0113 496 0000" in response.text and "01134 960000" not in response.text


def test_start_page_and_confirmation_say_one_thing_about_fees_and_timing(
    client: TestClient, database_url: str
) -> None:
    start_page = client.get(BASE).text
    paying = "You pay the fee by debit or credit card at the end."
    assert paying in start_page and "You do not pay online" not in start_page
    for amount in ("£198", "£131", "£194", "£126", "£202", "£155"):  # webapp/fees.py
        assert amount in start_page, amount
    assert "It usually takes between 8 and 15 weeks to get a decision." in start_page

    reference = start(client)
    set_draft(database_url, reference, answers=COMPLETE)
    response = declare_and_pay(client, BASE)
    assert response.status_code == 303
    confirmation = client.get(f"{BASE}/confirmation").text
    assert "You paid £202" in confirmation and "Do not send money" not in confirmation
    # The decision time comes from the service file only (the demo force says 'about 12 weeks').
    assert "It usually takes between 8 and 15 weeks to get a decision." in confirmation
    assert "12 weeks" not in confirmation


def test_the_remove_page_names_the_item(client: TestClient, database_url: str) -> None:
    reference = start(client)
    set_draft(database_url, reference, answers=FULL)
    parsed = page(client.get(f"{BASE}/firearms/0/remove").text)
    assert parsed.h1 == "Are you sure you want to remove Sako .243?"
    assert parsed.captions == ["Firearms and ammunition"]
    unanswered = page(post_form(client, f"{BASE}/firearms/0/remove", {}).text)
    assert unanswered.summary_errors == ["Select yes if you want to remove Sako .243"]


def test_captions_are_never_the_heading_again_and_never_missing(
    client: TestClient, database_url: str
) -> None:
    reference = start(client)
    set_draft(database_url, reference, answers=FULL)
    intro = page(client.get(f"{BASE}/convictions_intro").text)
    assert intro.h1 == "Convictions and cautions" and intro.captions == []
    single = page(client.get(f"{BASE}/gender").text)  # the question is the h1
    assert single.h1 == "What is your gender?" and single.captions == ["About you"]
    several = page(client.get(f"{BASE}/name").text)
    assert several.h1 == "What is your name?" and several.captions == ["About you"]


def test_a_field_error_is_in_the_summary_once(client: TestClient, database_url: str) -> None:
    reference = start(client)
    set_draft(database_url, reference, answers={k: v for k, v in COMPLETE.items() if k != "photo"})
    response = post_form(
        client, f"{BASE}/photo", {}, files={"photo": ("me.jpg", b"not an image", "image/jpeg")}
    )
    parsed = page(response.text)
    assert len(parsed.summary_errors) == 1, parsed.summary_errors
    assert parsed.inline_errors == 1


def test_title_is_optional_on_the_one_name_page(client: TestClient, database_url: str) -> None:
    reference = start(client)
    set_draft(database_url, reference, answers={k: v for k, v in COMPLETE.items() if k != "title"})
    form = client.get(f"{BASE}/name").text
    assert "Title (optional)" in form
    assert 'autocomplete="given-name"' in form and 'autocomplete="family-name"' in form
    response = post_form(
        client, f"{BASE}/name", {"title": "", "surname": "Jones", "forenames": "Ann Mary"}
    )
    assert response.status_code == 303


def test_saving_for_later_speaks_to_people_without_an_account(
    client: TestClient, database_url: str
) -> None:
    reference = start(client)
    set_draft(database_url, reference, answers={"certificates": ["fac"]})
    question = client.get(f"{BASE}/fac_kind").text
    assert 'data-module="app-timeout-warning"' in question
    response = post_form(client, f"{BASE}/fac_kind", {"fac_kind": "grant", "save": "later"})
    assert response.status_code == 303
    response = post_form(client, f"{BASE}/save-and-return", {"email": "ann@example.com"})
    assert response.headers["location"] == f"{BASE}/saved"
    saved = client.get(f"{BASE}/saved").text
    assert page(saved).panels == 0  # a green panel means "sent"
    assert page(saved).h1 == "We have saved your application"
    ended = client.get("/session/ended").text
    for text in (question, saved, ended):
        assert "Sign out" not in text and "signed in" not in text and "signed out" not in text


def test_the_force_is_beside_the_home_link_not_in_it(client: TestClient) -> None:
    start(client)
    tasks = client.get(f"{BASE}/tasks").text
    home = next(text for href, text in page(tasks).links if href == "/")
    assert home == "Blue Lamp" and "West Yorkshire Police" in tasks


def test_the_force_stays_in_the_header_after_resuming(
    client: TestClient, database_url: str
) -> None:
    reference = start(client)
    set_draft(database_url, reference, answers=COMPLETE)
    with TestClient(client.app, raise_server_exceptions=False) as other:
        back = post_form(
            other,
            "/resume/reference",
            {
                "reference": reference,
                "date_of_birth-day": "3",
                "date_of_birth-month": "2",
                "date_of_birth-year": "1980",
                "postcode": "LS1 1UR",
            },
        )
        assert back.headers["location"] == f"{BASE}/tasks"
        assert "West Yorkshire Police" in other.get(f"{BASE}/tasks").text


EXAMPLE_REFERENCE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def test_the_example_reference_could_be_a_real_one(client: TestClient) -> None:
    form = client.get("/resume/reference").text
    wrong = post_form(
        client,
        "/resume/reference",
        {
            "reference": "not a reference",
            "date_of_birth-day": "3",
            "date_of_birth-month": "2",
            "date_of_birth-year": "1980",
            "postcode": "LS1 1UR",
        },
    ).text
    examples = EXAMPLE_REFERENCE.findall(form) + EXAMPLE_REFERENCE.findall(wrong)
    assert len(examples) >= 2
    assert [example for example in examples if normalise_reference(example) != example] == []
