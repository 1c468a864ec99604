"""A UK postal address: building and street (two lines), town or city, county, postcode."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from webapp.i18n import gettext

from .base import (
    Field,
    FieldError,
    Parsed,
    QuestionLike,
    Raw,
    as_parts,
    form_value,
    hint_param,
    legend_param,
)
from .text import normalise_postcode

PARTS = ("line1", "line2", "town", "county", "postcode")
_MAX = {"line1": 100, "line2": 100, "town": 60, "county": 60, "postcode": 12}
# WHATWG autofill tokens for each part.
_AUTOCOMPLETE = {
    "line1": "address-line1",
    "line2": "address-line2",
    "town": "address-level2",
    "county": "address-level1",
    "postcode": "postal-code",
}


@dataclass(frozen=True)
class Address(Field):
    """Several inputs in one fieldset, as in the GOV.UK address pattern.

    ``autocomplete`` should be on only for the person's own home address: on anyone else's
    (a referee, a GP, a previous home) the browser would offer the wrong address.
    """

    autocomplete: bool = False
    holds_postcode: ClassVar[bool] = True
    macro: ClassVar[str] = "fieldset"

    def error_anchor(self, question_id: str) -> str:
        return f"{question_id}-{PARTS[0]}"

    def form_data(self, question: QuestionLike, raw: Raw) -> dict[str, Any]:
        if raw is None:
            return {}
        return {f"{question.id}-{part}": text for part, text in as_parts(raw, PARTS).items()}

    def paper_widget(self) -> dict[str, Any]:
        parts = [
            gettext("Address line 1"),
            gettext("Address line 2"),
            gettext("Town or city"),
            gettext("County"),
            gettext("Postcode"),
        ]
        return {"kind": "address", "parts": parts}

    def raw_from_form(self, question: QuestionLike, form: Mapping[str, Any]) -> Raw:
        return {
            part: form_value(form, f"{question.id}-{part}", limit=_MAX[part] + 100)
            for part in PARTS
        }

    def is_empty(self, raw: Raw) -> bool:
        return not any(value.strip() for value in as_parts(raw, PARTS).values())

    def parse(self, question: QuestionLike, raw: Raw, today: date) -> Parsed:
        typed = {part: " ".join(value.split()) for part, value in as_parts(raw, PARTS).items()}
        if question.optional and not any(typed.values()):
            return Parsed(None)
        errors: list[FieldError] = []

        def add(part: str, message: str) -> None:
            errors.append(FieldError(message, question.id, f"{question.id}-{part}", (part,)))

        if not typed["line1"]:
            add("line1", gettext("Enter address line 1, typically the building and street"))
        if not typed["town"]:
            add("town", gettext("Enter town or city"))
        postcode = normalise_postcode(typed["postcode"]) if typed["postcode"] else None
        if not typed["postcode"]:
            add("postcode", gettext("Enter postcode"))
        elif postcode is None:
            add("postcode", gettext("Enter a real postcode"))
        names = {
            "line1": gettext("Address line 1"),
            "line2": gettext("Address line 2"),
            "town": gettext("Town or city"),
            "county": gettext("County"),
        }
        for part, name in names.items():
            if len(typed[part]) > _MAX[part]:
                add(
                    part,
                    gettext(
                        "%(name)s must be %(max)s characters or less", name=name, max=_MAX[part]
                    ),
                )
        if errors:
            return Parsed(errors=tuple(errors))
        return Parsed({**typed, "postcode": postcode})

    def display_value(self, value: Any) -> list[str]:
        return [value[part] for part in PARTS if value.get(part)]

    def display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        parsed = self.parse(question, raw, today)
        if parsed.ok and parsed.value is not None:
            return self.display_value(parsed.value)
        return [value.strip() for value in as_parts(raw, PARTS).values() if value.strip()]

    def macro_params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], *, heading: bool
    ) -> dict[str, Any]:
        """A govukFieldset wrapping one govukInput per part (``parts``), each with its own error."""
        typed = as_parts(raw, PARTS)
        by_part = {part: error for error in errors for part in error.parts}
        labels = {
            "line1": gettext("Address line 1"),
            "line2": gettext("Address line 2 (optional)"),
            "town": gettext("Town or city"),
            "county": gettext("County (optional)"),
            "postcode": gettext("Postcode"),
        }
        widths = {
            "town": "govuk-!-width-two-thirds",
            "county": "govuk-!-width-two-thirds",
            "postcode": "govuk-input--width-10",
        }
        inputs = []
        for part in PARTS:
            params: dict[str, Any] = {
                "id": f"{question.id}-{part}",
                "name": f"{question.id}-{part}",
                "label": {"text": labels[part]},
                "value": typed[part],
            }
            if part in widths:
                params["classes"] = widths[part]
            if self.autocomplete:
                params["autocomplete"] = _AUTOCOMPLETE[part]
            if part in by_part:
                params["errorMessage"] = {"text": by_part[part].message}
            inputs.append({"macro": "govukInput", "params": params})
        return {
            "id": question.id,
            "fieldset": {"legend": legend_param(question, heading=heading)},
            "hint": hint_param(question),
            "parts": inputs,
        }
