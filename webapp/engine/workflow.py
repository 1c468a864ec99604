"""A service's case workflow: the states a sent case moves through, the moves staff may make
between them (which role, whether a note is needed), and what each state means to the
applicant in plain words. Declared with the service, checked for mistakes as it is built.

Every workflow begins at ``RECEIVED``: the state a case is stored in when it is sent, whatever
the service (so cases sent before a service declared its workflow keep working).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .fields import Label

RECEIVED = "submitted"
# The GOV.UK tag colours a state may be shown in on staff pages.
TAG_COLOURS = (
    "",
    "grey",
    "green",
    "turquoise",
    "blue",
    "light-blue",
    "purple",
    "pink",
    "red",
    "orange",
    "yellow",
)


@dataclass(frozen=True)
class State:
    """One state of a case. ``staff_name`` is what the back office shows ("Medical check");
    ``public_words`` what it means to the applicant ("Your GP is being asked about your health").
    A ``final`` state is a decision: no move leaves it. A ``refundable`` state is one a case
    ending in should have its fee back (withdrawn before any checks began, say): moving a paid
    case into it proposes a refund of what is left of the payment to a force administrator."""

    id: str
    staff_name: str
    public_words: Label
    final: bool = False
    tag: str = ""  # the GOV.UK tag colour on staff pages
    refundable: bool = False

    @property
    def tag_class(self) -> str:
        return f"govuk-tag--{self.tag}" if self.tag else ""


@dataclass(frozen=True)
class Move:
    """Staff may move a case from ``source`` to ``target`` if their role is one of ``roles``;
    ``needs_note`` asks them to say why (kept in the case's history)."""

    source: str
    target: str
    roles: tuple[str, ...]
    needs_note: bool = True


@dataclass(frozen=True)
class Workflow:
    states: Sequence[State]
    moves: Sequence[Move]
    _by_id: dict[str, State] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, State] = {}
        for state in self.states:
            if state.id in by_id:
                raise ValueError(f"workflow: state {state.id!r} is declared twice")
            if state.tag not in TAG_COLOURS:
                raise ValueError(
                    f"workflow: state {state.id!r} has unknown tag colour {state.tag!r}"
                )
            by_id[state.id] = state
        object.__setattr__(self, "_by_id", by_id)
        if not self.states or self.states[0].id != RECEIVED:
            raise ValueError(
                f"workflow: the first state must be {RECEIVED!r}, where a sent case starts"
            )
        seen: set[tuple[str, str]] = set()
        for move in self.moves:
            for end in (move.source, move.target):
                if end not in by_id:
                    raise ValueError(
                        f"workflow: move {move.source!r} to {move.target!r} names unknown state {end!r}"
                    )
            if by_id[move.source].final:
                raise ValueError(f"workflow: move out of final state {move.source!r}")
            if move.source == move.target:
                raise ValueError(f"workflow: move from {move.source!r} to itself")
            if (move.source, move.target) in seen:
                raise ValueError(
                    f"workflow: move {move.source!r} to {move.target!r} is declared twice"
                )
            if not move.roles:
                raise ValueError(f"workflow: move {move.source!r} to {move.target!r} names no role")
            seen.add((move.source, move.target))
        reached = self._reachable()
        for state in self.states:
            if state.id not in reached:
                raise ValueError(
                    f"workflow: state {state.id!r} cannot be reached from {RECEIVED!r}"
                )
            if not state.final and not any(move.source == state.id for move in self.moves):
                raise ValueError(f"workflow: no move leaves {state.id!r}, yet it is not final")

    def _reachable(self) -> set[str]:
        reached, frontier = {RECEIVED}, [RECEIVED]
        while frontier:
            current = frontier.pop()
            for move in self.moves:
                if move.source == current and move.target not in reached:
                    reached.add(move.target)
                    frontier.append(move.target)
        return reached

    @property
    def initial(self) -> State:
        return self.states[0]

    def state(self, state_id: str) -> State | None:
        return self._by_id.get(state_id)

    def staff_name(self, state_id: str) -> str:
        """The state's name for staff; an id no longer declared is shown as stored."""
        state = self._by_id.get(state_id)
        return state.staff_name if state else state_id

    def refundable(self, state_id: str) -> bool:
        """Whether a case moved into this state should be offered its fee back."""
        state = self._by_id.get(state_id)
        return state is not None and state.refundable

    def moves_from(self, state_id: str, role: str) -> list[Move]:
        """The moves someone in ``role`` may make from ``state_id``, in declared order."""
        return [move for move in self.moves if move.source == state_id and role in move.roles]

    def move(self, source: str, target: str, role: str) -> Move | None:
        """The declared move, if someone in ``role`` may make it; None otherwise."""
        return next((move for move in self.moves_from(source, role) if move.target == target), None)

    def roles(self) -> set[str]:
        return {role for move in self.moves for role in move.roles}


def staff_names(workflows: Iterable[Workflow]) -> dict[str, str]:
    """Every state of these workflows, by id, with its staff name, for lists that span services
    (dashboard counts, the search filter). The same id must mean the same thing everywhere:
    a filter by status cannot tell two meanings apart."""
    names: dict[str, str] = {}
    for workflow in workflows:
        for state in workflow.states:
            if names.setdefault(state.id, state.staff_name) != state.staff_name:
                raise ValueError(
                    f"workflow: state {state.id!r} is called both {names[state.id]!r} and {state.staff_name!r}"
                )
    return names


def tag_classes(workflows: Iterable[Workflow]) -> dict[str, str]:
    return {state.id: state.tag_class for workflow in workflows for state in workflow.states}
