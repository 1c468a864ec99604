"""Whole-journey checks: no JavaScript, redundant entry (3.3.7), accessible authentication (3.3.8)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from accessibility import checks
from accessibility.conftest import Site, Sweep
from accessibility.journey import walk_service
from accessibility.report import Audit
from accessibility.states import state_key
from webapp.engine.schema import Service
from webapp.services import SERVICES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("service", SERVICES.values(), ids=lambda service: service.slug)
def test_the_journey_completes_without_javascript(
    site: Site, audit: Audit, service: Service
) -> None:
    base = f"/apply/{service.slug}"
    context = site.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        # An error without JavaScript: a full page, titled "Error: ", with the summary and links.
        page.goto(base)
        with page.expect_navigation():
            page.locator("main form button").first.click()
        with page.expect_navigation():
            page.locator("main form button").first.click()
        if (
            not page.title().startswith("Error: ")
            or not page.locator(".govuk-error-summary a").count()
        ):
            audit.fail(
                "no-javascript",
                state_key(service, "force-postcode/error"),
                "Without JavaScript, an error page "
                "has no 'Error: ' title or no error summary links",
                url=page.url,
                page_obj=page,
            )
        walk = walk_service(page, service, "confirmation")
        if (
            urlsplit(page.url).path != f"{base}/confirmation"
            or not page.locator(".govuk-panel").count()
        ):
            audit.fail(
                "no-javascript",
                state_key(service, "journey"),
                f"Without JavaScript the journey ended at {page.url}",
                url=page.url,
                page_obj=page,
            )
        audit.passed(state_key(service, "journey"), "no-javascript", page.url)
        audit.notes.append(
            f"No-JavaScript journey ({service.slug}): {len(walk.visits)} pages from start to confirmation."
        )
    finally:
        context.close()
    audit.assert_none("no-javascript")


def test_no_question_is_asked_twice(sweep: Sweep, audit: Audit) -> None:
    """3.3.7: in one journey no field is asked for on two different pages, and nothing the
    applicant has typed must be typed again for the same thing (compared by the question's
    wording, reduced to its subject, and the whole answer: all parts of an address or a date).
    Items of one repeating group (the first and second referee) are different things. Each
    service is one journey: two services may well ask for the same thing."""
    asked: dict[tuple[str, str], str] = {}
    answers: dict[tuple[str, str], dict[str, Any]] = {}  # (page, question) -> subject, parts
    for key, info in sweep.audits.items():
        if sweep.states[key].kind != "question":
            continue
        page_id = re.sub(r"/\d+$", "", key)
        journey = _journey_of(key)
        for field in info["fields"]:
            name = field["name"]
            if not name or field["type"] in ("radio", "checkbox", "file"):
                continue
            if (journey, name) in asked and asked[journey, name] != page_id:
                audit.fail(
                    "redundant-entry",
                    key,
                    f"The field {name} is asked here and on {asked[journey, name]}",
                    url=info["url"],
                    target=name,
                )
            asked.setdefault((journey, name), page_id)
            question = name.split("-")[0]
            entry = answers.setdefault(
                (key, question),
                {"subject": checks.normalise(field["legend"] or field["label"]), "parts": []},
            )
            if field["value"]:
                entry["parts"].append(field["value"].strip().lower())
    seen: list[tuple[str, str, str, str]] = []
    for (key, question), entry in answers.items():
        value = " ".join(entry["parts"])
        if not value:
            continue
        page_id = re.sub(r"/\d+$", "", key)
        for subject, earlier_value, earlier_key, earlier_question in seen:
            if _journey_of(earlier_key) != _journey_of(key):
                continue
            if (
                subject == entry["subject"]
                and value == earlier_value
                and re.sub(r"/\d+$", "", earlier_key) != page_id
            ):
                audit.fail(
                    "redundant-entry",
                    key,
                    f"{question} asks for the {subject} again: the same answer was "
                    f"typed for {earlier_question} on {earlier_key}",
                    url=sweep.audits[key]["url"],
                    target=question,
                )
                break
        seen.append((entry["subject"], value, key, question))
        audit.passed(key, "redundant-entry")
    audit.assert_none("redundant-entry")


def _journey_of(key: str) -> str:
    """The service a question page's key belongs to ('firearm-certificate:q:name')."""
    return key.split(":q:", 1)[0]


PASTE = r"""
async (selector) => {
  const field = document.querySelector(selector);
  field.focus();
  const data = new DataTransfer();
  data.setData('text/plain', 'Pasted-Secret-123');
  const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
  const allowed = field.dispatchEvent(event);
  return {allowed, autocomplete: field.getAttribute('autocomplete'), type: field.type,
          blocked: field.hasAttribute('onpaste') || field.hasAttribute('oncopy')};
}
"""


def test_password_and_code_fields_allow_paste(site: Site, sweep: Sweep, audit: Audit) -> None:
    """3.3.8: every password or code field lets a password manager fill it and lets people paste."""
    found = 0
    for key, info in sweep.audits.items():
        for field in info["fields"]:
            purpose = checks.autocomplete_purpose(field.get("autocomplete")) or ""
            secret = re.search(
                r"(^|[_-])(code|otp|passcode|password|pin)($|[_-])", field["name"] or ""
            )
            if (
                field["type"] != "password"
                and purpose not in ("one-time-code", "current-password", "new-password")
                and not secret
            ):
                continue
            found += 1
            state = sweep.states[key]
            page = site.page(state.setup)
            state.go(page)
            result = page.evaluate(PASTE, f'[name="{field["name"]}"]')
            if not result["allowed"] or result["blocked"]:
                audit.fail(
                    "authentication",
                    key,
                    "Pasting into this field is blocked",
                    url=page.url,
                    target=field["name"],
                    page_obj=page,
                )
            if result["autocomplete"] in (None, "off"):
                audit.fail(
                    "authentication",
                    key,
                    "Password managers cannot fill this field (no autocomplete, or off)",
                    url=page.url,
                    target=field["name"],
                    page_obj=page,
                )
            audit.passed(key, "authentication", page.url)
    if not found:
        audit.notes.append("No password or code fields were found on the pages reached.")
    audit.assert_none("authentication")
