"""Radios whose options are read at run time: the places of the force an application goes to
(its stations, its venues), known only when the page is used, never in the service's file.

``read_options`` is given the run-time facts the web layer set for the request
(``base.run_time_facts``) and returns the options, or None when the facts do not say (a page
outside the journey, a PDF rendered in a worker). Then the answer given earlier is taken as it
was stored, validated when it was given, and shown by its value, so an option's value should
read well on its own (a place's name rather than a number); and a person who has to choose
without options (none known, or none to offer) types the answer instead.

Options read at run time cannot reveal questions: a service's questions are all known when it
is defined.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from .base import (
    FieldError,
    Parsed,
    QuestionLike,
    Raw,
    as_str,
    current_facts,
    error_for,
    first_error,
    hint_param,
    label_param,
    required_error,
)
from .choice import Option, Radios

OptionsReader = Callable[[Mapping[str, Any]], Sequence[Option] | None]


@dataclass(frozen=True)
class RuntimeRadios(Radios):
    """``RuntimeRadios(read_options=lambda facts: [Option(p, p) for p in facts.get("places", ())])``"""

    read_options: OptionsReader | None = None
    max_length: int = 200
    reads_facts: ClassVar[bool] = True

    def _read(self) -> tuple[Option, ...] | None:
        if self.read_options is None:
            return None
        options = self.read_options(current_facts())
        if not options:  # not known here, or none to offer: the person types the answer
            return None
        # Each run-time option is a plain choice: nothing revealed, nothing exclusive.
        return tuple(Option(option.value, option.label, option.hint) for option in options)

    def choices(self) -> Sequence[Option]:
        return self._read() or ()

    def nested_questions(self) -> Sequence[tuple[str, Any]]:
        return ()

    @property
    def macro(self) -> str:  # type: ignore[override]
        return "govukRadios" if self._read() is not None else "govukInput"

    def parse(self, question: QuestionLike, raw: Raw, today: date) -> Parsed:
        if self._read() is not None:
            return super().parse(question, raw, today)
        value = " ".join(as_str(raw).split())[: self.max_length]
        if not value:
            if question.optional:
                return Parsed(None)
            return Parsed(errors=(error_for(question, required_error(question)),))
        return Parsed(value)

    def display_value(self, value: Any) -> list[str]:
        option = self.option(value)
        return [str(option.label)] if option else ([str(value)] if value else [])

    def paper_widget(self) -> dict[str, Any]:
        if self._read():
            return super().paper_widget()
        return {"kind": "line", "width": 100}  # the options are not known here: write it in

    def macro_params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], *, heading: bool
    ) -> dict[str, Any]:
        if self._read() is not None:
            return super().macro_params(question, raw, errors, heading=heading)
        return {
            "id": question.id,
            "name": question.id,
            "type": "text",
            "label": label_param(question, heading=heading),
            "hint": hint_param(question),
            "value": as_str(raw),
            "errorMessage": first_error(errors),
        }


__all__ = ["OptionsReader", "RuntimeRadios"]
