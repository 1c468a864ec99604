"""Choosing from a list: radios, yes/no, checkboxes, with optional conditionally revealed questions.

A revealed question is an ordinary ``Question`` whose answer is stored under its own id beside
the parent's. It counts (is validated, shown on check answers) only while its option is chosen;
the web layer renders it first and hands the HTML to ``params_with_reveals``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from webapp.i18n import gettext
from webapp.i18n import lazy_gettext as _l

from .base import (
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
    form_values,
    hint_param,
    legend_param,
    required_error,
)

if TYPE_CHECKING:
    from webapp.engine.schema import Question


@dataclass(frozen=True)
class Option:
    """One radio or checkbox. ``exclusive`` is the 'None of these' box; ``divider`` puts 'or' before it."""

    value: str
    label: Label
    hint: Label | None = None
    reveal: Question | None = None
    exclusive: bool = False
    divider: bool = False


@dataclass(frozen=True)
class _Choice(Field):
    options: tuple[Option, ...] = ()
    inline: bool = False
    multiple: ClassVar[bool] = False  # more than one option may be chosen (ticked)

    def choices(self) -> Sequence[Option]:
        """The options offered now: the declared ones (a type whose options are read at run
        time returns those instead)."""
        return self.options

    def option(self, value: str) -> Option | None:
        return next((option for option in self.choices() if option.value == value), None)

    def option_label(self, value: str) -> str | None:
        option = self.option(value)
        return str(option.label) if option else None

    def paper_choices(self, raw: Raw) -> Sequence[tuple[Option, bool]]:
        chosen = set(self.chosen(raw)) if raw is not None else set()
        return [(option, option.value in chosen) for option in self.choices()]

    def nested_questions(self) -> Sequence[tuple[str, Question]]:
        return [
            (option.value, option.reveal) for option in self.options if option.reveal is not None
        ]

    def paper_widget(self) -> dict[str, Any]:
        """Tick boxes: a few short options side by side (yes / no), many plain ones in two
        columns, and one under another when options reveal questions."""
        plain = not self.nested_questions()
        options = self.choices()
        short = all(len(str(option.label)) < 25 and not option.hint for option in options)
        return {
            "kind": "choices",
            "multiple": self.multiple,
            "inline": plain and (self.inline or len(options) <= 3) and short,
            "columns": plain and len(options) > 4,
        }

    def chosen(self, raw: Raw) -> list[str]:
        """The known option values in a raw answer (unknown ones are ignored as tampering)."""
        values = raw if isinstance(raw, list) else [raw]
        return [
            value for value in values if isinstance(value, str) and self.option(value) is not None
        ]

    def _items(self, raw: Raw) -> list[dict[str, Any]]:
        chosen = set(self.chosen(raw))
        items: list[dict[str, Any]] = []
        for option in self.choices():
            if option.divider:
                items.append({"divider": gettext("or")})
            item: dict[str, Any] = {
                "value": option.value,
                "text": str(option.label),
                "checked": option.value in chosen,
            }
            if option.hint:
                item["hint"] = {"text": str(option.hint)}
            if option.exclusive:
                item["behaviour"] = "exclusive"
            items.append(item)
        return items

    def _params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], heading: bool
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "idPrefix": question.id,
            "name": question.id,
            "fieldset": {"legend": legend_param(question, heading=heading)},
            "hint": hint_param(question),
            "errorMessage": first_error(errors),
            "items": self._items(raw),
        }
        if self.inline and not self.nested_questions():
            params["classes"] = "govuk-radios--inline"
        return params

    def macro_params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], *, heading: bool
    ) -> dict[str, Any]:
        return self._params(question, raw, errors, heading)


def params_with_reveals(params: Mapping[str, Any], reveals: Mapping[str, str]) -> dict[str, Any]:
    """Radios/checkboxes params with each option's revealed question HTML (rendered by the web layer)."""
    items = []
    for item in params.get("items", []):
        value = item.get("value")
        if value in reveals:
            item = {**item, "conditional": {"html": reveals[value]}}
        items.append(item)
    return {**params, "items": items}


@dataclass(frozen=True)
class Radios(_Choice):
    macro: ClassVar[str] = "govukRadios"

    def raw_from_form(self, question: QuestionLike, form: Mapping[str, Any]) -> Raw:
        return form_value(form, question.id, limit=200)

    def parse(self, question: QuestionLike, raw: Raw, today: date) -> Parsed:
        value = as_str(raw)
        if self.option(value) is None:
            if question.optional and not value:
                return Parsed(None)
            return Parsed(errors=(error_for(question, required_error(question, "select")),))
        return Parsed(value)

    def display_value(self, value: Any) -> list[str]:
        option = self.option(value)
        return [str(option.label)] if option else []

    def display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        return self.display_value(as_str(raw))


YES = "yes"
NO = "no"


def YesNo(
    *,
    reveal_if_yes: Question | None = None,
    reveal_if_no: Question | None = None,
    yes: Label | None = None,
    no: Label | None = None,
) -> Radios:
    """GOV.UK yes/no radios (inline when nothing is revealed), stored as "yes" or "no"."""
    return Radios(
        options=(
            Option(YES, yes or _l("Yes"), reveal=reveal_if_yes),
            Option(NO, no or _l("No"), reveal=reveal_if_no),
        ),
        inline=True,
    )


@dataclass(frozen=True)
class Checkboxes(_Choice):
    """Tick all that apply; an ``exclusive`` option ('None of these') cannot be combined with others."""

    macro: ClassVar[str] = "govukCheckboxes"
    multiple: ClassVar[bool] = True
    exclusive_error: Label | None = field(default=None)

    def chosen_clause(self, answer: str, number: str) -> str:
        return gettext("you ticked ‘%(answer)s’ at %(number)s", answer=answer, number=number)

    def raw_from_form(self, question: QuestionLike, form: Mapping[str, Any]) -> Raw:
        return form_values(form, question.id)

    def is_empty(self, raw: Raw) -> bool:
        return not self.chosen(raw)

    def parse(self, question: QuestionLike, raw: Raw, today: date) -> Parsed:
        chosen = list(dict.fromkeys(self.chosen(raw)))  # de-duplicated, in posted order
        if not chosen:
            if question.optional:
                return Parsed([])
            return Parsed(errors=(error_for(question, required_error(question, "select")),))
        exclusive = [value for value in chosen if self.option(value).exclusive]  # type: ignore[union-attr]
        if exclusive and len(chosen) > 1:
            option = self.option(exclusive[0])
            message = (
                str(self.exclusive_error)
                if self.exclusive_error
                else gettext(
                    "Select ‘%(none)s’ or the options that apply, not both",
                    none=str(option.label) if option else "",
                )
            )
            return Parsed(errors=(error_for(question, message),))
        # Keep the declared order so check answers reads the same as the page.
        return Parsed([option.value for option in self.choices() if option.value in chosen])

    def display_value(self, value: Any) -> list[str]:
        return [str(option.label) for option in self.choices() if option.value in value]

    def display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        return self.display_value(self.chosen(raw))
