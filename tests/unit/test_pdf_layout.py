"""Where questions sit on paper: generic over the service definitions, no PDF rendering."""

from __future__ import annotations

import pytest

from webapp.engine.schema import Service
from webapp.pdf.layout import form_layout, is_add_another, question_numbers, staff_only, walk_slots
from webapp.services import SERVICES
from webapp.services.firearm_certificate import SERVICE


def paper_questions(service: Service) -> set[str]:
    """Every question a person answers. 'Add another?' has no place on paper: the form gives
    rows for several items and a continuation sheet instead; nor do questions only staff are
    asked (how the photos come), which staff answer when they key the form in."""
    return {
        q.id
        for q in service.all_questions()
        if not is_add_another(service, q.id) and not staff_only(service, q.id)
    }


@pytest.mark.parametrize("service", SERVICES.values(), ids=lambda s: s.slug)
def test_every_question_has_a_place_and_a_unique_number(service: Service) -> None:
    numbers = question_numbers(service)
    assert paper_questions(service) <= set(numbers)
    printed = [numbers[qid] for qid in paper_questions(service)]
    assert len(printed) == len(set(printed)), "two questions share a number"
    placed = {slot.question_id for slot in walk_slots(form_layout(service))}
    assert placed == paper_questions(service)


def test_numbers_follow_the_form_201_parts() -> None:
    numbers = question_numbers(SERVICE)
    assert numbers["certificates"] == "1.1"
    assert numbers["gender"] == "2.1"
    assert numbers["other_names"] == "2.6"  # a group takes one number...
    assert numbers["other_surname"] == "2.6.1"  # ...and its questions are numbered within it
    assert numbers["abroad_details"].startswith(numbers["abroad"])  # revealed: 2.nn + letter
    assert numbers["abroad_details"][-1] == "a"


def test_conditions_are_written_out_for_paper() -> None:
    sections = form_layout(SERVICE)
    shotguns = next(section for section in sections if section.title == "Shotguns")
    assert shotguns.condition == "Only answer this if you ticked ‘Shotgun certificate’ at 1.1."
