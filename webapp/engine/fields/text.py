"""Single-input field types: free text, names, email, UK phone, UK postcode, numbers, textareas."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from webapp.i18n import DEFAULT_LOCALE, get_locale, gettext

from .base import (
    PAPER_LINES,
    Field,
    FieldError,
    Label,
    Parsed,
    QuestionLike,
    Raw,
    as_str,
    error_for,
    first_error,
    form_value,
    hint_param,
    label_param,
    required_error,
)


def empty_or_too_long(question: QuestionLike, text: str, max_length: int) -> Parsed | None:
    """The outcome for text that is missing (None when optional) or over the limit; None when
    the text is present and short enough, so the field goes on to check its own rules."""
    if not text:
        if question.optional:
            return Parsed(None)
        return Parsed(errors=(error_for(question, required_error(question)),))
    if len(text) > max_length:
        message = gettext(
            "%(name)s must be %(max)s characters or less", name=question.short_name, max=max_length
        )
        return Parsed(errors=(error_for(question, message),))
    return None


# Text.width (a GOV.UK width class suffix) -> the share of the line its box takes on paper.
_PAPER_WIDTHS = {
    "2": 15,
    "3": 15,
    "4": 20,
    "5": 20,
    "10": 35,
    "20": 55,
    "30": 75,
    "one-quarter": 25,
    "one-third": 35,
    "one-half": 50,
    "two-thirds": 66,
    "three-quarters": 75,
    "full": 100,
}


@dataclass(frozen=True)
class Text(Field):
    """A one-line text input.

    ``width`` is a GOV.UK width class suffix ("20", "10", "one-half"...), sized to the expected
    answer rather than the container, as the Design System asks.
    """

    max_length: int = 100
    width: str | None = None
    autocomplete: str | None = None
    spellcheck: bool | None = None
    input_type: ClassVar[str] = "text"
    inputmode: ClassVar[str | None] = None
    paper_table_cell: ClassVar[bool] = True

    def raw_from_form(self, question: QuestionLike, form: Mapping[str, Any]) -> Raw:
        # Keep a little more than the limit, so "too long" is reported rather than silently cut.
        return form_value(form, question.id, limit=self.max_length + 200)

    def parse(self, question: QuestionLike, raw: Raw, today: date) -> Parsed:
        text = " ".join(as_str(raw).split())  # collapse runs of spaces and stray newlines
        settled = empty_or_too_long(question, text, self.max_length)
        if settled is not None:
            return settled
        return self.check(question, text)

    def check(self, question: QuestionLike, text: str) -> Parsed:
        """Type-specific validation of non-empty, not-too-long text; plain text accepts anything."""
        return Parsed(text)

    def width_class(self) -> str | None:
        if not self.width:
            return None
        return (
            f"govuk-input--width-{self.width}"
            if self.width[0].isdigit()
            else f"govuk-!-width-{self.width}"
        )

    def macro_params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], *, heading: bool
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "id": question.id,
            "name": question.id,
            "type": self.input_type,
            "label": label_param(question, heading=heading),
            "hint": hint_param(question),
            "value": as_str(raw),
            "errorMessage": first_error(errors),
        }
        if self.width_class():
            params["classes"] = self.width_class()
        if self.autocomplete:
            params["autocomplete"] = self.autocomplete
        if self.spellcheck is not None:
            params["spellcheck"] = self.spellcheck
        if self.inputmode:
            params["inputmode"] = self.inputmode
        return params

    def paper_widget(self) -> dict[str, Any]:
        if self.max_length > 100:
            return {"kind": "lines", "rows": 3}
        width = _PAPER_WIDTHS.get(self.width or "", 100)
        return {"kind": "line", "width": max(width, 35)}  # handwriting is wider than type


# Letters from any alphabet plus the punctuation real names use.
_NAME_PUNCTUATION = frozenset(" -'’.")


@dataclass(frozen=True)
class Name(Text):
    """A person's name or part of one: letters in any alphabet, spaces, hyphens, apostrophes."""

    max_length: int = 70
    width: str | None = "20"
    spellcheck: bool | None = False

    def check(self, question: QuestionLike, text: str) -> Parsed:
        if not all(char.isalpha() or char in _NAME_PUNCTUATION for char in text):
            message = gettext(
                "%(name)s must only include letters a to z, hyphens, spaces and apostrophes",
                name=question.short_name,
            )
            return Parsed(errors=(error_for(question, message),))
        return Parsed(text)


_EMAIL = re.compile(
    r"^[^\s@<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$"
)


@dataclass(frozen=True)
class Email(Text):
    max_length: int = 254  # the longest address SMTP can deliver to
    autocomplete: str | None = "email"
    spellcheck: bool | None = False
    input_type: ClassVar[str] = "email"

    def check(self, question: QuestionLike, text: str) -> Parsed:
        text = text.replace(" ", "")
        if not _EMAIL.match(text) or ".." in text:
            message = gettext("Enter an email address in the correct format, like name@example.com")
            return Parsed(errors=(error_for(question, message),))
        return Parsed(text)

    def paper_widget(self) -> dict[str, Any]:
        return {"kind": "line", "width": 100}


@dataclass(frozen=True)
class Phone(Text):
    """A UK telephone number, typed any common way. It is stored and shown as typed (people group
    their own numbers, and no rule regroups every UK number right); the parsed value, national
    digits only, is for checking and searching."""

    max_length: int = 30
    width: str | None = "20"
    autocomplete: str | None = "tel"
    input_type: ClassVar[str] = "tel"

    def check(self, question: QuestionLike, text: str) -> Parsed:
        number = normalise_uk_phone(text)
        if number is None:
            message = gettext(
                "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
            )
            return Parsed(errors=(error_for(question, message),))
        return Parsed(number)

    def display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        typed = " ".join(as_str(raw).split())
        return [typed] if typed else []


def normalise_uk_phone(text: str) -> str | None:
    """'+44 (0)7700-900 982' -> '07700900982'; None when it cannot be a UK number."""
    compact = re.sub(r"[\s().\-/]", "", text)
    if compact.startswith("+44"):
        compact = "0" + compact[3:].removeprefix("0")
    elif compact.startswith("0044"):
        compact = "0" + compact[4:].removeprefix("0")
    if not compact.isascii() or not compact.isdigit() or not compact.startswith("0"):
        return None
    # UK numbers are 10 or 11 digits with the leading 0 (a few old area codes have 10).
    if len(compact) not in (10, 11) or compact[1] == "0":
        return None
    return compact


_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_postcode(text: str) -> str | None:
    """'sw1a1aa' or ' SW1A  1AA ' -> 'SW1A 1AA'; None when it is not a real UK postcode shape."""
    compact = "".join(text.split()).upper()
    if compact == "GIR0AA":  # the one historical postcode outside the pattern
        return "GIR 0AA"
    match = _POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else None


@dataclass(frozen=True)
class Postcode(Text):
    holds_postcode: ClassVar[bool] = True
    max_length: int = 12
    width: str | None = "10"
    autocomplete: str | None = "postal-code"
    spellcheck: bool | None = False

    def check(self, question: QuestionLike, text: str) -> Parsed:
        postcode = normalise_postcode(text)
        if postcode is None:
            return Parsed(errors=(error_for(question, gettext("Enter a real postcode")),))
        return Parsed(postcode)


@dataclass(frozen=True)
class Number(Text):
    """A number with optional units shown after the box (for example height in cm)."""

    unit: Label | None = None
    minimum: int | None = None
    maximum: int | None = None
    whole: bool = True
    max_length: int = 20
    width: str | None = "4"
    spellcheck: bool | None = False

    def check(self, question: QuestionLike, text: str) -> Parsed:
        name = question.short_name
        try:
            number = Decimal(text.replace(",", "").replace(" ", ""))
        except InvalidOperation:
            return Parsed(
                errors=(error_for(question, gettext("%(name)s must be a number", name=name)),)
            )
        if not number.is_finite():
            return Parsed(
                errors=(error_for(question, gettext("%(name)s must be a number", name=name)),)
            )
        if self.whole and number != number.to_integral_value():
            return Parsed(
                errors=(error_for(question, gettext("%(name)s must be a whole number", name=name)),)
            )
        low, high = self.minimum, self.maximum
        unit = f" {self.unit}" if self.unit else ""
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                message = gettext(
                    "%(name)s must be between %(min)s and %(max)s%(unit)s",
                    name=name,
                    min=low,
                    max=high,
                    unit=unit,
                )
            elif low is not None:
                message = gettext(
                    "%(name)s must be %(min)s%(unit)s or more", name=name, min=low, unit=unit
                )
            else:
                message = gettext(
                    "%(name)s must be %(max)s%(unit)s or less", name=name, max=high, unit=unit
                )
            return Parsed(errors=(error_for(question, message),))
        return Parsed(int(number) if self.whole else number)

    @property
    def inputmode(self) -> str:  # type: ignore[override]
        return "numeric" if self.whole else "decimal"

    def display_value(self, value: Any) -> list[str]:
        return [f"{value} {self.unit}" if self.unit else str(value)]

    def macro_params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], *, heading: bool
    ) -> dict[str, Any]:
        params = super().macro_params(question, raw, errors, heading=heading)
        if self.unit:
            params["suffix"] = {"text": str(self.unit)}
        return params

    def paper_widget(self) -> dict[str, Any]:
        return {"kind": "line", "width": 25, "unit": str(self.unit) if self.unit else None}


# The plural categories a browser may ask GOV.UK Frontend's character count for (Welsh uses all).
_PLURAL_FORMS = ("zero", "two", "few", "many", "other")


def character_count_texts() -> dict[str, Any]:
    """GOV.UK Frontend's character count texts in the page's language. English pages keep the
    component's own built-in wording (it is the same English), so their markup is unchanged."""
    if get_locale() == DEFAULT_LOCALE:
        return {}
    under_one = gettext("You have %{count} character remaining")
    under = gettext("You have %{count} characters remaining")
    over_one = gettext("You have %{count} character too many")
    over = gettext("You have %{count} characters too many")
    return {
        "textareaDescriptionText": gettext("You can enter up to %{count} characters"),
        "charactersUnderLimitText": {"one": under_one} | dict.fromkeys(_PLURAL_FORMS, under),
        "charactersAtLimitText": gettext("You have 0 characters remaining"),
        "charactersOverLimitText": {"one": over_one} | dict.fromkeys(_PLURAL_FORMS, over),
    }


@dataclass(frozen=True)
class TextArea(Text):
    """Several lines of text; with ``count`` it becomes a GOV.UK character count."""

    max_length: int = 1200
    rows: int = 5
    count: bool = True
    summary_wide: ClassVar[bool] = True
    paper_table_cell: ClassVar[bool] = False

    @property
    def macro(self) -> str:  # type: ignore[override]
        return "govukCharacterCount" if self.count else "govukTextarea"

    def raw_from_form(self, question: QuestionLike, form: Mapping[str, Any]) -> Raw:
        return form_value(form, question.id, multiline=True, limit=self.max_length + 1000)

    def parse(self, question: QuestionLike, raw: Raw, today: date) -> Parsed:
        # Keep line breaks (addresses, lists of dates) but trim each line's edges.
        text = "\n".join(line.strip() for line in as_str(raw, multiline=True).strip().split("\n"))
        settled = empty_or_too_long(question, text, self.max_length)
        if settled is not None:
            return settled
        return Parsed(text)

    def display_value(self, value: Any) -> list[str]:
        return [line for line in str(value).split("\n") if line]

    def display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        parsed = self.parse(question, raw, today)
        if parsed.ok and parsed.value is not None:
            return self.display_value(parsed.value)
        return [line.strip() for line in as_str(raw, multiline=True).split("\n") if line.strip()]

    def macro_params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], *, heading: bool
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "id": question.id,
            "name": question.id,
            "rows": self.rows,
            "label": label_param(question, heading=heading),
            "hint": hint_param(question),
            "value": as_str(raw, multiline=True),
            "errorMessage": first_error(errors),
        }
        if self.count:
            params["maxlength"] = self.max_length
            params.update(character_count_texts())
        if self.autocomplete:
            params["autocomplete"] = self.autocomplete
        if self.spellcheck is not None:
            params["spellcheck"] = self.spellcheck
        return params

    def paper_widget(self) -> dict[str, Any]:
        return {"kind": "lines", "rows": max(PAPER_LINES, min(8, self.max_length // 150))}
