"""The journey driver for any service (tests/support/service_walk.py), on a small app of its own:
a straight run of pages with no task list, an answer that leads out of the journey, and a rule
that refuses the first answer the driver derives."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pytest

from tests.support.service_walk import PHOTO, ServiceWalker, Upload, Visit, derived_answers
from webapp.engine.fields import (
    Address,
    Checkboxes,
    Date,
    Email,
    FileUpload,
    Name,
    Number,
    Option,
    Phone,
    Text,
    TextArea,
    YesNo,
)
from webapp.engine.schema import Declaration, Question, Section, Service, StartInfo

SERVICE = Service(
    slug="walk-test",
    title="Try the walk",
    sections=[
        Section(
            "only",
            "Only",
            [
                Question("emergency", "Is anyone in danger now?", YesNo()),
                Question("years", "How many years?", Number(minimum=0, maximum=100)),
            ],
        )
    ],
    start=StartInfo(summary=[], you_will_need=[], time_to_complete="A minute"),
    declaration=Declaration(statements=[], confirm="I confirm", error="Confirm"),
)
BASE = "/apply/walk-test"
CSRF = '<input type="hidden" name="csrf_token" value="token-token-token">'


def page(body: str, *, errors: list[str] = ()) -> str:  # type: ignore[assignment]
    summary = ""
    if errors:
        links = "".join(f'<li><a href="#{href}">Wrong</a></li>' for href in errors)
        summary = f'<div class="govuk-error-summary"><ul class="govuk-list govuk-error-summary__list">{links}</ul></div>'
    return f"<html><main>{summary}{body}</main></html>"


def form(fields: str, action: str = "") -> str:
    return f'<form method="post" action="{action}" novalidate>{CSRF}{fields}<button>Continue</button></form>'


class FakeApp:
    """The pages of a service with no task list: 'yes' to danger leads to a 'call 999' page with
    nothing to answer; the years asked must be at least 60 (a rule the field does not know)."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, object]]] = []

    def get(self, url: str) -> Visit:
        pages = {
            BASE: page(form("", action=f"{BASE}/start")),
            f"{BASE}/emergency": page(
                form(
                    '<input type="radio" name="emergency" value="yes">'
                    '<input type="radio" name="emergency" value="no">'
                )
            ),
            f"{BASE}/call-999": page("<h1>Call 999 now</h1>"),
            f"{BASE}/years": page(form('<input type="text" name="years">')),
            f"{BASE}/check": page('<a href="/apply/walk-test/declaration">Continue</a>'),
            f"{BASE}/declaration": page(form('<input type="checkbox" name="confirm" value="yes">')),
            f"{BASE}/confirmation": page("<h1>Sent</h1>"),
        }
        return Visit(url, 200, pages[url]) if url in pages else Visit(url, 404, "Not found")

    def post(
        self, url: str, visit: Visit, fields: Mapping[str, object], files: Mapping[str, Upload]
    ) -> Visit:
        assert "csrf_token" in visit.html
        self.posts.append((url, dict(fields)))
        if url == f"{BASE}/start":
            return self.get(f"{BASE}/emergency")
        if url == f"{BASE}/emergency":
            return self.get(
                f"{BASE}/call-999" if fields.get("emergency") == "yes" else f"{BASE}/years"
            )
        if url == f"{BASE}/years":
            if int(str(fields.get("years"))) < 60:
                return Visit(
                    url, 200, page(form('<input type="text" name="years">'), errors=["years"])
                )
            return self.get(f"{BASE}/check")
        if url == f"{BASE}/declaration":
            assert fields == {"confirm": "yes"}
            return self.get(f"{BASE}/confirmation")
        raise AssertionError(url)


def test_a_straight_run_with_an_exit_and_a_refused_answer() -> None:
    app = FakeApp()
    walk = ServiceWalker(SERVICE, app).walk()
    assert [kind for kind, _ in walk.visits] == [
        "start",
        "question",
        "other",
        "question",
        "check",
        "declaration",
        "confirmation",
    ]
    # 'Yes' led out of the journey: the walk went back and chose 'no'.
    assert walk.exits == [f"{BASE}/call-999"]
    assert [fields["emergency"] for url, fields in app.posts if url.endswith("/emergency")] == [
        "yes",
        "no",
    ]
    # 50 (half way between the bounds) was refused; the next candidate, the maximum, was taken.
    years = next(result for result in walk.answered if result.url.endswith("/years"))
    assert years.attempts == 2 and years.errors == [["years"]]
    assert walk.forms[f"{BASE}/years"] == {"years": "100"}


def test_examples_come_first() -> None:
    walk = ServiceWalker(SERVICE, FakeApp(), examples={"emergency": "no", "years": "75"}).walk()
    assert walk.exits == []
    assert walk.forms[f"{BASE}/years"] == {"years": "75"}


def test_a_page_that_refuses_everything_fails_clearly() -> None:
    class Stubborn(FakeApp):
        def post(
            self, url: str, visit: Visit, fields: Mapping[str, object], files: Mapping[str, Upload]
        ) -> Visit:
            if url == f"{BASE}/years":
                return Visit(
                    url, 200, page(form('<input type="text" name="years">'), errors=["years"])
                )
            return super().post(url, visit, fields, files)

    with pytest.raises(AssertionError, match="refuses every answer"):
        ServiceWalker(SERVICE, Stubborn()).walk()


TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("field", "first"),
    [
        (Text(), "Example 42"),
        (Name(), "Morgan"),
        (Email(), "applicant@example.com"),
        (Phone(), "07700 900982"),
        (TextArea(max_length=20), "An example answer, i"),
        (Number(minimum=50, maximum=250), "150"),
        (Number(minimum=0), "10"),
        (Date(when="past", max_years_ago=120), {"day": "15", "month": "5", "year": "2006"}),
        (Date(day=False, when="past_or_today"), {"month": "5", "year": "2006"}),
        (
            Date(when="today_or_future", max_years_ahead=5),
            {"day": "13", "month": "10", "year": "2026"},
        ),
        (
            Address(),
            {
                "line1": "1 Example Street",
                "line2": "",
                "town": "Leeds",
                "county": "",
                "postcode": "LS1 1UR",
            },
        ),
        (YesNo(), "yes"),
        (
            Checkboxes(
                (Option("a", "A"), Option("b", "B"), Option("none", "None", exclusive=True))
            ),
            ["a", "b"],
        ),
        (FileUpload(), PHOTO),
    ],
    ids=lambda value: (
        type(value).__name__ if not isinstance(value, (str, dict, list, tuple)) else ""
    ),
)
def test_each_field_type_gets_a_valid_answer(field: object, first: object) -> None:
    question = Question("q", "Question?", field)  # type: ignore[arg-type]
    answers = derived_answers(field, question, named=set(), today=TODAY)  # type: ignore[arg-type]
    assert answers[0] == first
    if not isinstance(field, FileUpload):
        for raw in answers:
            assert field.parse(question, raw, TODAY).ok, raw  # type: ignore[attr-defined]


def test_an_option_a_condition_names_is_tried_first_and_add_another_is_no_first() -> None:
    field = YesNo()
    question = Question("q", "Question?", field)
    assert derived_answers(field, question, named={"no"}, today=TODAY)[0] == "no"
    assert derived_answers(field, question, named=set(), today=TODAY, more=True) == ["no", "yes"]
