"""A service's declared flow: what it is made of, what is refused when the service is built,
and where a draft stands in it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from webapp.engine import Step, flow, navigation
from webapp.engine.conditions import answer_is
from webapp.engine.fields import YES, Address, Text, YesNo
from webapp.engine.schema import Declaration, Question, RepeatingGroup, Section, Service, StartInfo
from webapp.services import SERVICES

DECLARATION = Declaration(statements=["True."], confirm="I confirm", error="Confirm")
START = StartInfo(summary=["A test."], you_will_need=[], time_to_complete="A minute.")


def sections() -> list[Section]:
    return [
        Section(
            "about",
            "About",
            [
                Question("where_found", "Where was it found?", Address(), name="Where found"),
                Question("what", "What is it?", Text(), name="What"),
                RepeatingGroup(
                    "things",
                    "Things",
                    "thing",
                    [Question("thing", "Thing?", Text(), name="Thing")],
                    summary="thing",
                    add_another="Another thing?",
                ),
            ],
        ),
        Section("more", "More", [Question("more", "More?", Text(), name="More")]),
    ]


def danger() -> flow.Eligibility:
    return flow.Eligibility(
        questions=[Question("danger", "Is anyone in danger?", YesNo(), name="Danger")],
        exits=[
            flow.Exit(
                "call",
                answer_is("danger", YES),
                reason="someone is in danger",
                instead=["Call 999."],
            )
        ],
    )


def build(stages: Sequence[flow.Stage]) -> Service:
    return Service(
        slug="test",
        title="Test",
        sections=sections(),
        start=START,
        declaration=DECLARATION,
        flow=flow.Flow(stages),
    )


def report() -> list[flow.Stage]:
    return [
        danger(),
        flow.ForceRouting(),
        flow.Questions(layout="straight_run"),
        flow.CheckAnswers(),
        flow.Declaration(),
        flow.Confirmation(),
    ]


def kinds(service: Service) -> list[str]:
    return [stage.kind for stage in service.flow]


def test_firearms_declares_the_application_flow() -> None:
    service = SERVICES["firearm-certificate"]
    assert kinds(service) == [
        "force",
        "questions",
        "check",
        "declaration",
        "payment",
        "confirmation",
    ]
    assert service.flow.questions.is_task_list
    assert service.flow.force_routing.from_answer is None


def test_the_report_is_a_straight_run_after_an_eligibility_question() -> None:
    service = SERVICES["report-lost-or-stolen"]
    assert kinds(service) == [
        "eligibility",
        "force",
        "questions",
        "check",
        "declaration",
        "confirmation",
    ]
    assert not service.flow.questions.is_task_list
    assert service.fee is None


def test_eligibility_questions_are_a_section_asked_first() -> None:
    service = build(report())
    assert [section.id for section in service.sections] == ["eligibility", "about", "more"]
    assert service.questions["danger"].page.id == "danger"
    assert navigation.stage_of_page(service, "danger").kind == "eligibility"
    assert navigation.stage_of_page(service, "more").kind == "questions"


def test_a_service_without_a_flow_gets_the_application_flow() -> None:
    service = Service(
        slug="plain", title="Plain", sections=sections(), start=START, declaration=DECLARATION
    )
    assert kinds(service) == ["force", "questions", "check", "declaration", "confirmation"]


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        (
            [
                flow.ForceRouting(),
                flow.CheckAnswers(),
                flow.Questions(),
                flow.Declaration(),
                flow.Confirmation(),
            ],
            "out of order",
        ),
        (
            [flow.ForceRouting(), flow.Questions(), flow.CheckAnswers(), flow.Confirmation()],
            "no 'declaration'",
        ),
        (
            [
                flow.ForceRouting(),
                flow.Questions(),
                flow.Questions(),
                flow.CheckAnswers(),
                flow.Declaration(),
                flow.Confirmation(),
            ],
            "more than one 'questions'",
        ),
        (
            [
                flow.ForceRouting(),
                flow.Questions(),
                flow.CheckAnswers(),
                flow.Confirmation(),
                flow.Declaration(),
            ],
            "out of order",
        ),
        (
            [
                flow.Questions(),
                flow.ForceRouting(),
                flow.CheckAnswers(),
                flow.Declaration(),
                flow.Confirmation(),
            ],
            "page must come before",
        ),
        (
            [flow.Questions(), flow.CheckAnswers(), flow.Declaration(), flow.Confirmation()],
            "no 'force'",
        ),
        (
            [
                flow.ForceRouting(),
                flow.Questions(),
                danger(),
                flow.CheckAnswers(),
                flow.Declaration(),
                flow.Confirmation(),
            ],
            "out of order",
        ),
        (
            [
                flow.ForceRouting(),
                flow.Questions(),
                flow.CheckAnswers(),
                flow.Payment(),
                flow.Declaration(),
                flow.Confirmation(),
            ],
            "out of order",
        ),
        (
            [
                flow.ForceRouting(),
                flow.Questions(),
                flow.CheckAnswers(),
                flow.Declaration(),
                flow.Payment(),
                flow.Confirmation(),
            ],
            "needs the service's fee rule",
        ),
        (
            [
                flow.ForceRouting(from_list=True, from_answer="postcode"),
                flow.Questions(),
                flow.CheckAnswers(),
                flow.Declaration(),
                flow.Confirmation(),
            ],
            "from a list or from an answer, not both",
        ),
        (
            [
                flow.ForceRouting(question="Which force?"),
                flow.Questions(),
                flow.CheckAnswers(),
                flow.Declaration(),
                flow.Confirmation(),
            ],
            "only a force chosen from a list",
        ),
        (
            [
                flow.Questions(),
                flow.ForceRouting(from_list=True),
                flow.CheckAnswers(),
                flow.Declaration(),
                flow.Confirmation(),
            ],
            "page must come before",
        ),
    ],
)
def test_a_flow_that_could_not_work_is_refused(stages: list[flow.Stage], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build(stages)


def test_an_exit_must_read_an_eligibility_question() -> None:
    stray = flow.Eligibility(
        questions=[Question("danger", "Danger?", YesNo(), name="Danger")],
        exits=[flow.Exit("call", answer_is("what", "gun"), reason="r", instead=["Call 999."])],
    )
    with pytest.raises(ValueError, match="not an eligibility question"):
        build(
            [
                stray,
                flow.ForceRouting(),
                flow.Questions(),
                flow.CheckAnswers(),
                flow.Declaration(),
                flow.Confirmation(),
            ]
        )


def routed_from(answer: str, position: int = 1) -> list[flow.Stage]:
    stages: list[flow.Stage] = [
        flow.Questions(layout="straight_run"),
        flow.CheckAnswers(),
        flow.Declaration(),
        flow.Confirmation(),
    ]
    stages.insert(position, flow.ForceRouting(from_answer=answer))
    return stages


def test_the_force_can_come_from_an_answer_asked_before_it() -> None:
    service = build(routed_from("where_found"))
    assert service.flow.force_routing.from_answer == "where_found"


@pytest.mark.parametrize(
    ("answer", "position", "message"),
    [
        ("nowhere", 1, "unknown question"),
        ("thing", 1, "repeating group"),
        ("where_found", 0, "asked after it"),
    ],
)
def test_routing_from_an_answer_is_checked(answer: str, position: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build(routed_from(answer, position))


def test_routing_from_an_answer_without_a_postcode_is_refused() -> None:
    stages = routed_from("danger")
    with pytest.raises(ValueError, match="holds no postcode"):
        build([danger(), *stages])


def confirmed_with(routing: flow.ForceRouting) -> list[flow.Stage]:
    return [
        routing,
        flow.Questions(layout="straight_run"),
        flow.CheckAnswers(),
        flow.Declaration(),
        flow.Confirmation(),
    ]


def test_a_later_answer_can_confirm_the_force() -> None:
    service = build(confirmed_with(flow.ForceRouting(confirm_with="where_found")))
    assert service.flow.force_routing.confirm_with == "where_found"


@pytest.mark.parametrize(
    ("routing", "message"),
    [
        (flow.ForceRouting(confirm_with="nowhere"), "unknown question"),
        (flow.ForceRouting(confirm_with="thing"), "repeating group"),
        (flow.ForceRouting(confirm_with="what"), "holds no postcode"),
        (
            flow.ForceRouting(from_answer="where_found", confirm_with="where_found"),
            "only a force chosen from the postcode page has an answer to confirm it",
        ),
    ],
)
def test_the_answer_confirming_the_force_is_checked(
    routing: flow.ForceRouting, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build(confirmed_with(routing))


def progress(answers: dict[str, Any], force: bool = False) -> flow.Progress:
    return flow.Progress(answers, force_chosen=force)


ANSWERED = {
    "danger": "no",
    "where_found": {"line1": "1 High St", "town": "Leeds", "postcode": "LS1 1UR"},
    "what": "A bag",
    "things": [{"thing": "Keys"}],
    "things_add_another": "no",
    "more": "No",
}


def test_where_a_draft_stands() -> None:
    service = build(report())
    assert navigation.next_unsatisfied(service, progress({})).kind == "eligibility"
    assert navigation.next_unsatisfied(service, progress({"danger": "yes"})).kind == "eligibility"
    assert service.flow.eligibility is not None
    assert service.flow.eligibility.exit_for(service, progress({"danger": "yes"})) is not None
    assert navigation.next_unsatisfied(service, progress({"danger": "no"})).kind == "force"
    assert (
        navigation.next_unsatisfied(service, progress({"danger": "no"}, force=True)).kind
        == "questions"
    )
    assert navigation.next_unsatisfied(service, progress(ANSWERED, force=True)).kind == "check"
    declaration = service.flow.of_kind("declaration")
    assert declaration is not None
    assert navigation.blocking(service, declaration, progress(ANSWERED, force=True)) is None
    blocker = navigation.blocking(
        service, declaration, progress({**ANSWERED, "danger": "yes"}, force=True)
    )
    assert blocker is not None and blocker.kind == "eligibility"


def test_a_task_list_is_the_hub_of_its_flow() -> None:
    service = build(
        [
            flow.ForceRouting(),
            flow.Questions(),
            flow.CheckAnswers(),
            flow.Declaration(),
            flow.Confirmation(),
        ]
    )
    assert navigation.next_unsatisfied(service, progress(ANSWERED, force=True)).kind == "questions"


def test_a_straight_run_goes_page_by_page_across_sections() -> None:
    service = build(report())
    stage = service.flow.questions
    state = progress(ANSWERED, force=True)
    assert navigation.run_steps(service, stage, state) == [
        Step("where_found"),
        Step("what"),
        Step("thing", 0),
        Step("things_add_another"),
        Step("more"),
    ]
    assert navigation.previous_step(service, stage, state, Step("more")) == Step(
        "things_add_another"
    )
    assert navigation.previous_step(service, stage, state, Step("where_found")) is None
    half = progress({"danger": "no", "where_found": ANSWERED["where_found"]}, force=True)
    assert navigation.run_access(service, stage, half, Step("more")) == navigation.RunAccess(
        False, Step("what")
    )
    assert navigation.run_access(service, stage, half, Step("what")).allowed


def test_confirmation_notes_follow_the_answers() -> None:
    service = SERVICES["report-lost-or-stolen"]
    confirmation = service.flow.confirmation
    assert confirmation.notes_for(service, {"lost_items": ["certificate"]})
    assert not confirmation.notes_for(service, {"lost_items": ["ammunition"]})


def test_a_page_links_only_to_a_guide_the_service_declares() -> None:
    from webapp.engine.schema import Guide, GuidePart, Page

    guide = Guide("helpers", "Guidance for helpers", [GuidePart(["Thank you."])])
    linked = [
        Section("s", "S", [Page("p", [Question("q", "Q?", Text(), name="Q")], guide="helpers")])
    ]
    service = Service(
        slug="guided",
        title="T",
        sections=linked,
        start=START,
        declaration=DECLARATION,
        guides=[guide],
    )
    assert service.guide("helpers") is guide and service.guide("other") is None
    with pytest.raises(ValueError, match="unknown guide 'helpers'"):
        Service(slug="unguided", title="T", sections=linked, start=START, declaration=DECLARATION)
    with pytest.raises(ValueError, match="a guide is declared twice"):
        Service(
            slug="twice",
            title="T",
            sections=linked,
            start=START,
            declaration=DECLARATION,
            guides=[guide, guide],
        )
