"""How a case is found again, declared with the service: the answers that feed staff search
(surname, postcode, date of birth), and the answers a person gives, beside the reference, to
prove it is theirs (resume by reference, a copy of a sent application)."""

from __future__ import annotations

from dataclasses import dataclass

from .fields import Label


@dataclass(frozen=True)
class SearchKeys:
    """Which answer feeds each staff search key; None where the service asks no such thing.
    ``postcode`` may name a postcode question or an address (its postcode is used)."""

    surname: str | None = None
    postcode: str | None = None
    date_of_birth: str | None = None

    def answers(self) -> list[str]:
        return [answer for answer in (self.surname, self.postcode, self.date_of_birth) if answer]


@dataclass(frozen=True)
class Proof:
    """An answer that identifies the person. Pages outside the journey ask for it with the
    question's own field (its rendering and validation), labelled with its short name; ``hint``
    is the hint shown there (the journey's question may need none)."""

    answer: str
    hint: Label | None = None
