"""The firearm and shotgun certificate service (Form 201): a full journey and its cross-field rules."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

from tests.support.firearms import COMPLETE, Form, address, form_for, referee
from webapp import engine
from webapp.engine import Status, Step
from webapp.services.firearm_certificate import SERVICE

TODAY = date(2026, 6, 1)


def answers(**changes: Any) -> dict[str, Any]:
    result = copy.deepcopy(COMPLETE)
    result.update(changes)
    return result


def statuses(data: dict[str, Any]) -> dict[str, Status]:
    return {task.section.id: task.status for task in engine.task_list(SERVICE, data, TODAY)}


def test_complete_answers_are_complete() -> None:
    assert engine.first_unanswered(SERVICE, COMPLETE, today=TODAY) is None
    assert set(statuses(COMPLETE).values()) == {Status.COMPLETED}
    assert engine.is_complete(SERVICE, COMPLETE, TODAY)
    json.dumps(COMPLETE)  # the answers are plain JSON


def test_fee_for_the_answers() -> None:
    fee = SERVICE.fee(engine.Context(SERVICE, COMPLETE, TODAY), TODAY)  # type: ignore[misc]
    assert fee.pence == 20200  # FAC grant + SGC renewal, coterminous
    separate = SERVICE.fee(engine.Context(SERVICE, answers(coterminous="no"), TODAY), TODAY)  # type: ignore[misc]
    assert separate.pence == 19800 + 12600
    only_fac = SERVICE.fee(engine.Context(SERVICE, answers(certificates=["fac"]), TODAY), TODAY)  # type: ignore[misc]
    assert only_fac.pence == 19800


def test_sections_depend_on_what_you_are_applying_for() -> None:
    state = statuses({})
    assert state["application"] == Status.NOT_STARTED
    assert state["about_you"] == Status.CANNOT_START_YET
    assert "firearms" not in state and "shotguns" not in state  # nothing chosen yet
    only_sgc = answers(certificates=["sgc"])
    assert "firearms" not in statuses(only_sgc)
    assert engine.is_complete(SERVICE, only_sgc, TODAY)  # firearms answers are simply ignored


def test_whole_journey_through_every_page() -> None:
    """Walk the service page by page through submit(), answering from COMPLETE, to 'complete'."""
    data: dict[str, Any] = {}
    visited = []
    for _ in range(200):
        step = engine.first_unanswered(SERVICE, data, today=TODAY)
        if step is None:
            break
        while step is not None:
            assert engine.can_visit(SERVICE, data, step, TODAY).allowed, step
            visited.append(step)
            engine.page_view(SERVICE, data, step, today=TODAY)
            result = engine.submit(SERVICE, data, step, form_for(step), today=TODAY)
            assert result.errors == [], (step, result.errors)
            data, step = result.answers, result.next_step
    assert engine.is_complete(SERVICE, data, TODAY)
    assert len(visited) == len(set(visited)) > 55  # every page once, none skipped
    summary = engine.check_answers(SERVICE, data, TODAY)
    rows = {row.question_id: row for s in summary for card in s.cards for row in card.rows}
    assert rows["date_of_birth"].lines == ["3 February 1980"]
    assert rows["mobile_phone"].lines == ["07700 900982"]
    assert rows["home_address"].lines == ["1 High Street", "Leeds", "LS1 1UR"]
    assert rows["height"].lines == ["170 cm"]
    assert rows["home_phone"].lines == ["Not provided"]
    titles = [card.title for s in summary for card in s.cards if card.title]
    assert "Referee 2" in titles and "Firearm 1" in titles


def test_renewal_needs_current_certificate_details() -> None:
    data = answers(fac_kind="renewal")
    assert statuses(data)["application"] == Status.IN_PROGRESS
    assert engine.first_unanswered(SERVICE, data, today=TODAY) == Step("fac_current")
    result = engine.submit(
        SERVICE, data, Step("fac_current"), {"fac_number": "", "fac_expiry-day": "1"}, today=TODAY
    )
    assert [e.message for e in result.errors] == [
        "Enter your firearm certificate number",
        "Firearm certificate expiry date must include a month and year",
    ]
    result = engine.submit(
        SERVICE,
        data,
        Step("fac_current"),
        {
            "fac_number": "FA/99",
            "fac_expiry-day": "1",
            "fac_expiry-month": "1",
            "fac_expiry-year": "2026",
        },
        today=TODAY,
    )
    assert [e.message for e in result.errors] == [
        "Firearm certificate expiry date must be today or in the future"
    ]
    result = engine.submit(
        SERVICE,
        data,
        Step("fac_current"),
        {
            "fac_number": "FA/99",
            "fac_expiry-day": "1",
            "fac_expiry-month": "12",
            "fac_expiry-year": "2026",
        },
        today=TODAY,
    )
    assert result.errors == []
    assert engine.is_complete(SERVICE, result.answers, TODAY)
    # The rule itself, should the page's own checks ever be bypassed:
    rule = next(r for r in SERVICE.rules if r.page == "fac_current")
    assert (
        rule.check(engine.Context(SERVICE, data, TODAY))
        == "Enter your current firearm certificate number and expiry date"
    )


def test_address_history_gap_is_detected() -> None:
    gap = answers(
        previous_addresses=[
            {**COMPLETE["previous_addresses"][0], "previous_to": {"month": "6", "year": "2022"}}
        ]
    )
    result = engine.submit(
        SERVICE,
        gap,
        Step("previous_addresses_add_another"),
        {"previous_addresses_add_another": "no"},
        today=TODAY,
    )
    assert [e.message for e in result.errors] == [
        "There is a gap in your addresses between June 2022 and March 2023. Add where you lived then, or change the dates"
    ]
    assert result.errors[0].href == "previous_addresses_add_another"
    assert statuses(gap)["about_you"] == Status.IN_PROGRESS
    # Saying 'yes, add another' is always allowed, so the gap can be filled.
    more = engine.submit(
        SERVICE,
        gap,
        Step("previous_addresses_add_another"),
        {"previous_addresses_add_another": "yes"},
        today=TODAY,
    )
    assert more.errors == [] and more.next_step == Step("previous_address", 1)


def test_address_history_must_reach_back_5_years() -> None:
    short = answers(
        previous_addresses=[
            {**COMPLETE["previous_addresses"][0], "previous_from": {"month": "1", "year": "2022"}}
        ]
    )
    result = engine.submit(
        SERVICE,
        short,
        Step("previous_addresses_add_another"),
        {"previous_addresses_add_another": "no"},
        today=TODAY,
    )
    assert [e.message for e in result.errors] == [
        "Your addresses must cover the last 5 years. Add where you lived before January 2022"
    ]


def test_address_history_covered_by_two_addresses() -> None:
    two = answers(
        previous_addresses=[
            {**COMPLETE["previous_addresses"][0], "previous_from": {"month": "5", "year": "2020"}},
            {
                "previous_address": address("3 Low Road", "Hull", "HU1 1AA"),
                "previous_from": {"month": "1", "year": "2015"},
                "previous_to": {"month": "4", "year": "2020"},
            },
        ]
    )
    assert statuses(two)["about_you"] == Status.COMPLETED


def test_no_previous_addresses_needed_after_5_years() -> None:
    settled = answers(moved_in={"month": "1", "year": "2010"}, previous_addresses=[])
    assert statuses(settled)["about_you"] == Status.COMPLETED
    steps = engine.steps(SERVICE, settled, SERVICE.section("about_you"), TODAY)
    assert all(step.page_id != "previous_address" for step in steps)


def test_previous_address_dates_in_order() -> None:
    result = engine.submit(
        SERVICE,
        COMPLETE,
        Step("previous_address_dates", 0),
        {
            "previous_from-month": "5",
            "previous_from-year": "2023",
            "previous_to-month": "1",
            "previous_to-year": "2020",
        },
        today=TODAY,
    )
    assert [e.message for e in result.errors] == [
        "The date you moved out must be after the date you moved in"
    ]


def test_referee_must_have_known_you_2_years() -> None:
    form = {"referee_years": "1", "referee_how": "Work"}
    result = engine.submit(SERVICE, COMPLETE, Step("referee_known", 1), form, today=TODAY)
    assert [(e.message, e.href) for e in result.errors] == [
        ("Your referee must have known you for at least 2 years", "referee_years")
    ]
    result = engine.submit(
        SERVICE, COMPLETE, Step("referee_known", 1), {**form, "referee_years": "2"}, today=TODAY
    )
    assert result.errors == []
    stored = answers(referees=[referee("Bob Lee", "12"), referee("Cara Singh", "1")])
    assert statuses(stored)["referees"] == Status.IN_PROGRESS


def test_exactly_two_referees() -> None:
    one = answers(referees=[referee("Bob Lee", "12")])
    assert engine.first_unanswered(SERVICE, one, today=TODAY) == Step("referee_details", 1)
    # After the second referee the list is full: no 'add another' question, the page just continues.
    view = engine.page_view(SERVICE, COMPLETE, Step("referees_add_another"), today=TODAY)
    assert not view.can_add_more and len(view.items) == 2


def test_held_firearm_needs_its_serial_number() -> None:
    item = {
        k: v
        for k, v in COMPLETE["firearms"][0].items()
        if not k.startswith("firearm_")
        or k
        in ("firearm_status", "firearm_type", "firearm_calibre", "firearm_reason", "firearm_where")
    }
    data = answers(firearms=[item])
    assert engine.first_unanswered(SERVICE, data, today=TODAY) == Step("firearm_identity", 0)
    wanted = answers(firearms=[{**item, "firearm_status": "wanted"}])
    assert statuses(wanted)["firearms"] == Status.COMPLETED


def test_health_condition_details_are_revealed_and_required() -> None:
    form = Form(conditions=["depression"])
    result = engine.submit(SERVICE, COMPLETE, Step("conditions"), form, today=TODAY)
    assert [e.message for e in result.errors] == ["Enter details of ‘Depression or anxiety’"]
    assert result.errors[0].href == "health_depression_details"
    form["health_depression_details"] = "Treated in 2015, no problems since"
    result = engine.submit(SERVICE, COMPLETE, Step("conditions"), form, today=TODAY)
    assert result.errors == [] and result.answers["health_depression_details"].startswith("Treated")
    view = engine.page_view(SERVICE, result.answers, Step("conditions"), today=TODAY)
    assert view.fields[0].reveals["depression"][0].params["value"].startswith("Treated")


def test_convictions_page_warns_about_prohibition() -> None:
    view = engine.page_view(SERVICE, COMPLETE, Step("convictions_intro"), today=TODAY)
    assert view.warning and "3 years or more in prison" in view.warning
    assert not view.heading_in_field  # the page has its own h1 above the warning
    data = answers(has_convictions="yes")
    assert engine.first_unanswered(SERVICE, data, today=TODAY) == Step("conviction", 0)


def _referee_address(line1: str, town: str, postcode: str) -> dict[str, str]:
    return {
        "referee_address-line1": line1,
        "referee_address-town": town,
        "referee_address-postcode": postcode,
    }


def test_referees_must_be_two_different_people() -> None:
    first = referee("Bob Lee", "12")
    # The second referee is given the same name, then the first referee's address again
    # (written differently): refused on the second referee's address page.
    stored = answers(referees=[first, {**referee("bob  lee", "5")}])
    same = _referee_address("2 mill lane", "YORK", "yo17hh")
    result = engine.submit(SERVICE, stored, Step("referee_address", 1), same, today=TODAY)
    assert [(e.message, e.href) for e in result.errors] == [
        (
            "Your referees must be 2 different people: you have given the same name and "
            "address for both",
            "referee_address-line1",
        )
    ]
    assert statuses(stored)["referees"] == Status.IN_PROGRESS
    # Same address, another person (a couple living together): fine. So is the same name elsewhere.
    other = answers(referees=[first, referee("Ann Lee", "5")])
    assert engine.submit(SERVICE, other, Step("referee_address", 1), same, today=TODAY).errors == []
    elsewhere = _referee_address("9 Low Road", "Leeds", "LS1 1UR")
    assert (
        engine.submit(SERVICE, stored, Step("referee_address", 1), elsewhere, today=TODAY).errors
        == []
    )
    # The first referee never carries the error.
    assert (
        engine.submit(SERVICE, stored, Step("referee_address", 0), same, today=TODAY).errors == []
    )


def test_a_referee_must_live_in_great_britain() -> None:
    refused = (
        "Your referee must live in Great Britain (England, Scotland or Wales). Someone who lives "
        "in Northern Ireland, the Isle of Man or the Channel Islands cannot be your referee"
    )
    for postcode in ("BT1 1AA", "bt71 4nn", "IM1 1AA", "JE2 3AB"):
        form = _referee_address("1 Main Street", "Town", postcode)
        result = engine.submit(SERVICE, COMPLETE, Step("referee_address", 1), form, today=TODAY)
        assert [e.message for e in result.errors] == [refused], postcode
    for postcode in ("EH1 1AA", "CF10 1AA", "LS1 1UR", "TD15 1AA"):  # Scotland and Wales are GB
        form = _referee_address("1 Main Street", "Town", postcode)
        result = engine.submit(SERVICE, COMPLETE, Step("referee_address", 1), form, today=TODAY)
        assert result.errors == [], postcode
    northern_ireland = answers(
        referees=[
            COMPLETE["referees"][0],
            {
                **COMPLETE["referees"][1],
                "referee_address": address("1 Main St", "Belfast", "BT1 1AA"),
            },
        ]
    )
    assert statuses(northern_ireland)["referees"] == Status.IN_PROGRESS


def test_each_referee_is_confirmed_eligible_and_willing() -> None:
    view = engine.page_view(SERVICE, COMPLETE, Step("referee_checks", 0), today=TODAY)
    text = " ".join(str(option) for field in view.fields for option in [field.question.label])
    assert "Who cannot be your referee" in text
    exclusions = str(SERVICE.questions["referee_not_excluded"].question.field.options[0].label)  # type: ignore[attr-defined]
    for excluded in (
        "my family",
        "serving police officer",
        "police staff",
        "Police and Crime Commissioner or a member of their staff",
        "registered firearms dealer or one of their staff",
    ):
        assert excluded in exclusions
    result = engine.submit(SERVICE, COMPLETE, Step("referee_checks", 1), {}, today=TODAY)
    assert [e.message for e in result.errors] == [
        "Select to confirm this referee is not someone who cannot be a referee",
        "Select to confirm this referee has agreed to give you a reference",
    ]
    unconfirmed = copy.deepcopy(COMPLETE)
    del unconfirmed["referees"][1]["referee_agreed"]
    assert statuses(unconfirmed)["referees"] == Status.IN_PROGRESS
    assert engine.first_unanswered(SERVICE, unconfirmed, today=TODAY) == Step("referee_checks", 1)
