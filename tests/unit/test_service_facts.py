"""Facts a service declares and the platform only reads: its fee table (the start page and the
blank paper form list the same fees) and who to ask for at the force."""

from __future__ import annotations

from datetime import date

from webapp.engine.fields import Text
from webapp.engine.schema import Declaration, Question, Section, Service, StartInfo
from webapp.fees import Fee
from webapp.pdf.render import fee_lines
from webapp.services.firearm_certificate import SERVICE

ON = date(2025, 6, 1)


def other_service(**declared: object) -> Service:
    return Service(
        slug="another-service",
        title="Another service",
        sections=[Section("you", "About you", [Question("name", "Name", Text(), name="Name")])],
        start=StartInfo(
            summary=[],
            you_will_need=[],
            time_to_complete="",
            fees=lambda on: [Fee(2500, "Another fee")],
        ),
        declaration=Declaration(statements=[], confirm="I confirm", error="Confirm"),
        **declared,  # type: ignore[arg-type]
    )


def test_the_blank_form_lists_the_fees_any_service_declares() -> None:
    assert fee_lines(other_service(), ON) == [Fee(2500, "Another fee")]


def test_the_certificate_form_lists_the_fees_its_start_page_shows() -> None:
    assert SERVICE.start.fees is not None
    assert fee_lines(SERVICE, ON) == list(SERVICE.start.fees(ON))
    assert [fee.pence for fee in fee_lines(SERVICE, ON)] == [
        19800,
        13100,
        19400,
        12600,
        20200,
        15500,
    ]


def test_a_service_names_the_team_to_ask_for() -> None:
    assert SERVICE.team == "your police force’s firearms licensing team"
    assert str(SERVICE.unit_name) == "Firearms Licensing Unit"


def test_a_service_that_names_no_team_gets_a_neutral_wording() -> None:
    assert other_service().team == "the team that deals with your application"
    assert other_service(contact_team="the lost property office").team == "the lost property office"
