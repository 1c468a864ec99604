"""Reusable cross-field checks for ``Rule(page, check)``: each returns a function of a Context
that gives a GOV.UK error message, or None when the answers are fine."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from webapp.i18n import gettext

from .conditions import Condition
from .context import Context
from .fields import Label, format_date, years_before

Check = Callable[[Context], "str | None"]


def _month_precision(ctx: Context, question_id: str) -> bool:
    ref = ctx.service.questions.get(question_id)
    return ref is not None and getattr(ref.question.field, "day", True) is False


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def covers_years(years: int, *, since: str, group: str, start: str, end: str) -> Check:
    """The current address (lived at since ``since``) and the ``group`` of previous addresses
    (each from ``start`` to ``end``) must cover the last ``years`` years without a gap."""

    def check(ctx: Context) -> str | None:
        top = ctx.top()
        moved_in = top.value(since)
        if not isinstance(moved_in, date):
            return None  # the move-in date's own page reports that
        window_start = years_before(top.today, years)
        periods: list[tuple[date, date]] = [(moved_in, top.today)]
        by_month = _month_precision(top, end)
        for item in top.items(group):
            begin, finish = item.value(start), item.value(end)
            if isinstance(begin, date) and isinstance(finish, date):
                periods.append((begin, _end_of_month(finish) if by_month else finish))
        periods.sort()
        covered_to = window_start
        for begin, finish in periods:
            if begin > covered_to + timedelta(days=1):
                shown = {"with_day": not by_month}
                if covered_to == window_start:
                    return gettext(
                        "Your addresses must cover the last %(years)s years. Add where you lived before %(date)s",
                        years=years,
                        date=format_date(begin, **shown),
                    )
                return gettext(
                    "There is a gap in your addresses between %(start)s and %(end)s. "
                    "Add where you lived then, or change the dates",
                    start=format_date(covered_to, **shown),
                    end=format_date(begin, **shown),
                )
            covered_to = max(covered_to, finish)
        return None

    return check


def ends_after(start: str, end: str, message: Label) -> Check:
    """An item's end date must not be before its start date."""

    def check(ctx: Context) -> str | None:
        begin, finish = ctx.value(start), ctx.value(end)
        if isinstance(begin, date) and isinstance(finish, date) and finish < begin:
            return str(message)
        return None

    return check


def at_least(question: str, minimum: int, message: Label) -> Check:
    """A number answer must be at least ``minimum`` (for example years a referee has known you)."""

    def check(ctx: Context) -> str | None:
        value: Any = ctx.value(question)
        if value is not None and value < minimum:
            return str(message)
        return None

    return check


def requires(condition: Condition, questions: tuple[str, ...], message: Label) -> Check:
    """When ``condition`` holds, each of ``questions`` must have a valid answer."""

    def check(ctx: Context) -> str | None:
        if condition(ctx) and any(ctx.value(question) is None for question in questions):
            return str(message)
        return None

    return check


def at_least_one(questions: tuple[str, ...], message: Label) -> Check:
    """At least one of several optional answers must be given (a home or a mobile number)."""

    def check(ctx: Context) -> str | None:
        return (
            None if any(ctx.value(question) is not None for question in questions) else str(message)
        )

    return check


def _comparable(value: Any) -> object:
    """An answer as two people would be told apart by it: case, spaces and punctuation ignored;
    an address by its first line and postcode (the other lines are often written differently)."""

    def plain(text: object) -> str:
        return "".join(char for char in str(text).casefold() if char.isalnum())

    if isinstance(value, Mapping):
        if "postcode" in value:
            return (plain(value.get("line1", "")), plain(value.get("postcode", "")))
        return tuple(sorted((key, plain(part)) for key, part in value.items()))
    return plain(value) if value is not None else None


def differs_from_earlier_items(group: str, questions: tuple[str, ...], message: Label) -> Check:
    """On an item page: this item must not repeat an earlier item's answers to all of
    ``questions`` (the same person given twice). The later item carries the error."""

    def check(ctx: Context) -> str | None:
        if ctx.index is None or ctx.group is None or ctx.group.id != group:
            return None
        mine = [_comparable(ctx.value(question)) for question in questions]
        if any(part in (None, "", ()) for part in mine):
            return None  # an unanswered question's own page reports that
        for other in ctx.top().items(group)[: ctx.index]:
            if [_comparable(other.value(question)) for question in questions] == mine:
                return str(message)
        return None

    return check


def postcode_not_in(question: str, refused: Callable[[str], bool], message: Label) -> Check:
    """The postcode in an answer (an address, or a postcode typed as text) must not be one that
    ``refused`` says is outside where the answer may be (say, outside Great Britain)."""

    def check(ctx: Context) -> str | None:
        value: Any = ctx.value(question)
        postcode = value.get("postcode") if isinstance(value, Mapping) else value
        if isinstance(postcode, str) and postcode.strip() and refused(postcode):
            return str(message)
        return None

    return check
