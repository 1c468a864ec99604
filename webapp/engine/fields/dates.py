"""The GOV.UK date input: day, month and year boxes (or month and year only)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from webapp.i18n import gettext
from webapp.numbers import whole_number

from .base import (
    Field,
    FieldError,
    Parsed,
    QuestionLike,
    Raw,
    as_parts,
    first_error,
    form_value,
    hint_param,
    legend_param,
    lower_first,
    required_error,
)

# Month names and the abbreviations people type, English and Welsh, matched case-insensitively.
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("january", "jan", "ionawr"),
        ("february", "feb", "chwefror"),
        ("march", "mar", "mawrth"),
        ("april", "apr", "ebrill"),
        ("may", "mai"),
        ("june", "jun", "mehefin"),
        ("july", "jul", "gorffennaf"),
        ("august", "aug", "awst"),
        ("september", "sep", "sept", "medi"),
        ("october", "oct", "hydref"),
        ("november", "nov", "tachwedd"),
        ("december", "dec", "rhagfyr"),
    ],
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number


def parse_month(text: str) -> int | None:
    """'2', '02', 'feb', 'Feb.', 'February' -> 2; None if it is not a month."""
    text = text.strip().lower().rstrip(".")
    number = whole_number(text, max_digits=2)
    if number is not None:
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(text)


def _int(text: str) -> int | None:
    return whole_number(text, max_digits=4)


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for a 29 February start)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def format_date(value: date, *, with_day: bool = True) -> str:
    """'5 February 2025', the GOV.UK style (no leading zero, full month name)."""
    months = [
        gettext("January"),
        gettext("February"),
        gettext("March"),
        gettext("April"),
        gettext("May"),
        gettext("June"),
        gettext("July"),
        gettext("August"),
        gettext("September"),
        gettext("October"),
        gettext("November"),
        gettext("December"),
    ]
    month = months[value.month - 1]
    return f"{value.day} {month} {value.year}" if with_day else f"{month} {value.year}"


Rule = Literal["past", "past_or_today", "future", "today_or_future"]


@dataclass(frozen=True)
class Date(Field):
    """A date typed into separate boxes.

    ``when`` restricts it relative to today; ``max_years_ago`` / ``max_years_ahead`` keep it
    within sensible bounds (a date of birth 300 years ago is a typing mistake). With
    ``day=False`` only month and year are asked and the value is the first of that month.
    """

    when: Rule | None = None
    max_years_ago: int | None = None
    max_years_ahead: int | None = None
    day: bool = True
    autocomplete: Literal["bday"] | None = None
    macro: ClassVar[str] = "govukDateInput"

    @property
    def parts(self) -> tuple[str, ...]:
        return ("day", "month", "year") if self.day else ("month", "year")

    paper_table_cell: ClassVar[bool] = True

    def error_anchor(self, question_id: str) -> str:
        return f"{question_id}-{self.parts[0]}"

    def form_data(self, question: QuestionLike, raw: Raw) -> dict[str, Any]:
        if raw is None:
            return {}
        return {f"{question.id}-{part}": text for part, text in as_parts(raw, self.parts).items()}

    def paper_widget(self) -> dict[str, Any]:
        labels = {"day": gettext("Day"), "month": gettext("Month"), "year": gettext("Year")}
        return {
            "kind": "date",
            "parts": [labels[part] for part in self.parts],
            "wide": [labels["year"]],  # four figures
        }

    def raw_from_form(self, question: QuestionLike, form: Mapping[str, Any]) -> Raw:
        return {part: form_value(form, f"{question.id}-{part}", limit=20) for part in self.parts}

    def is_empty(self, raw: Raw) -> bool:
        return not any(value.strip() for value in as_parts(raw, self.parts).values())

    def parse(self, question: QuestionLike, raw: Raw, today: date) -> Parsed:
        typed = as_parts(raw, self.parts)
        name = question.short_name

        def fail(message: str, parts: tuple[str, ...]) -> Parsed:
            href = f"{question.id}-{parts[0]}" if parts else f"{question.id}-{self.parts[0]}"
            return Parsed(errors=(FieldError(message, question.id, href, parts),))

        missing = tuple(part for part in self.parts if not typed[part].strip())
        if len(missing) == len(self.parts):
            return Parsed(None) if question.optional else fail(required_error(question), ())
        if missing:
            # GOV.UK: "Date of birth must include a month" / "... must include a day and month".
            messages = {
                ("day",): gettext("%(name)s must include a day", name=name),
                ("month",): gettext("%(name)s must include a month", name=name),
                ("year",): gettext("%(name)s must include a year", name=name),
                ("day", "month"): gettext("%(name)s must include a day and month", name=name),
                ("day", "year"): gettext("%(name)s must include a day and year", name=name),
                ("month", "year"): gettext("%(name)s must include a month and year", name=name),
            }
            message = messages[missing]
            return fail(message, missing)

        day_number = _int(typed["day"]) if self.day else 1
        month = parse_month(typed["month"])
        year_text = typed["year"].strip()
        year = _int(year_text)
        wrong = tuple(
            part
            for part, ok in (
                ("day", day_number is not None),
                ("month", month is not None),
                ("year", year is not None),
            )
            if part in self.parts and not ok
        )
        if wrong:
            return fail(gettext("%(name)s must be a real date", name=name), wrong)
        assert day_number is not None and month is not None and year is not None
        if len(year_text) != 4:
            return fail(gettext("Year must include 4 numbers"), ("year",))
        try:
            value = date(year, month, day_number)
        except ValueError:  # 31 February, day 0, month 13, year 0
            bad = ("year",) if year < 1 else ("day",) if self.day else ("month",)
            return fail(gettext("%(name)s must be a real date", name=name), bad)
        return self._check_bounds(value, today, name, fail)

    def _check_bounds(
        self, value: date, today: date, name: str, fail: Callable[[str, tuple[str, ...]], Parsed]
    ) -> Parsed:
        rules = {
            "past": (value < today, gettext("%(name)s must be in the past", name=name)),
            "past_or_today": (
                value <= today,
                gettext("%(name)s must be today or in the past", name=name),
            ),
            "future": (value > today, gettext("%(name)s must be in the future", name=name)),
            "today_or_future": (
                value >= today,
                gettext("%(name)s must be today or in the future", name=name),
            ),
        }
        if not self.day and self.when in ("past", "past_or_today"):
            ok = (value.year, value.month) <= (today.year, today.month)  # this month counts as past
            if not ok:
                return fail(rules[self.when][1], ())
        elif self.when is not None and not rules[self.when][0]:
            return fail(rules[self.when][1], ())
        if self.max_years_ago is not None:
            earliest = years_before(today, self.max_years_ago)
            if value < earliest:
                message = gettext(
                    "%(name)s must be the same as or after %(date)s",
                    name=name,
                    date=format_date(earliest),
                )
                return fail(message, ())
        if self.max_years_ahead is not None:
            latest = years_before(today, -self.max_years_ahead)
            if value > latest:
                message = gettext(
                    "%(name)s must be the same as or before %(date)s",
                    name=name,
                    date=format_date(latest),
                )
                return fail(message, ())
        return Parsed(value)

    def display_value(self, value: Any) -> list[str]:
        return [format_date(value, with_day=self.day)] if isinstance(value, date) else []

    def display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        parsed = self.parse(question, raw, today)
        if parsed.ok and parsed.value is not None:
            return self.display_value(parsed.value)
        typed = [value.strip() for value in as_parts(raw, self.parts).values()]
        return [" ".join(value for value in typed if value)] if any(typed) else []

    def macro_params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], *, heading: bool
    ) -> dict[str, Any]:
        typed = as_parts(raw, self.parts)
        highlighted = {part for error in errors for part in (error.parts or self.parts)}
        labels = {"day": gettext("Day"), "month": gettext("Month"), "year": gettext("Year")}
        items = []
        for part in self.parts:
            item: dict[str, Any] = {
                "name": part,
                "label": labels[part],
                "value": typed[part],
                "classes": "govuk-input--width-4" if part == "year" else "govuk-input--width-2",
            }
            if part in highlighted:
                item["classes"] += " govuk-input--error"
            if self.autocomplete:
                item["autocomplete"] = f"{self.autocomplete}-{part}"
            items.append(item)
        return {
            "id": question.id,
            "namePrefix": question.id,
            "fieldset": {"legend": legend_param(question, heading=heading)},
            "hint": hint_param(question) or {"text": self.example_hint()},
            "errorMessage": first_error(errors),
            "items": items,
        }

    def example_hint(self) -> str:
        """A default hint in the GOV.UK shape, when the question gives none."""
        if self.when in ("past", "past_or_today"):
            return gettext("For example, 27 3 2007") if self.day else gettext("For example, 3 2007")
        return gettext("For example, 27 3 2031") if self.day else gettext("For example, 3 2031")


__all__ = ["Date", "format_date", "lower_first", "parse_month", "years_before"]
