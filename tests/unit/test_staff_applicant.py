"""How staff pages name an applicant: the letter's greeting and the heading beside the reference."""

from __future__ import annotations

from tests.support.firearms import COMPLETE, SERVICE
from webapp.web.staff.applicant import greeting, heading_line


def test_letter_greeting_without_a_title() -> None:
    assert greeting(SERVICE, {**COMPLETE}) == "Ms Jones"
    assert greeting(SERVICE, {**COMPLETE, "title": ""}) == "Ann Mary Jones"
    assert greeting(SERVICE, {}) == "applicant"


def test_heading_line_names_and_date_of_birth() -> None:
    assert heading_line(SERVICE, {**COMPLETE}) == "Ann Mary Jones, born 3 February 1980"
    assert (
        heading_line(SERVICE, {"date_of_birth": COMPLETE["date_of_birth"]})
        == "Born 3 February 1980"
    )
    assert heading_line(SERVICE, {}) == ""
