"""A service's case workflow, declared as data and checked as it is built: the firearms
workflow staff use today, and a different one (a report of a lost or stolen item: received,
reviewed, linked to the holder's record, closed) declared by a small service of the test's own."""

from __future__ import annotations

import pytest

from webapp.engine.fields import Address, Date, Email, Text
from webapp.engine.finding import Proof, SearchKeys
from webapp.engine.schema import Declaration, Question, Section, Service, StartInfo
from webapp.engine.workflow import RECEIVED, Move, State, Workflow, staff_names, tag_classes
from webapp.services import SERVICES
from webapp.services.firearm_certificate import SERVICE as CERTIFICATE
from webapp.store.staff import ROLES

STAFF = ("caseworker", "admin")

REPORT_WORKFLOW = Workflow(
    states=[
        State(RECEIVED, "Received", "We have received your report.", tag="blue"),
        State("reviewed", "Reviewed", "An officer has read your report.", tag="purple"),
        State(
            "linked", "Linked to holder's record", "Your report is on your record.", tag="turquoise"
        ),
        State(
            "closed", "Closed", "We have finished dealing with your report.", final=True, tag="grey"
        ),
    ],
    moves=[
        Move(RECEIVED, "reviewed", STAFF, needs_note=False),
        Move("reviewed", "linked", STAFF),
        Move("linked", "closed", STAFF),
        Move(RECEIVED, "closed", ("admin",)),  # a duplicate report, closed by an administrator
    ],
)


def report_service(slug: str = "report-something", **declared: object) -> Service:
    return Service(
        slug=slug,
        title="Report something",
        sections=[
            Section(
                "report",
                "Your report",
                [
                    Question("name", "Your name", Text(), name="Name"),
                    Question("email", "Email address", Email(), name="Email address"),
                    Question("where", "Where did it happen?", Address(), name="Where"),
                    Question("when", "When did it happen?", Date(when="past"), name="When"),
                ],
            )
        ],
        start=StartInfo(summary=[], you_will_need=[], time_to_complete=""),
        declaration=Declaration(statements=[], confirm="I confirm", error="Confirm"),
        **declared,  # type: ignore[arg-type]
    )


def test_the_certificate_workflow_is_todays() -> None:
    workflow = CERTIFICATE.workflow
    assert workflow is not None
    assert [(state.id, state.staff_name) for state in workflow.states] == [
        ("submitted", "Received"),
        ("medical_check", "Medical check"),
        ("referee_checks", "Referee checks"),
        ("home_visit", "Home visit"),
        ("granted", "Granted"),
        ("refused", "Refused"),
        ("withdrawn_before_checks", "Withdrawn before checks"),
        ("withdrawn", "Withdrawn"),
    ]
    targets = {
        state.id: [move.target for move in workflow.moves_from(state.id, "caseworker")]
        for state in workflow.states
    }
    assert targets == {
        "submitted": ["medical_check", "refused", "withdrawn_before_checks"],
        "medical_check": ["referee_checks", "refused", "withdrawn"],
        "referee_checks": ["home_visit", "refused", "withdrawn"],
        "home_visit": ["granted", "refused", "withdrawn"],
        "granted": [],
        "refused": [],
        "withdrawn_before_checks": [],
        "withdrawn": [],
    }
    # Only a withdrawal before any check began gives the fee back by the rules.
    assert [state.id for state in workflow.states if state.refundable] == [
        "withdrawn_before_checks"
    ]
    assert workflow.refundable("withdrawn_before_checks") and not workflow.refundable("withdrawn")
    assert all(
        move.needs_note and set(move.roles) == {"caseworker", "admin"} for move in workflow.moves
    )
    assert all(str(state.public_words) for state in workflow.states)


def test_a_different_workflow_declared_by_a_service() -> None:
    service = report_service(workflow=REPORT_WORKFLOW)
    workflow = service.workflow
    assert workflow is not None and workflow.initial.id == RECEIVED
    assert [move.target for move in workflow.moves_from(RECEIVED, "caseworker")] == ["reviewed"]
    assert [move.target for move in workflow.moves_from(RECEIVED, "admin")] == [
        "reviewed",
        "closed",
    ]
    assert workflow.move(RECEIVED, "closed", "caseworker") is None
    reviewed = workflow.move(RECEIVED, "reviewed", "caseworker")
    assert reviewed is not None and not reviewed.needs_note
    linked = workflow.move("reviewed", "linked", "caseworker")
    assert linked is not None and linked.needs_note
    assert workflow.moves_from("closed", "admin") == []
    assert workflow.staff_name("linked") == "Linked to holder's record"
    assert workflow.staff_name("no_longer_declared") == "no_longer_declared"


@pytest.mark.parametrize(
    ("states", "moves", "message"),
    [
        ([State("start", "Start", "x", final=True)], [], "first state must be 'submitted'"),
        (
            [State(RECEIVED, "Received", "x"), State(RECEIVED, "Again", "x", final=True)],
            [],
            "declared twice",
        ),
        (
            [State(RECEIVED, "Received", "x"), State("done", "Done", "x", final=True)],
            [Move(RECEIVED, "nowhere", STAFF)],
            "unknown state 'nowhere'",
        ),
        (
            [State(RECEIVED, "Received", "x"), State("done", "Done", "x", final=True)],
            [Move(RECEIVED, "done", STAFF), Move("done", RECEIVED, STAFF)],
            "move out of final state 'done'",
        ),
        (
            [
                State(RECEIVED, "Received", "x"),
                State("done", "Done", "x", final=True),
                State("orphan", "Orphan", "x", final=True),
            ],
            [Move(RECEIVED, "done", STAFF)],
            "'orphan' cannot be reached",
        ),
        (
            [State(RECEIVED, "Received", "x"), State("stuck", "Stuck", "x")],
            [Move(RECEIVED, "stuck", STAFF)],
            "no move leaves 'stuck'",
        ),
        (
            [State(RECEIVED, "Received", "x"), State("done", "Done", "x", final=True)],
            [Move(RECEIVED, "done", ())],
            "names no role",
        ),
        (
            [State(RECEIVED, "Received", "x"), State("done", "Done", "x", final=True)],
            [Move(RECEIVED, "done", STAFF), Move(RECEIVED, "done", ("admin",))],
            "declared twice",
        ),
        (
            [State(RECEIVED, "Received", "x", tag="mauve"), State("done", "Done", "x", final=True)],
            [Move(RECEIVED, "done", STAFF)],
            "unknown tag colour",
        ),
    ],
)
def test_a_workflow_with_a_mistake_is_refused_as_it_is_built(
    states: list[State], moves: list[Move], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Workflow(states=states, moves=moves)


def test_every_declared_role_is_a_staff_role() -> None:
    for service in SERVICES.values():
        if service.workflow is not None:
            assert service.workflow.roles() <= set(ROLES), service.slug


def test_states_across_services_keep_one_name_each() -> None:
    names = staff_names([CERTIFICATE.workflow, REPORT_WORKFLOW])  # type: ignore[list-item]
    assert (
        names["submitted"] == "Received"
        and names["closed"] == "Closed"
        and names["granted"] == "Granted"
    )
    assert tag_classes([REPORT_WORKFLOW])["linked"] == "govuk-tag--turquoise"
    assert staff_names(service.workflow for service in SERVICES.values() if service.workflow)
    clashing = Workflow(
        states=[State(RECEIVED, "New", "x"), State("closed", "Closed", "x", final=True)],
        moves=[Move(RECEIVED, "closed", STAFF)],
    )
    with pytest.raises(ValueError, match="called both 'Received' and 'New'"):
        staff_names([REPORT_WORKFLOW, clashing])


def test_search_keys_and_identity_are_declared_answers() -> None:
    assert CERTIFICATE.search_keys == SearchKeys(
        surname="surname", postcode="home_address", date_of_birth="date_of_birth"
    )
    assert [proof.answer for proof in CERTIFICATE.identity] == ["date_of_birth"]
    service = report_service(search_keys=SearchKeys(postcode="where"), identity=[Proof("email")])
    assert service.search_keys.answers() == ["where"]
    with pytest.raises(ValueError, match="search key is unknown question 'surname'"):
        report_service(search_keys=SearchKeys(surname="surname"))
    with pytest.raises(ValueError, match="identity is unknown question 'date_of_birth'"):
        report_service(identity=[Proof("date_of_birth")])
