"""Dates: GOV.UK messages for missing parts, real dates, month names, past and future."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from webapp.engine.fields import Date, parse_month
from webapp.engine.schema import Question

TODAY = date(2026, 6, 1)


def parse(
    field: Date, day: str, month: str, year: str, name: str = "Date of birth"
) -> tuple[Any, list[str]]:
    question = Question("dob", "What is your date of birth?", field, name=name)
    raw = field.raw_from_form(question, {"dob-day": day, "dob-month": month, "dob-year": year})
    parsed = field.parse(question, raw, TODAY)
    return parsed.value, [e.message for e in parsed.errors]


@pytest.mark.parametrize(
    "month", ["2", "02", "feb", "Feb", "FEB.", "February", "february ", "chwefror"]
)
def test_month_names_and_numbers(month: str) -> None:
    assert parse_month(month) == 2
    assert parse(Date(), "3", month, "1980") == (date(1980, 2, 3), [])


@pytest.mark.parametrize("month", ["13", "0", "febru", "x", "٢"])
def test_bad_months(month: str) -> None:
    assert parse_month(month) is None


def test_nothing_entered() -> None:
    question = Question("dob", "What is your date of birth?", Date(), name="Date of birth")
    parsed = question.field.parse(question, None, TODAY)
    assert [e.message for e in parsed.errors] == ["Enter date of birth"]


def test_missing_parts() -> None:
    assert parse(Date(), "3", "", "1980")[1] == ["Date of birth must include a month"]
    assert parse(Date(), "", "", "1980")[1] == ["Date of birth must include a day and month"]
    assert parse(Date(), "3", "4", "")[1] == ["Date of birth must include a year"]


def test_31_february_is_not_a_real_date() -> None:
    assert parse(Date(), "31", "2", "2001")[1] == ["Date of birth must be a real date"]
    assert parse(Date(), "29", "2", "2001")[1] == ["Date of birth must be a real date"]
    assert parse(Date(), "29", "feb", "2000") == (date(2000, 2, 29), [])


def test_not_numbers() -> None:
    assert parse(Date(), "x", "2", "2001")[1] == ["Date of birth must be a real date"]
    assert parse(Date(), "1", "2", "20o1")[1] == ["Date of birth must be a real date"]
    assert parse(Date(), "1", "2", "01")[1] == ["Year must include 4 numbers"]


def test_error_highlights_only_the_wrong_parts() -> None:
    field = Date()
    question = Question("dob", "Date?", field, name="Date of birth")
    raw = {"day": "3", "month": "", "year": "1980"}
    parsed = field.parse(question, raw, TODAY)
    assert parsed.errors[0].href == "dob-month"
    params = field.macro_params(question, raw, parsed.errors, heading=True)
    classes = {item["name"]: item["classes"] for item in params["items"]}
    assert "govuk-input--error" in classes["month"] and "govuk-input--error" not in classes["day"]
    assert [item["value"] for item in params["items"]] == ["3", "", "1980"]  # as typed
    assert params["namePrefix"] == "dob" and params["fieldset"]["legend"]["isPageHeading"] is True


def test_future_birth_date_rejected() -> None:
    assert parse(Date(when="past"), "2", "6", "2026")[1] == ["Date of birth must be in the past"]
    assert parse(Date(when="past"), "1", "6", "2026")[1] == [
        "Date of birth must be in the past"
    ]  # today
    assert parse(Date(when="past"), "31", "5", "2026")[0] == date(2026, 5, 31)


def test_today_allowed_where_asked() -> None:
    assert parse(Date(when="past_or_today"), "1", "6", "2026")[1] == []
    assert (
        parse(
            Date(
                when="today_or_future",
            ),
            "1",
            "6",
            "2026",
            name="Expiry date",
        )[1]
        == []
    )
    assert parse(Date(when="future"), "1", "6", "2026", name="Expiry date")[1] == [
        "Expiry date must be in the future"
    ]


def test_bounds() -> None:
    assert parse(Date(when="past", max_years_ago=120), "1", "1", "1850")[1] == [
        "Date of birth must be the same as or after 1 June 1906"
    ]
    assert parse(Date(max_years_ahead=5), "1", "1", "2040", name="Expiry date")[1] == [
        "Expiry date must be the same as or before 1 June 2031"
    ]


def test_month_and_year_only() -> None:
    field = Date(day=False, when="past_or_today")
    question = Question("moved", "When did you move in?", field, name="The date you moved in")
    raw = field.raw_from_form(
        question, {"moved-month": "March", "moved-year": "2020", "moved-day": "9"}
    )
    assert raw == {"month": "March", "year": "2020"}
    assert field.parse(question, raw, TODAY).value == date(2020, 3, 1)
    assert field.display(question, raw, TODAY) == ["March 2020"]
    # The current month counts as the past for a month-only date.
    assert field.parse(question, {"month": "6", "year": "2026"}, TODAY).ok
    assert not field.parse(question, {"month": "7", "year": "2026"}, TODAY).ok


def test_display_and_autocomplete() -> None:
    field = Date(autocomplete="bday")
    question = Question("dob", "Date?", field, name="Date of birth")
    assert field.display(question, {"day": "03", "month": "feb", "year": "1980"}, TODAY) == [
        "3 February 1980"
    ]
    assert field.display(question, {"day": "31", "month": "2", "year": "1980"}, TODAY) == [
        "31 2 1980"
    ]
    params = field.macro_params(question, None, (), heading=False)
    assert [i["autocomplete"] for i in params["items"]] == ["bday-day", "bday-month", "bday-year"]
