"""Each field type: valid input, GOV.UK error messages, odd input, and values kept as typed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from webapp.engine.fields import (
    Address,
    Checkboxes,
    Date,
    Email,
    Field,
    FileUpload,
    Name,
    Number,
    Option,
    Phone,
    Postcode,
    Radios,
    Text,
    TextArea,
    YesNo,
    clean_text,
    normalise_postcode,
    normalise_uk_phone,
)
from webapp.engine.schema import Question

TODAY = date(2026, 6, 1)


def q(
    field: Field, *, name: str = "Full name", optional: bool = False, error: str | None = None
) -> Question:
    return Question("answer", "What is it?", field, name=name, optional=optional, error=error)


def parse(question: Question, form: dict[str, Any]) -> tuple[Any, list[str]]:
    raw = question.field.raw_from_form(question, form)
    parsed = question.field.parse(question, raw, TODAY)
    return parsed.value, [error.message for error in parsed.errors]


# -- text ---------------------------------------------------------------------------------------


def test_text_required_and_length() -> None:
    question = q(Text(max_length=10), error="Enter your full name")
    assert parse(question, {"answer": "  Ann  "}) == ("Ann", [])
    assert parse(question, {}) == (None, ["Enter your full name"])
    assert parse(question, {"answer": "   "}) == (None, ["Enter your full name"])
    assert parse(question, {"answer": "x" * 11}) == (
        None,
        ["Full name must be 10 characters or less"],
    )


def test_text_default_required_message_uses_the_name() -> None:
    assert parse(q(Text(), name="Place of birth"), {}) == (None, ["Enter place of birth"])


def test_optional_text() -> None:
    assert parse(q(Text(), optional=True), {"answer": ""}) == (None, [])


WEIRD = [
    "x" * 10_000,
    "😀👨‍👩‍👧 emoji",
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE students;--",
    "nul\x00byte\x1b[31m",
    "\ud800 lone surrogate",
    ["a", "b"],
    None,
    42,
    {"nested": "dict"},
    b"bytes",
    object(),
]

FIELDS: list[Field] = [
    Text(),
    Name(),
    Email(),
    Phone(),
    Postcode(),
    Number(minimum=0, maximum=10),
    TextArea(max_length=50),
    Date(),
    Date(day=False),
    Address(),
    YesNo(),
    Radios((Option("a", "A"),)),
    Checkboxes((Option("a", "A"), Option("none", "None", exclusive=True))),
    FileUpload(),
]


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: type(f).__name__)
@pytest.mark.parametrize("value", WEIRD, ids=range(len(WEIRD)))
def test_weird_input_never_raises(field: Field, value: Any) -> None:
    question = q(field)
    form = {
        "answer": value,
        "answer-day": value,
        "answer-month": value,
        "answer-year": value,
        "answer-line1": value,
        "answer-postcode": value,
        "extra": "ignored",
    }
    raw = field.raw_from_form(question, form)
    parsed = field.parse(question, raw, TODAY)
    assert parsed.ok or parsed.errors[0].message
    field.display(question, raw, TODAY)
    field.macro_params(question, raw, parsed.errors, heading=True)
    # Stored raw values of the wrong type (an old draft, a hand-edited database) are safe too.
    field.parse(question, value, TODAY)
    field.display(question, value, TODAY)
    field.macro_params(question, value, (), heading=False)


def test_clean_text_strips_control_characters_and_caps_length() -> None:
    assert clean_text("a\x00b\x07c\u202ed") == "abcd"
    assert clean_text("line1\r\nline2", multiline=True) == "line1\nline2"
    assert clean_text("line1\nline2") == "line1line2"
    assert clean_text("x" * 50, limit=10) == "x" * 10
    assert clean_text("👨‍👩‍👧") == "👨‍👩‍👧"  # zero-width joiners inside emoji survive
    assert clean_text(7) == "7" and clean_text(object()) == ""


def test_text_keeps_raw_as_typed_even_when_invalid() -> None:
    question = q(Name())
    raw = question.field.raw_from_form(question, {"answer": "  <b>Ann</b>  "})
    assert raw == "  <b>Ann</b>  "
    params = question.field.macro_params(question, raw, (), heading=True)
    assert params["value"] == "  <b>Ann</b>  "
    # Very long input is capped when read, but still long enough to report 'too long'.
    raw = question.field.raw_from_form(question, {"answer": "a" * 10_000})
    assert isinstance(raw, str) and 70 < len(raw) < 1000


# -- names, email -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["Ann-Marie O’Neil", "Zoë", "Siân ap Dafydd", "St. John", "D'Arcy", "李"]
)
def test_names_accepted(value: str) -> None:
    assert parse(q(Name()), {"answer": value})[1] == []


@pytest.mark.parametrize("value", ["Ann2", "😀", "<b>", "a@b"])
def test_names_rejected(value: str) -> None:
    assert parse(q(Name()), {"answer": value})[1] == [
        "Full name must only include letters a to z, hyphens, spaces and apostrophes"
    ]


def test_name_autocomplete() -> None:
    question = q(Name(autocomplete="given-name"))
    params = question.field.macro_params(question, "", (), heading=True)
    assert params["autocomplete"] == "given-name" and params["spellcheck"] is False
    assert params["label"] == {
        "text": "What is it?",
        "classes": "govuk-label--l",
        "isPageHeading": True,
    }


@pytest.mark.parametrize("value", ["name@example.com", " a.b+c@sub.example.co.uk "])
def test_email_valid(value: str) -> None:
    assert parse(q(Email()), {"answer": value}) == (value.strip(), [])


@pytest.mark.parametrize(
    "value", ["name", "name@", "@example.com", "a@b", "a b@example.com.", "a@@b.com", "a@b..com"]
)
def test_email_invalid(value: str) -> None:
    assert parse(q(Email()), {"answer": value})[1] == [
        "Enter an email address in the correct format, like name@example.com"
    ]


def test_email_params() -> None:
    question = q(Email())
    params = question.field.macro_params(question, "x", (), heading=False)
    assert params["type"] == "email" and params["autocomplete"] == "email"


# -- phone, postcode ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("07700 900982", "07700900982"),
        ("07700-900-982", "07700900982"),
        ("(01632) 960 001", "01632960001"),
        ("+44 7700 900982", "07700900982"),
        ("+44 (0)20 7946 0000", "02079460000"),
        ("0044 808 157 0192", "08081570192"),
        ("01632.960.001", "01632960001"),
    ],
)
def test_phone_normalised(typed: str, clean: str) -> None:
    assert normalise_uk_phone(typed) == clean
    assert parse(q(Phone()), {"answer": typed}) == (clean, [])


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "0770090098212",
        "phone me",
        "+1 202 555 0100",
        "00000 000000",
        "０７７００９００９８２",
    ],
)
def test_phone_rejected(typed: str) -> None:
    assert parse(q(Phone()), {"answer": typed})[1] == [
        "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    ]


def test_phone_display_and_params() -> None:
    """A number is shown as the person typed it (regrouping broke '0113 496 0000' into
    '01134 960000'); only the parsed value, for searching, is normalised."""
    question = q(Phone(autocomplete="mobile tel"))
    assert question.field.display(question, "0113 496 0000", TODAY) == ["0113 496 0000"]
    assert question.field.display(question, " +44 7700  900982 ", TODAY) == ["+44 7700 900982"]
    assert question.field.parse(question, "0113 496 0000", TODAY).value == "01134960000"
    params = question.field.macro_params(question, "x", (), heading=False)
    assert params["type"] == "tel" and params["autocomplete"] == "mobile tel"


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" SW1A  1AA ", "SW1A 1AA"),
        ("m1 1ae", "M1 1AE"),
        ("cf10 1ea", "CF10 1EA"),
        ("gir 0aa", "GIR 0AA"),
    ],
)
def test_postcode_normalised(typed: str, clean: str) -> None:
    assert normalise_postcode(typed) == clean
    assert parse(q(Postcode(), name="Postcode"), {"answer": typed}) == (clean, [])


@pytest.mark.parametrize("typed", ["SW1A", "12345", "SW1A 1AAA", "ZZ", "SW1A 1IA"])
def test_postcode_rejected(typed: str) -> None:
    assert parse(q(Postcode(), name="Postcode"), {"answer": typed})[1] == ["Enter a real postcode"]


def test_postcode_required() -> None:
    assert parse(q(Postcode(), name="Postcode"), {"answer": ""})[1] == ["Enter postcode"]


# -- address ------------------------------------------------------------------------------------


def test_address_valid_and_display() -> None:
    question = q(Address(), name="Home address")
    form = {
        "answer-line1": " 1  High Street ",
        "answer-town": "Leeds",
        "answer-postcode": "ls1 1ur",
    }
    value, errors = parse(question, form)
    assert errors == []
    assert value == {
        "line1": "1 High Street",
        "line2": "",
        "town": "Leeds",
        "county": "",
        "postcode": "LS1 1UR",
    }
    raw = question.field.raw_from_form(question, form)
    assert question.field.display(question, raw, TODAY) == ["1 High Street", "Leeds", "LS1 1UR"]


def test_address_errors_per_part() -> None:
    question = q(Address(), name="Home address")
    raw = question.field.raw_from_form(question, {"answer-postcode": "nope"})
    parsed = question.field.parse(question, raw, TODAY)
    assert [(e.message, e.href) for e in parsed.errors] == [
        ("Enter address line 1, typically the building and street", "answer-line1"),
        ("Enter town or city", "answer-town"),
        ("Enter a real postcode", "answer-postcode"),
    ]
    params = question.field.macro_params(question, raw, parsed.errors, heading=True)
    inputs = {i["name"]: i for i in (part["params"] for part in params["parts"])}
    assert inputs["answer-postcode"]["value"] == "nope"
    assert inputs["answer-town"]["errorMessage"] == {"text": "Enter town or city"}
    assert "errorMessage" not in inputs["answer-line2"]
    assert params["fieldset"]["legend"]["isPageHeading"] is True


def test_address_autocomplete_only_when_asked() -> None:
    for field, expected in ((Address(autocomplete=True), "address-line1"), (Address(), None)):
        question = q(field)
        params = field.macro_params(question, None, (), heading=False)
        assert params["parts"][0]["params"].get("autocomplete") == expected
    params = Address(autocomplete=True).macro_params(q(Address()), None, (), heading=False)
    assert [p["params"]["autocomplete"] for p in params["parts"]] == [
        "address-line1",
        "address-line2",
        "address-level2",
        "address-level1",
        "postal-code",
    ]


# -- choices ------------------------------------------------------------------------------------


def test_radios() -> None:
    question = q(Radios((Option("a", "Apple"), Option("b", "Banana"))), name="Your fruit")
    assert parse(question, {"answer": "b"}) == ("b", [])
    assert parse(question, {"answer": ""}) == (None, ["Select your fruit"])
    assert parse(question, {"answer": "c"}) == (None, ["Select your fruit"])  # not an option
    assert question.field.display(question, "a", TODAY) == ["Apple"]
    params = question.field.macro_params(question, "b", (), heading=True)
    assert [i["checked"] for i in params["items"]] == [False, True]
    assert params["idPrefix"] == "answer" and params["name"] == "answer"


def test_yes_no_with_own_error() -> None:
    question = q(YesNo(), error="Select yes if you have a pet")
    assert parse(question, {"answer": "yes"}) == ("yes", [])
    assert parse(question, {}) == (None, ["Select yes if you have a pet"])
    params = question.field.macro_params(question, None, (), heading=True)
    assert params["classes"] == "govuk-radios--inline"
    assert [i["value"] for i in params["items"]] == ["yes", "no"]


def test_checkboxes_and_exclusive_option() -> None:
    field = Checkboxes(
        (
            Option("a", "A"),
            Option("b", "B"),
            Option("none", "None of these", exclusive=True, divider=True),
        )
    )
    question = q(field, name="Conditions")

    class Multi(dict):  # a form that posts several values under one name, like Starlette's FormData
        def getlist(self, key: str) -> list[str]:
            return self.get(key, [])

    assert parse(question, Multi(answer=["b", "a", "a", "zzz"])) == (["a", "b"], [])
    assert parse(question, Multi(answer=["none"])) == (["none"], [])
    assert parse(question, Multi())[1] == ["Select conditions"]
    assert parse(question, Multi(answer=["a", "none"]))[1] == [
        "Select ‘None of these’ or the options that apply, not both"
    ]
    assert parse(question, {"answer": "a"}) == (["a"], [])  # a plain mapping with one value
    params = field.macro_params(question, ["b"], (), heading=False)
    assert params["items"][2] == {"divider": "or"}
    assert params["items"][3]["behaviour"] == "exclusive"
    assert field.display(question, ["b", "a"], TODAY) == ["A", "B"]


# -- numbers, textareas -------------------------------------------------------------------------


def test_number_with_units_and_bounds() -> None:
    question = q(Number(unit="cm", minimum=50, maximum=250), name="Height")
    assert parse(question, {"answer": " 175 "}) == (175, [])
    assert parse(question, {"answer": "1,75"})[0] == 175  # thousands separators ignored
    assert parse(question, {"answer": "tall"}) == (None, ["Height must be a number"])
    assert parse(question, {"answer": "175.5"}) == (None, ["Height must be a whole number"])
    assert parse(question, {"answer": "nan"}) == (None, ["Height must be a number"])
    assert parse(question, {"answer": "1e999"}) == (None, ["Height must be between 50 and 250 cm"])
    assert parse(question, {"answer": "20"}) == (None, ["Height must be between 50 and 250 cm"])
    assert question.field.display(question, "175", TODAY) == ["175 cm"]
    params = question.field.macro_params(question, "17x", (), heading=True)
    assert (
        params["suffix"] == {"text": "cm"}
        and params["inputmode"] == "numeric"
        and params["value"] == "17x"
    )


def test_number_open_bounds() -> None:
    assert parse(q(Number(minimum=2), name="Years"), {"answer": "1"})[1] == [
        "Years must be 2 or more"
    ]
    assert parse(q(Number(maximum=2), name="Years"), {"answer": "3"})[1] == [
        "Years must be 2 or less"
    ]


def test_textarea_character_count() -> None:
    field = TextArea(max_length=20)
    question = q(field, name="Details")
    assert parse(question, {"answer": " line one \r\n line two "}) == ("line one\nline two", [])
    assert parse(question, {"answer": "x" * 21})[1] == ["Details must be 20 characters or less"]
    assert field.display(question, "a\n\nb", TODAY) == ["a", "b"]
    params = field.macro_params(question, "x", (), heading=True)
    assert field.macro == "govukCharacterCount" and params["maxlength"] == 20
    assert TextArea(count=False).macro == "govukTextarea"


# -- file ---------------------------------------------------------------------------------------


def test_file_upload() -> None:
    field = FileUpload()
    question = q(field, name="Photo", error="Select a photo")
    record = {"id": "abc", "filename": "me.jpg", "content_type": "image/jpeg", "size": 10}
    assert parse(question, {"answer": record})[0]["id"] == "abc"
    assert parse(question, {"answer": "a string"}) == (None, ["Select a photo"])
    assert field.display(question, record, TODAY) == ["me.jpg"]
    # What an upload accepts, with real and spoofed files: test_field_uploads.py.
    assert field.macro_params(question, None, (), heading=True)["attributes"] == {
        "accept": "image/jpeg,image/png"
    }
