"""A date and a time of day: the GOV.UK date input, then hour and minute boxes (24-hour clock).

Both sit in one fieldset under the question, each in its own small fieldset ("Date", "Time")
so a screen reader says which boxes it is in. The date is checked exactly as ``Date`` checks
it, the time as a real time of day. The clean value is a ``datetime`` (UK local time, no
zone), whose ``isoformat()`` is how it is passed on; the stored raw answer is what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
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
    required_error,
)
from .dates import Date, Rule, format_date

DATE_PARTS = ("day", "month", "year")
TIME_PARTS = ("hour", "minute")
PARTS = DATE_PARTS + TIME_PARTS


def format_time(value: time) -> str:
    """GOV.UK style: '9am', '2:30pm', 'midday', 'midnight'."""
    if (value.hour, value.minute) == (12, 0):
        return gettext("midday")
    if (value.hour, value.minute) == (0, 0):
        return gettext("midnight")
    hour = value.hour % 12 or 12
    clock = f"{hour}:{value.minute:02d}" if value.minute else str(hour)
    return (
        gettext("%(time)sam", time=clock) if value.hour < 12 else gettext("%(time)spm", time=clock)
    )


def format_date_time(value: datetime) -> str:
    """'5 February 2025 at 2:30pm'."""
    return gettext(
        "%(date)s at %(time)s", date=format_date(value.date()), time=format_time(value.time())
    )


def _labels() -> dict[str, str]:
    return {
        "day": gettext("Day"),
        "month": gettext("Month"),
        "year": gettext("Year"),
        "hour": gettext("Hour"),
        "minute": gettext("Minute"),
    }


def _number(text: str, highest: int) -> int | None:
    number = whole_number(text, max_digits=2)
    return number if number is not None and number <= highest else None


@dataclass(frozen=True)
class DateTime(Field):
    """When something happened (or will): a date and a time of day.

    ``when``, ``max_years_ago`` and ``max_years_ahead`` bound the date as ``Date`` does (the
    engine knows today's date, not the clock, so a time later today counts as today).
    """

    when: Rule | None = None
    max_years_ago: int | None = None
    max_years_ahead: int | None = None
    macro: ClassVar[str] = "fieldset"
    paper_table_cell: ClassVar[bool] = True

    def _date(self) -> Date:
        return Date(
            when=self.when, max_years_ago=self.max_years_ago, max_years_ahead=self.max_years_ahead
        )

    def error_anchor(self, question_id: str) -> str:
        return f"{question_id}-day"

    def raw_from_form(self, question: QuestionLike, form: Mapping[str, Any]) -> Raw:
        return {part: form_value(form, f"{question.id}-{part}", limit=20) for part in PARTS}

    def form_data(self, question: QuestionLike, raw: Raw) -> dict[str, Any]:
        if raw is None:
            return {}
        return {f"{question.id}-{part}": text for part, text in as_parts(raw, PARTS).items()}

    def is_empty(self, raw: Raw) -> bool:
        return not any(value.strip() for value in as_parts(raw, PARTS).values())

    def parse(self, question: QuestionLike, raw: Raw, today: date) -> Parsed:
        typed = as_parts(raw, PARTS)
        name = question.short_name

        def error(message: str, parts: tuple[str, ...]) -> FieldError:
            return FieldError(message, question.id, f"{question.id}-{parts[0]}", parts)

        if self.is_empty(raw):
            if question.optional:
                return Parsed(None)
            return Parsed(errors=(error(required_error(question), DATE_PARTS),))
        errors: list[FieldError] = []
        day: date | None = None
        if not any(typed[part].strip() for part in DATE_PARTS):
            errors.append(error(gettext("%(name)s must include a date", name=name), DATE_PARTS))
        else:
            parsed = self._date().parse(question, {part: typed[part] for part in DATE_PARTS}, today)
            errors.extend(parsed.errors)
            day = parsed.value
        hour_text, minute_text = typed["hour"].strip(), typed["minute"].strip()
        if not hour_text and not minute_text:
            errors.append(error(gettext("%(name)s must include a time", name=name), TIME_PARTS))
        elif not hour_text:
            errors.append(error(gettext("%(name)s must include an hour", name=name), ("hour",)))
        elif not minute_text:
            errors.append(error(gettext("%(name)s must include a minute", name=name), ("minute",)))
        hour, minute = _number(hour_text, 23), _number(minute_text, 59)
        if hour_text and minute_text and (hour is None or minute is None):
            checked = (("hour", hour is not None), ("minute", minute is not None))
            wrong = tuple(part for part, ok in checked if not ok)
            errors.append(error(gettext("%(name)s must be a real time", name=name), wrong))
        if errors:
            return Parsed(errors=tuple(errors))
        assert day is not None and hour is not None and minute is not None
        return Parsed(datetime.combine(day, time(hour, minute)))

    def display_value(self, value: Any) -> list[str]:
        return [format_date_time(value)] if isinstance(value, datetime) else []

    def display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        parsed = self.parse(question, raw, today)
        if parsed.ok and parsed.value is not None:
            return self.display_value(parsed.value)
        typed = as_parts(raw, PARTS)
        day = " ".join(typed[part].strip() for part in DATE_PARTS if typed[part].strip())
        clock = ":".join(typed[part].strip() for part in TIME_PARTS if typed[part].strip())
        return [" ".join(text for text in (day, clock) if text)] if day or clock else []

    def paper_widget(self) -> dict[str, Any]:
        labels = _labels()
        return {"kind": "date", "parts": [labels[part] for part in PARTS], "wide": [labels["year"]]}

    def macro_params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], *, heading: bool
    ) -> dict[str, Any]:
        """A fieldset (the question) holding a date input and a time input, each showing the
        errors of its own boxes."""
        typed = as_parts(raw, PARTS)
        date_errors = [e for e in errors if not set(e.parts) & set(TIME_PARTS)]
        time_errors = [e for e in errors if set(e.parts) & set(TIME_PARTS)]
        labels = _labels()

        def items(parts: tuple[str, ...], shown: Sequence[FieldError]) -> list[dict[str, Any]]:
            highlighted = {part for e in shown for part in (e.parts or parts)}
            result = []
            for part in parts:
                width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
                error_class = " govuk-input--error" if part in highlighted else ""
                item = {
                    "id": f"{question.id}-{part}",
                    "name": part,
                    "label": labels[part],
                    "value": typed[part],
                    "classes": width + error_class,
                }
                result.append(item)
            return result

        def group(kind: Literal["date", "time"], legend: str, hint: str) -> dict[str, Any]:
            parts = DATE_PARTS if kind == "date" else TIME_PARTS
            shown = date_errors if kind == "date" else time_errors
            params = {
                "id": f"{question.id}-{kind}",
                "namePrefix": question.id,
                "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
                "hint": {"text": hint},
                "errorMessage": first_error(shown),
                "items": items(parts, shown),
            }
            return {"macro": "govukDateInput", "params": params}

        return {
            "id": question.id,
            "fieldset": {"legend": legend_param(question, heading=heading)},
            "hint": hint_param(question),
            "parts": [
                group("date", gettext("Date"), self._date().example_hint()),
                group("time", gettext("Time"), gettext("Use the 24-hour clock, for example 14 30")),
            ],
        }


__all__ = ["DateTime", "format_date_time", "format_time"]
