"""When a page, question, group or section is shown: small predicates over the answers.

A condition is any callable taking a ``Context`` and returning a bool. The helpers here cover the
common cases declaratively (and let the service be checked for references to unknown questions);
a plain function covers the rest:

    condition=answer_is("certificates", "fac")
    condition=lambda ctx: (ctx.value("moved_in") or today) > five_years_ago(ctx)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context

Condition = Callable[["Context"], bool]


@dataclass(frozen=True)
class AnswerIs:
    """True when the answer (or, for checkboxes, any ticked option) is one of ``values``."""

    question: str
    values: tuple[str, ...]

    def __call__(self, ctx: Context) -> bool:
        value = ctx.value(self.question)
        if isinstance(value, list):
            return any(item in self.values for item in value)
        return value in self.values

    def references(self) -> Iterator[str]:
        yield self.question


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]

    def __call__(self, ctx: Context) -> bool:
        return all(condition(ctx) for condition in self.conditions)

    def references(self) -> Iterator[str]:
        for condition in self.conditions:
            yield from getattr(condition, "references", lambda: iter(()))()


@dataclass(frozen=True)
class AnyOf(AllOf):
    def __call__(self, ctx: Context) -> bool:
        return any(condition(ctx) for condition in self.conditions)


@dataclass(frozen=True)
class Not:
    condition: Condition

    def __call__(self, ctx: Context) -> bool:
        return not self.condition(ctx)

    def references(self) -> Iterator[str]:
        yield from getattr(self.condition, "references", lambda: iter(()))()


@dataclass(frozen=True)
class ChannelIs:
    """True when the answers are given through one of ``channels`` (say, staff taking them by
    phone): for questions only staff are asked. It names no question, so it has no references."""

    channels: tuple[str, ...]

    def __call__(self, ctx: Context) -> bool:
        return ctx.channel in self.channels


def needs_channel(condition: Condition | None) -> bool:
    """Whether a condition can only hold in some channels: a question asked only of staff,
    which the applicant's own paper form therefore leaves out."""
    if isinstance(condition, AnyOf):
        return bool(condition.conditions) and all(
            needs_channel(part) for part in condition.conditions
        )
    if isinstance(condition, AllOf):
        return any(needs_channel(part) for part in condition.conditions)
    return isinstance(condition, ChannelIs)


def channel_is(*channels: str) -> ChannelIs:
    return ChannelIs(channels)


def answer_is(question: str, *values: str) -> AnswerIs:
    return AnswerIs(question, values)


def all_of(*conditions: Condition) -> AllOf:
    return AllOf(conditions)


def any_of(*conditions: Condition) -> AnyOf:
    return AnyOf(conditions)


def not_(condition: Condition) -> Not:
    return Not(condition)
