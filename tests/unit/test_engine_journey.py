"""The journey, derived from answers: order, conditions, access, statuses and repeating groups."""

from __future__ import annotations

from datetime import date

import pytest
from markupsafe import Markup

from webapp import engine
from webapp.engine import Status, Step, journey
from webapp.engine.conditions import answer_is
from webapp.engine.fields import Name, Option, Radios, Text, YesNo
from webapp.engine.journey import context_for
from webapp.engine.schema import (
    Declaration,
    Question,
    RepeatingGroup,
    Section,
    Service,
    StartInfo,
)

TODAY = date(2026, 6, 1)


def make_service() -> Service:
    pet_name = Question("pet_name", "What is your pet called?", Text(), name="Pet’s name")
    return Service(
        slug="pets",
        title="Register your pets",
        sections=[
            Section(
                "you",
                "About you",
                [
                    Question("name", "What is your name?", Name(), name="Name"),
                    Question(
                        "has_pet",
                        "Do you have a pet?",
                        YesNo(reveal_if_yes=pet_name),
                        error="Select yes if you have a pet",
                    ),
                    Question(
                        "pet_kind",
                        "What kind of pet is it?",
                        Radios((Option("cat", "Cat"), Option("dog", "Dog"))),
                        name="Kind of pet",
                        condition=answer_is("has_pet", "yes"),
                    ),
                    RepeatingGroup(
                        "friends",
                        "Your friends",
                        "friend",
                        [
                            Question(
                                "friend_name", "What is your friend’s name?", Name(), name="Name"
                            )
                        ],
                        summary="friend_name",
                        add_another="Do you need to add another friend?",
                        min=1,
                        max=3,
                    ),
                ],
            ),
            Section(
                "more",
                "More",
                [Question("colour", "Favourite colour?", Text(), name="Colour")],
                depends_on=["you"],
            ),
        ],
        start=StartInfo(summary=[], you_will_need=[], time_to_complete="5 minutes"),
        declaration=Declaration(statements=[], confirm="I confirm", error="Confirm"),
    )


SERVICE = make_service()


def post(answers: dict, step: Step, form: dict) -> engine.Submission:
    return engine.submit(SERVICE, answers, step, form, today=TODAY)


def section(section_id: str):
    return SERVICE.section(section_id)


def test_initial_state() -> None:
    answers: dict = {}
    assert engine.steps(SERVICE, answers, section("you"), TODAY) == [
        Step("name"),
        Step("has_pet"),
        Step("friend_name", 0),
    ]
    assert engine.first_unanswered(SERVICE, answers, today=TODAY) == Step("name")
    assert engine.section_status(SERVICE, answers, section("you"), TODAY) == Status.NOT_STARTED
    assert (
        engine.section_status(SERVICE, answers, section("more"), TODAY) == Status.CANNOT_START_YET
    )
    assert not engine.is_complete(SERVICE, answers, TODAY)


def test_cannot_skip_ahead() -> None:
    access = engine.can_visit(SERVICE, {}, Step("has_pet"), TODAY)
    assert not access.allowed and access.redirect == Step("name")
    assert engine.can_visit(SERVICE, {}, Step("name"), TODAY).allowed
    # A section that cannot start yet sends the person to the task list.
    assert engine.can_visit(SERVICE, {}, Step("colour"), TODAY) == engine.Access(False, None)
    # Unknown pages and items that do not exist are not visitable.
    assert not engine.can_visit(SERVICE, {}, Step("nope"), TODAY).allowed
    answers = {"name": "Ann", "has_pet": "no"}
    access = engine.can_visit(SERVICE, answers, Step("friend_name", 5), TODAY)
    assert not access.allowed and access.redirect == Step("friend_name", 0)


def test_submit_saves_and_moves_on() -> None:
    result = post({}, Step("name"), {"name": "  Ann   Jones "})
    assert result.errors == []
    assert result.answers == {"name": "  Ann   Jones "}  # kept as typed
    assert result.next_step == Step("has_pet")
    assert (
        engine.section_status(SERVICE, result.answers, section("you"), TODAY) == Status.IN_PROGRESS
    )


def test_submit_with_errors_keeps_input_and_does_not_save() -> None:
    result = post({}, Step("name"), {"name": "Ann 123"})
    assert result.next_step is None
    assert result.answers == {}
    assert result.raws == {"name": "Ann 123"}
    assert [e.message for e in result.errors] == [
        "Name must only include letters a to z, hyphens, spaces and apostrophes"
    ]
    view = engine.page_view(SERVICE, {}, Step("name"), raws=result.raws, errors=result.errors)
    assert view.error_summary == [{"text": result.errors[0].message, "href": "#name"}]
    assert view.fields[0].params["value"] == "Ann 123"
    assert view.fields[0].params["errorMessage"] == {"text": result.errors[0].message}


def test_revealed_question_and_condition() -> None:
    answers = {"name": "Ann"}
    result = post(answers, Step("has_pet"), {"has_pet": "yes", "pet_name": ""})
    assert [e.message for e in result.errors] == ["Enter pet’s name"]
    result = post(answers, Step("has_pet"), {"has_pet": "yes", "pet_name": "Rex"})
    assert result.answers["pet_name"] == "Rex"
    assert result.next_step == Step("pet_kind")
    answers = result.answers
    # Changing the answer to 'no' drops the revealed answer and hides the conditional page.
    answers = post(answers, Step("has_pet"), {"has_pet": "no", "pet_name": "Rex"}).answers
    assert "pet_name" not in answers
    assert Step("pet_kind") not in engine.steps(SERVICE, answers, section("you"), TODAY)
    assert engine.next_page(SERVICE, answers, Step("has_pet"), TODAY) == Step("friend_name", 0)


def test_nested_field_params_for_conditional_reveal() -> None:
    view = engine.page_view(
        SERVICE, {"name": "Ann", "has_pet": "yes", "pet_name": "Rex"}, Step("has_pet")
    )
    radios = view.fields[0]
    assert radios.macro == "govukRadios"
    assert radios.params["fieldset"]["legend"]["isPageHeading"] is True
    child = radios.reveals["yes"][0]
    assert child.macro == "govukInput" and child.params["value"] == "Rex"
    assert child.params["label"].get("isPageHeading") is None
    params = radios.params_with({"yes": "<p>nested</p>"})
    assert params["items"][0]["conditional"] == {"html": "<p>nested</p>"}
    assert params["items"][0]["checked"] is True
    assert "conditional" not in radios.params["items"][0]  # the original is untouched


def test_repeating_group_add_change_remove() -> None:
    answers = {"name": "Ann", "has_pet": "no"}
    result = post(answers, Step("friend_name", 0), {"friend_name": "Bob"})
    assert result.answers["friends"] == [{"friend_name": "Bob"}]
    assert result.next_step == Step("friends_add_another")
    answers = result.answers
    view = engine.page_view(SERVICE, answers, Step("friends_add_another"))
    assert view.is_add_another and [(i.title, i.summary) for i in view.items] == [
        ("Friend 1", "Bob")
    ]
    # Saying yes goes to a new item page; it is visitable, a further one is not.
    result = post(answers, Step("friends_add_another"), {"friends_add_another": "yes"})
    assert result.next_step == Step("friend_name", 1)
    answers = result.answers
    assert engine.can_visit(SERVICE, answers, Step("friend_name", 1), TODAY).allowed
    assert not engine.can_visit(SERVICE, answers, Step("friend_name", 2), TODAY).allowed
    answers = post(answers, Step("friend_name", 1), {"friend_name": "Cy"}).answers
    assert "friends_add_another" not in answers  # the 'yes' has been acted on
    # Change an existing item.
    answers = post(answers, Step("friend_name", 0), {"friend_name": "Bobby"}).answers
    assert [f["friend_name"] for f in answers["friends"]] == ["Bobby", "Cy"]
    # Remove one.
    answers = engine.remove_item(answers, "friends", 0)
    assert answers["friends"] == [{"friend_name": "Cy"}]
    assert engine.remove_item(answers, "friends", 9)["friends"] == [{"friend_name": "Cy"}]
    # Saying no finishes the section.
    result = post(answers, Step("friends_add_another"), {"friends_add_another": "no"})
    assert result.next_step is None
    assert engine.section_status(SERVICE, result.answers, section("you"), TODAY) == Status.COMPLETED
    assert (
        engine.section_status(SERVICE, result.answers, section("more"), TODAY) == Status.NOT_STARTED
    )
    # Removing the last item makes the group need one again.
    emptied = engine.remove_item(result.answers, "friends", 0)
    assert engine.section_status(SERVICE, emptied, section("you"), TODAY) == Status.IN_PROGRESS
    assert engine.first_unanswered(SERVICE, emptied, today=TODAY) == Step("friend_name", 0)


def test_group_at_maximum_does_not_ask_again() -> None:
    answers = {
        "name": "Ann",
        "has_pet": "no",
        "friends": [{"friend_name": n} for n in ("A", "B", "C")],
    }
    view = engine.page_view(SERVICE, answers, Step("friends_add_another"))
    assert not view.can_add_more and view.fields == []
    result = post(answers, Step("friends_add_another"), {})
    assert result.errors == [] and result.next_step is None
    assert engine.section_status(SERVICE, result.answers, section("you"), TODAY) == Status.COMPLETED


def test_add_another_must_be_answered() -> None:
    answers = {"name": "Ann", "has_pet": "no", "friends": [{"friend_name": "A"}]}
    result = post(answers, Step("friends_add_another"), {"friends_add_another": "maybe"})
    assert result.errors and result.errors[0].href == "friends_add_another"


def test_whole_journey_to_complete_and_check_answers() -> None:
    answers: dict = {}
    forms = {
        Step("name"): {"name": "Ann"},
        Step("has_pet"): {"has_pet": "yes", "pet_name": "Rex"},
        Step("pet_kind"): {"pet_kind": "dog"},
        Step("friend_name", 0): {"friend_name": "Bob"},
        Step("friends_add_another"): {"friends_add_another": "no"},
        Step("colour"): {"colour": "Blue"},
    }
    visited = []
    for task in engine.task_list(SERVICE, answers, TODAY):
        step = engine.first_unanswered(SERVICE, answers, task.section, TODAY)
        while step is not None:
            assert engine.can_visit(SERVICE, answers, step, TODAY).allowed
            visited.append(step)
            result = post(answers, step, forms[step])
            assert result.errors == []
            answers, step = result.answers, result.next_step
    assert visited == list(forms)
    assert engine.is_complete(SERVICE, answers, TODAY)
    summary = engine.check_answers(SERVICE, answers, TODAY)
    assert [s.section_id for s in summary] == ["you", "more"]
    cards = summary[0].cards
    assert [(r.key, r.lines, r.page_id) for r in cards[0].rows] == [
        ("Name", ["Ann"], "name"),
        ("Do you have a pet?", ["Yes"], "has_pet"),
        ("Pet’s name", ["Rex"], "has_pet"),
        ("Kind of pet", ["Dog"], "pet_kind"),
    ]
    assert cards[1].title == "Friend 1" and cards[1].rows[0].index == 0


def test_check_answers_rows_for_the_summary_list() -> None:
    """Each answer line is escaped and the lines are joined by <br>; every row has a Change link
    whose hidden text is the row's key. (check.html hands these rows to govukSummaryList.)"""
    row = engine.Row("Address <b>", ["1 <High> St", "Leeds & York"], "home", "home_address")
    item = engine.Row("Friend", ["Bob"], "friend_name", "friend_name", 0)
    card = engine.Card(None, [row, item])
    rows = card.summary_list_rows(lambda r: f"/x/{r.page_id}/{r.index}", Markup("Change"))
    change = {"href": "/x/home/None", "text": "Change", "visuallyHiddenText": "Address <b>"}
    assert rows[0] == {
        "key": {"text": "Address <b>"},
        "value": {"html": Markup("1 &lt;High&gt; St<br>Leeds &amp; York")},
        "actions": {"items": [change]},
    }
    assert isinstance(rows[0]["value"]["html"], Markup)
    assert rows[1]["actions"]["items"][0]["href"] == "/x/friend_name/0"
    assert engine.Row("Empty", [""], "p", "q").value_html == Markup("")


def test_duplicate_ids_and_unknown_references_are_caught() -> None:
    start = StartInfo(summary=[], you_will_need=[], time_to_complete="")
    declaration = Declaration(statements=[], confirm="", error="")
    with pytest.raises(ValueError, match="used twice"):
        Service(
            "x",
            "X",
            [Section("a", "A", [Question("q", "Q?", Text()), Question("q", "Q?", Text())])],
            start,
            declaration,
        )
    with pytest.raises(ValueError, match="unknown question"):
        Service(
            "x",
            "X",
            [Section("a", "A", [Question("q", "Q?", Text(), condition=answer_is("nope", "yes"))])],
            start,
            declaration,
        )


def test_malformed_stored_answers_do_not_break_the_journey() -> None:
    answers = {"name": 42, "has_pet": ["yes"], "friends": "not a list", "pet_name": {"x": 1}}
    assert engine.first_unanswered(SERVICE, answers, today=TODAY) == Step("name")
    engine.check_answers(SERVICE, answers, TODAY)
    engine.task_list(SERVICE, answers, TODAY)
    answers = {"name": "Ann", "has_pet": "no", "friends": [None, "x"]}
    assert engine.first_unanswered(SERVICE, answers, today=TODAY) == Step("friend_name", 0)


def test_answers_changed_after_a_call_are_never_answered_from_an_old_walk() -> None:
    """Walks are reused for equal answers (webapp/engine/journey.py: _WalkCache); a caller that
    changes its dict in place must still get answers that match the dict as it is now."""
    journey._walks.clear()  # so that the next line makes the walk of these answers
    answers: dict = {"name": "Ann"}
    assert (
        context_for(SERVICE, answers, Step("name"), TODAY).raw("name") == "Ann"
    )  # a walk of these answers
    answers.update(
        {"has_pet": "no", "friends": [{"friend_name": "Bo"}], "friends_add_another": "no"}
    )
    assert engine.section_status(SERVICE, answers, section("you"), TODAY) == Status.COMPLETED
    assert engine.can_visit(SERVICE, answers, Step("colour"), TODAY).allowed
    # The first walk works from its own copy, so it still describes the first answers.
    assert (
        engine.section_status(SERVICE, {"name": "Ann"}, section("you"), TODAY) == Status.IN_PROGRESS
    )
    assert not engine.can_visit(SERVICE, {"name": "Ann"}, Step("colour"), TODAY).allowed


def test_a_walk_is_reused_only_for_the_same_answers_day_and_language() -> None:
    from webapp import i18n

    answers = {"name": "Ann"}
    first = context_for(SERVICE, answers, Step("name"), TODAY)
    assert context_for(SERVICE, dict(answers), Step("name"), TODAY) is first
    assert context_for(SERVICE, {"name": "Bea"}, Step("name"), TODAY) is not first
    assert context_for(SERVICE, answers, Step("name"), date(2026, 6, 2)) is not first
    token = i18n.set_locale("cy")
    try:  # a walk keeps parsed answers, whose error messages are in the language of the day
        assert context_for(SERVICE, answers, Step("name"), TODAY) is not first
    finally:
        i18n.reset_locale(token)


def test_answers_that_are_not_json_are_walked_without_caching() -> None:
    answers = {"name": "Ann", "odd": date(2020, 1, 1)}
    assert context_for(SERVICE, answers, Step("name"), TODAY) is not context_for(
        SERVICE, answers, Step("name"), TODAY
    )
    assert engine.can_visit(SERVICE, answers, Step("has_pet"), TODAY).allowed
