"""The whole firearms application in a real browser, three ways: JavaScript on (htmx boosts every
link and form), JavaScript off (plain forms, POST-redirect-GET), and keyboard only.

Each run starts at the start page, finds its force from a postcode two forces share, fills in
every task from the task list, and on the way: recovers from validation errors, adds then removes
a repeating item, uses Change from check answers, and ends on the confirmation page with a
reference. With JavaScript on and off, axe checks every page and every error state it passes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.support.browser import SETTLED_JS
from tests.support.journey import (
    BASE,
    JS_OFF,
    JS_ON,
    KEYBOARD,
    REFERENCE,
    Journey,
    answers_for,
    by_key,
    complete_every_task,
    question_name,
    write_photo,
)
from tests.support.pay import SUCCESS_CARD, pay_in_browser
from webapp.engine import Step
from webapp.services.firearm_certificate import SERVICE

pytestmark = pytest.mark.browser

SHARED_POSTCODE = "SY10 7AA"  # on the border of West Mercia and Dyfed-Powys
CHANGED = {"place_of_birth": "York, England"}  # answered, then changed from check answers
# The home address must lie in the chosen force's area: it is at the shared postcode too.
HOME = {"home_address-town": "Oswestry", "home_address-postcode": SHARED_POSTCODE}


# -- the pieces every run goes through ----------------------------------------------------------


def find_force(journey: Journey) -> None:
    """Start page -> postcode (a typo first) -> the chooser for a shared postcode -> task list."""
    journey.open(BASE)
    assert journey.page.locator("h1").inner_text() == str(SERVICE.title)
    journey.submit()  # Start now
    assert journey.path == f"{BASE}/force"

    postcode = journey.page.locator("#postcode")
    journey.type_into(postcode, "not a postcode")
    journey.submit()
    journey.expect_error(field_id="postcode")
    assert postcode.input_value() == "not a postcode"  # kept exactly as typed

    journey.type_into(postcode, SHARED_POSTCODE)
    journey.submit()
    assert journey.path == f"{BASE}/force/choose"
    forces = journey.page.locator('input[name="force"]')
    assert forces.count() >= 2

    journey.submit()  # nothing chosen
    journey.expect_error(field_id="force")
    journey.fill({"force": forces.first.get_attribute("value")})
    journey.submit()
    assert journey.path == f"{BASE}/tasks"


def impossible_date(journey: Journey) -> None:
    """31 February: an error, the date kept as typed, then put right."""
    step = journey.step
    assert step is not None
    good = answers_for(step)
    prefix = step.page_id
    bad = {**good, f"{prefix}-day": "31", f"{prefix}-month": "2"}
    journey.fill(bad)
    journey.submit()
    assert journey.step == step
    journey.expect_error()
    form = journey.main_form()
    for name, typed in bad.items():
        assert form.locator(f'[name="{name}"]').input_value() == typed, name
    journey.answer()


def reveal_details(journey: Journey) -> None:
    """A yes/no whose 'yes' reveals a details box: revealed only when chosen (with JavaScript),
    still revealed on the error page htmx swaps in, then answered 'no'."""
    step = journey.step
    assert step is not None
    radio = journey.main_form().locator(f'input[name="{step.page_id}"][value="yes"]')
    # GOV.UK Frontend's script turns the macro's data-aria-controls into aria-controls.
    controls = radio.get_attribute("aria-controls") or radio.get_attribute("data-aria-controls")
    assert controls, "the 'yes' option reveals nothing"
    panel = journey.page.locator(f"#{controls}")
    if journey.js:
        assert panel.is_hidden()
    journey.fill({step.page_id: "yes"})
    assert panel.is_visible()
    journey.checkpoint("revealed")
    journey.submit()  # 'yes' with no details
    assert journey.step == step
    journey.expect_error()
    assert panel.is_visible()
    if journey.js:
        # GOV.UK Frontend's Radios started on the page htmx swapped in: it set aria-expanded,
        # and choosing 'no' hides the details again.
        assert radio.get_attribute("aria-expanded") == "true"
        journey.fill({step.page_id: "no"})
        assert panel.is_hidden()
        assert radio.get_attribute("aria-expanded") == "false"
    journey.answer()


def add_then_remove(journey: Journey) -> None:
    """On an add-another page: add one more item, see it listed, remove it (an error first)."""
    step = journey.step
    assert step is not None
    group = SERVICE.pages[step.page_id].group
    assert group is not None
    rows = journey.page.locator(".app-add-another-list .govuk-summary-list__row")
    before = rows.count()
    assert before >= 1

    journey.fill({group.more_question_id: "yes"})
    journey.submit()
    first_item_page = group.item_pages[0].id
    assert journey.step == Step(first_item_page, before), journey.page.url
    while journey.path != f"{BASE}/{step.page_id}":
        journey.answer()
    assert rows.count() == before + 1
    journey.checkpoint(f"{before + 1} items")

    remove = rows.nth(before).locator("a", has_text="Remove")
    journey.follow(remove)
    assert journey.path == f"{BASE}/{group.id}/{before}/remove"
    confirm_after_an_empty_answer(journey)  # neither yes nor no, then yes
    assert journey.path == f"{BASE}/{step.page_id}"
    assert rows.count() == before
    journey.answer()


def confirm_after_an_empty_answer(journey: Journey) -> None:
    """Send a confirm page with nothing chosen (its error must show), then with yes."""
    journey.submit()
    journey.expect_error(field_id="confirm")
    journey.fill({"confirm": "yes"})
    journey.submit()


DETOURS = {
    "date_of_birth": impossible_date,
    "abroad": reveal_details,
    "other_names_add_another": add_then_remove,
}


def change_from_check_answers(journey: Journey) -> None:
    assert journey.path == f"{BASE}/check"
    [(question_id, value)] = CHANGED.items()
    row = by_key(journey, question_name(question_id))
    assert row.count() == 1
    journey.follow(row.locator("a", has_text="Change"))
    assert journey.step == Step(question_id) and "return=check" in journey.page.url
    journey.answer(CHANGED)
    assert journey.path == f"{BASE}/check"
    assert value in by_key(journey, question_name(question_id)).inner_text()


def declare_and_send(journey: Journey) -> str:
    journey.follow(journey.page.locator("main a.govuk-button"))  # Continue
    assert journey.path == f"{BASE}/declaration"
    confirm_after_an_empty_answer(journey)  # without ticking the declaration, then ticked
    pay_on_the_card_page(journey)
    assert journey.path == f"{BASE}/confirmation"
    assert journey.title().startswith("Application sent")
    reference = journey.page.locator(".govuk-panel__body strong").inner_text().strip()
    assert REFERENCE.match(reference), reference
    return reference


def pay_on_the_card_page(journey: Journey, card: str = SUCCESS_CARD) -> None:
    """The payment page, then GOV.UK Pay's card page (another site: a full page load, not
    boosted), and back to the service."""
    assert journey.path == f"{BASE}/payment"
    assert "£202" in journey.page.locator("main").inner_text()
    ours = len(journey.problems)
    journey.page.get_by_role("button", name="Continue to payment").click()
    journey.page.wait_for_url(lambda url: "/apply/" not in url)
    pay_in_browser(journey.page, card)
    # The card page is GOV.UK Pay's (here the simulator's, whose favicon is missing): what its
    # console says is not this service's to judge.
    del journey.problems[ours:]
    journey.page.wait_for_load_state()
    if journey.js:  # a new document: mark it, so later pages are checked to be boosted from it
        journey.page.wait_for_function(SETTLED_JS)
        journey.page.evaluate("() => { window.__journeyMarker = 'kept' }")
    journey.checkpoint()


def apply(journey: Journey) -> str:
    find_force(journey)
    complete_every_task(journey, DETOURS)
    assert journey.pages_answered > 55
    journey.follow(journey.page.locator("a.govuk-task-list__link", has_text="Check your answers"))
    assert journey.photo.name in by_key(journey, question_name("photo")).inner_text()
    change_from_check_answers(journey)
    return declare_and_send(journey)


# -- the three runs -----------------------------------------------------------------------------


def test_apply_with_javascript(page: Page, tmp_path: Path) -> None:
    journey = Journey(page, JS_ON, write_photo(tmp_path), overrides=HOME)
    apply(journey)
    # htmx boosted everything after the first page: one document load, the window never replaced.
    start = page.url.split("/apply/")[0] + BASE
    # Bar the trip to GOV.UK Pay's card page and back (another site), nothing else is loaded.
    ours = [load for load in journey.document_loads if start.split("/apply/")[0] in load]
    assert ours[0] == f"GET {start}", journey.document_loads
    assert all("/payment" in load or "/confirmation" in load for load in ours[1:]), ours
    assert journey.problems == []
    assert len(journey.checked) > 60


def test_apply_without_javascript(nojs_page: Page, tmp_path: Path) -> None:
    journey = Journey(nojs_page, JS_OFF, write_photo(tmp_path), overrides=HOME)
    apply(journey)
    assert "js-enabled" not in (nojs_page.locator("body").get_attribute("class") or "")
    assert len(journey.document_loads) > 60  # every page a real load: POST-redirect-GET
    assert len(journey.checked) > 60


def test_apply_with_keyboard_only(page: Page, tmp_path: Path) -> None:
    journey = Journey(page, KEYBOARD, write_photo(tmp_path), axe=False, overrides=HOME)
    apply(journey)
    assert journey.problems == []
    # Tab and Shift+Tab to move, Enter and Space to act; the arrow keys only inside a radio group,
    # and select-all + Delete only to replace a field's text (Change, and putting errors right).
    assert set(journey.keys) <= {
        "Tab",
        "Shift+Tab",
        "Enter",
        "Space",
        "ArrowDown",
        "ControlOrMeta+a",
        "Delete",
    }, journey.keys
    assert journey.keys["Shift+Tab"] > 0 and journey.keys["Space"] > 0
