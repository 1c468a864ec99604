"""Each field type carries its own behaviour: how it is validated, where an error links to, how
it looks on paper and in the PDF copy. The two types added last, a date and time and a choice
read at run time, are one module each and work everywhere with no other edit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from webapp import engine
from webapp.engine import Step
from webapp.engine.fields import (
    Address,
    Checkboxes,
    Date,
    DateTime,
    Field,
    FileUpload,
    Option,
    Radios,
    RuntimeRadios,
    Text,
    TextArea,
    facts_key,
    run_time_facts,
)
from webapp.engine.journey import first_input_id
from webapp.engine.schema import Declaration, Question, Section, Service, StartInfo
from webapp.pdf.layout import form_layout, walk_slots
from webapp.pdf.summary import answers_view
from webapp.templating import create_environment

TODAY = date(2026, 12, 7)
WHEN = {"day": "5", "month": "12", "year": "2026", "hour": "14", "minute": "30"}


def stations(facts: Any) -> list[Option] | None:
    places = facts.get("places")
    return None if places is None else [Option(place, place) for place in places]


def make_service() -> Service:
    return Service(
        slug="reports",
        title="Report something",
        sections=[
            Section(
                "what",
                "What happened",
                [
                    Question(
                        "when",
                        "When did it happen?",
                        DateTime(when="past_or_today"),
                        name="Date and time",
                    ),
                    Question(
                        "station",
                        "Which police station will you go to?",
                        RuntimeRadios(read_options=stations),
                        name="Police station",
                    ),
                ],
            )
        ],
        start=StartInfo(summary=[], you_will_need=[], time_to_complete="5 minutes"),
        declaration=Declaration(statements=[], confirm="I confirm", error="Confirm"),
    )


SERVICE = make_service()


def question(question_id: str) -> Question:
    return SERVICE.questions[question_id].question


def render(view: engine.PageView) -> str:
    template = create_environment().from_string(
        '{% from "components/fields.html" import render_field %}'
        "{% for f in fields %}{{ render_field(f) }}{% endfor %}"
    )
    return template.render(fields=view.fields)


# -- every type answers for itself ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "anchor"),
    [
        (Text(), "q"),
        (TextArea(), "q"),
        (Radios((Option("a", "A"),)), "q"),
        (Checkboxes((Option("a", "A"),)), "q"),
        (FileUpload(), "q"),
        (Date(), "q-day"),
        (Date(day=False), "q-month"),
        (Address(), "q-line1"),
        (DateTime(), "q-day"),
    ],
)
def test_error_anchor_is_the_first_input(field: Field, anchor: str) -> None:
    assert field.error_anchor("q") == anchor


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        (Text(), "Ann"),
        (Date(), {"day": "1", "month": "2", "year": "2000"}),
        (Address(), {"line1": "1", "line2": "", "town": "Ely", "county": "", "postcode": "CB7"}),
        (Checkboxes((Option("a", "A"), Option("b", "B"))), ["a", "b"]),
        (DateTime(), WHEN),
    ],
)
def test_form_data_is_what_a_person_posts_to_give_the_answer(field: Field, raw: Any) -> None:
    class Form(dict[str, Any]):
        def getlist(self, key: str) -> list[Any]:
            value = self.get(key, [])
            return value if isinstance(value, list) else [value]

    q = Question("q", "Question?", field)
    assert field.raw_from_form(q, Form(field.form_data(q, raw))) == raw
    assert field.form_data(q, None) == {}


def test_pdf_roles_belong_to_the_type() -> None:
    assert TextArea().summary_wide and FileUpload().summary_wide and not Text().summary_wide
    assert Text().paper_table_cell and Date().paper_table_cell and DateTime().paper_table_cell
    assert not TextArea().paper_table_cell and not Address().paper_table_cell
    assert FileUpload().is_upload and not Text().is_upload


def test_a_choice_words_its_own_condition_on_paper() -> None:
    ticks = Checkboxes((Option("a", "Apples"),))
    assert ticks.chosen_clause("Apples", "1.2") == "you ticked ‘Apples’ at 1.2"
    assert Radios((Option("a", "A"),)).chosen_clause("A", "1.2") == "you answered ‘A’ at 1.2"
    assert ticks.option_label("a") == "Apples" and ticks.option_label("z") is None
    assert Text().option_label("a") is None and Text().paper_choices("a") == ()


# -- a date and time ----------------------------------------------------------------------------


def parse_when(raw: Any) -> tuple[Any, list[tuple[str, str]]]:
    parsed = question("when").field.parse(question("when"), raw, TODAY)
    return parsed.value, [(error.message, error.href) for error in parsed.errors]


def test_date_time_valid() -> None:
    assert parse_when(WHEN) == (datetime(2026, 12, 5, 14, 30), [])
    assert parse_when({**WHEN, "month": "dec", "hour": "0", "minute": "05"})[0] == datetime(
        2026, 12, 5, 0, 5
    )
    assert parse_when(WHEN)[0].isoformat() == "2026-12-05T14:30:00"


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (dict.fromkeys(WHEN, ""), [("Enter date and time", "when-day")]),
        ({"hour": "", "minute": ""}, [("Date and time must include a time", "when-hour")]),
        ({"minute": ""}, [("Date and time must include a minute", "when-minute")]),
        ({"hour": ""}, [("Date and time must include an hour", "when-hour")]),
        ({"hour": "24"}, [("Date and time must be a real time", "when-hour")]),
        ({"minute": "60"}, [("Date and time must be a real time", "when-minute")]),
        ({"hour": "2pm"}, [("Date and time must be a real time", "when-hour")]),
        ({"day": "", "month": "", "year": ""}, [("Date and time must include a date", "when-day")]),
        ({"day": "32"}, [("Date and time must be a real date", "when-day")]),
        ({"year": "2027"}, [("Date and time must be today or in the past", "when-day")]),
        (
            {"day": "31", "month": "2", "minute": "x"},
            [
                ("Date and time must be a real date", "when-day"),
                ("Date and time must be a real time", "when-minute"),
            ],
        ),
    ],
)
def test_date_time_errors_link_to_the_box_in_error(
    change: dict[str, str], errors: list[tuple[str, str]]
) -> None:
    assert parse_when({**WHEN, **change}) == (None, errors)


def test_date_time_never_raises_on_hostile_raw_values() -> None:
    for raw in (None, "text", ["a"], {"day": ["x"]}, {"hour": {"a": 1}}, 42):
        value, _errors = parse_when(raw)
        assert value is None


def test_date_time_on_check_answers_the_pdf_and_paper() -> None:
    answers = {"when": WHEN}
    rows = [
        row
        for section in engine.check_answers(SERVICE, answers, TODAY)
        for card in section.cards
        for row in card.rows
    ]
    assert (rows[0].lines, rows[0].anchor) == (["5 December 2026 at 2:30pm"], "when-day")
    field = question("when").field
    assert field.display_value(datetime(2026, 1, 1, 12, 0)) == ["1 January 2026 at midday"]
    assert field.display_value(datetime(2026, 1, 1, 0, 0)) == ["1 January 2026 at midnight"]
    assert field.display_value(datetime(2026, 1, 1, 9, 0)) == ["1 January 2026 at 9am"]
    copy = answers_view(SERVICE, answers, TODAY)
    assert copy[0].blocks[0].rows[0].lines == ["5 December 2026 at 2:30pm"]  # type: ignore[union-attr]
    slot = next(s for s in walk_slots(form_layout(SERVICE, None, TODAY)) if s.question_id == "when")
    assert (slot.kind, slot.parts, slot.wide) == (
        "date",
        ["Day", "Month", "Year", "Hour", "Minute"],
        ["Year"],
    )
    filled = form_layout(SERVICE, answers, TODAY)
    slot = next(s for s in walk_slots(filled) if s.question_id == "when")
    assert slot.filled == ["5 December 2026 at 2:30pm"]


def test_date_time_page_shows_each_error_by_its_boxes() -> None:
    step = Step("when")
    posted = {f"when-{part}": value for part, value in WHEN.items()}
    posted.update({"when-day": "31", "when-month": "2", "when-hour": "25"})
    result = engine.submit(SERVICE, {}, step, posted, today=TODAY)
    view = engine.page_view(SERVICE, {}, step, raws=result.raws, errors=result.errors, today=TODAY)
    assert [item["href"] for item in view.error_summary] == ["#when-day", "#when-hour"]
    html = render(view)
    assert html.count('<fieldset class="govuk-fieldset">') == 1  # the question's own
    assert html.count('<fieldset class="govuk-fieldset" role="group"') == 2  # date, time
    assert '<h1 class="govuk-fieldset__heading">' in html
    for box in ("day", "month", "year", "hour", "minute"):
        assert f'id="when-{box}" name="when-{box}"' in html
    assert 'id="when-hour" name="when-hour" type="text" value="25"' in html
    assert html.count("govuk-input--error") == 2  # the day and the hour
    assert "Date and time must be a real time" in html


def test_date_time_saved_when_valid() -> None:
    posted = {f"when-{part}": value for part, value in WHEN.items()}
    result = engine.submit(SERVICE, {}, Step("when"), posted, today=TODAY)
    assert not result.errors and result.answers["when"] == WHEN
    assert first_input_id(SERVICE, "when") == "when-day"


# -- a choice read at run time ------------------------------------------------------------------


def test_runtime_options_come_from_the_facts_of_the_request() -> None:
    field = question("station").field
    with run_time_facts({"places": ["Leeds Central", "Bradford"]}):
        step = Step("station")
        view = engine.page_view(SERVICE, {}, step, today=TODAY)
        assert view.fields[0].macro == "govukRadios"
        labels = [item["text"] for item in view.fields[0].params["items"]]
        assert labels == ["Leeds Central", "Bradford"]
        assert "Leeds Central" in render(view)
        refused = engine.submit(SERVICE, {}, step, {"station": "Elsewhere"}, today=TODAY)
        assert [e.message for e in refused.errors] == ["Select police station"]
        chosen = engine.submit(SERVICE, {}, step, {"station": "Bradford"}, today=TODAY)
        assert not chosen.errors and chosen.answers["station"] == "Bradford"
        slot = next(
            s for s in walk_slots(form_layout(SERVICE, None, TODAY)) if s.question_id == "station"
        )
        assert slot.kind == "choices"
        assert [choice.label for choice in slot.choices] == ["Leeds Central", "Bradford"]
    assert field.display(question("station"), "Bradford", TODAY) == ["Bradford"]


def test_without_runtime_options_the_answer_is_typed_and_kept() -> None:
    field = question("station").field
    step = Step("station")
    view = engine.page_view(SERVICE, {}, step, today=TODAY)
    assert view.fields[0].macro == "govukInput"
    assert 'id="station" name="station" type="text"' in render(view)
    kept = engine.submit(SERVICE, {}, step, {"station": "  Leeds  Central "}, today=TODAY)
    assert not kept.errors and field.parse(question("station"), "Leeds Central", TODAY).ok
    empty = engine.submit(SERVICE, {}, step, {"station": ""}, today=TODAY)
    assert [e.message for e in empty.errors] == ["Enter police station"]
    slot = next(
        s for s in walk_slots(form_layout(SERVICE, None, TODAY)) if s.question_id == "station"
    )
    assert slot.kind == "line" and not slot.choices
    with run_time_facts({"places": []}):  # a force with no places to offer: typed too
        assert engine.page_view(SERVICE, {}, step, today=TODAY).fields[0].macro == "govukInput"


def test_journeys_worked_out_under_different_facts_are_not_mixed_up() -> None:
    answers = {"when": WHEN, "station": "Bradford"}
    assert facts_key() == ""
    with run_time_facts({"places": ["Bradford"]}):
        key = facts_key()
        assert engine.is_complete(SERVICE, answers, TODAY)
    with run_time_facts({"places": ["Leeds Central"]}):
        assert facts_key() != key
        assert not engine.is_complete(SERVICE, answers, TODAY)  # no longer one of the options
    assert facts_key() == ""
