"""Wording rules checked over every question of every service in webapp.services.SERVICES."""

from __future__ import annotations

from collections import Counter

import pytest

from webapp.engine import Step, page_view
from webapp.engine.fields import FieldError
from webapp.engine.schema import Service
from webapp.engine.view import summary_items
from webapp.services import SERVICES

SERVICE_LIST = list(SERVICES.values())


def _shown_label(question, *, heading: bool) -> str:  # type: ignore[no-untyped-def]
    params = question.field.macro_params(question, None, (), heading=heading)
    if "label" in params:
        return str(params["label"]["text"])
    return str(params["fieldset"]["legend"]["text"])


@pytest.mark.parametrize("service", SERVICE_LIST, ids=lambda service: service.slug)
def test_optional_questions_say_so_in_the_label(service: Service) -> None:
    """GOV.UK: mark optional fields "(optional)", and never mark the required ones."""
    for question in service.all_questions():
        for heading in (True, False):
            label = _shown_label(question, heading=heading)
            says_optional = label.endswith("(optional)")
            wanted = question.optional and question.say_optional
            assert says_optional == wanted, (question.id, label)
            assert label.count("(optional)") <= 1, (question.id, label)


@pytest.mark.parametrize("service", SERVICE_LIST, ids=lambda service: service.slug)
def test_an_unmarked_optional_question_is_on_a_page_that_explains(service: Service) -> None:
    """'(optional)' is left off only where the page asks for at least one of its questions."""
    for ref in service.questions.values():
        if ref.question.optional and not ref.question.say_optional:
            assert ref.page.body, ref.question.id
            assert sum(q.optional for q in ref.page.questions) >= 2, ref.question.id


@pytest.mark.parametrize("service", SERVICE_LIST, ids=lambda service: service.slug)
def test_revealed_boxes_name_what_they_ask_for(service: Service) -> None:
    """A 'give details' box revealed under an option says what the details are about, and its
    name (on check answers and in errors) tells it apart from every other question's."""
    revealed = [ref.question for ref in service.questions.values() if ref.parent is not None]
    if not revealed:
        pytest.skip(f"{service.slug} reveals no questions")
    generic = {"Give details", "Details", "Enter the details"}
    for question in revealed:
        assert str(question.label) not in generic and question.short_name not in generic, (
            question.id
        )
    labels = Counter(str(question.label) for question in revealed)
    assert [label for label, count in labels.items() if count > 1] == []
    names = Counter(
        ref.question.short_name for ref in service.questions.values() if ref.group is None
    )
    assert [q.id for q in revealed if names[q.short_name] > 1] == []


@pytest.mark.parametrize("service", SERVICE_LIST, ids=lambda service: service.slug)
def test_check_answers_names_are_unique_outside_lists(service: Service) -> None:
    """Outside add-another items (whose card title tells them apart) no two answers share a
    name on check answers: 'New or renewal' twice could not be told apart."""
    names = Counter(
        ref.question.short_name for ref in service.questions.values() if ref.group is None
    )
    assert [name for name, count in names.items() if count > 1] == []


@pytest.mark.parametrize("service", SERVICE_LIST, ids=lambda service: service.slug)
def test_no_page_repeats_its_heading_as_its_caption(service: Service) -> None:
    for page_id, ref in service.pages.items():
        index = 0 if ref.group is not None and not ref.is_add_another else None
        view = page_view(service, {}, Step(page_id, index))
        section = str(ref.section.title)
        expected = None if view.heading.casefold() == section.casefold() else section
        assert view.caption == expected, page_id


def test_an_input_with_two_errors_is_in_the_summary_once() -> None:
    errors = [
        FieldError("The selected file must be a JPG or PNG", "photo", "photo"),
        FieldError("Select a photo", "photo", "photo"),
        FieldError("Enter address line 1", "home", "home-line1", ("line1",)),
        FieldError("Enter a town or city", "home", "home-town", ("town",)),
    ]
    assert summary_items(errors) == [
        {"text": "The selected file must be a JPG or PNG", "href": "#photo"},
        {"text": "Enter address line 1", "href": "#home-line1"},
        {"text": "Enter a town or city", "href": "#home-town"},
    ]
