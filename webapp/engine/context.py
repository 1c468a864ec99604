"""Reading answers: raw values as stored, clean values by parsing, scoped to a repeating item.

The stored answers are a plain JSON-serialisable dict (see ``answers``). A ``Context`` wraps them
with the service (to know each question's field) and today's date (so date rules are testable),
and is what conditions, rules and fee functions receive. It also knows the channel the answers
are given through (online, or staff helping by phone or keying in paper): a service may relax a
question, or ask one, only in some channels. ``None`` is the strictest reading: no relaxation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from webapp.uk_time import uk_today

from .fields import Parsed, Raw

if TYPE_CHECKING:
    from .schema import RepeatingGroup, Service

_MISSING = object()


class Context:
    """Answers as seen from one place: the whole application, or one item of a repeating group.

    Inside an item, questions of that group are read from the item and everything else from the
    top level, so an item page's condition can look at both.
    """

    def __init__(
        self,
        service: Service,
        answers: Mapping[str, Any],
        today: date | None = None,
        *,
        group: RepeatingGroup | None = None,
        item: Mapping[str, Any] | None = None,
        index: int | None = None,
        channel: str | None = None,
    ) -> None:
        self.service = service
        self.channel = channel
        self.answers = answers if isinstance(answers, Mapping) else {}
        self.today = today or uk_today()
        self.group = group
        self.item = item if isinstance(item, Mapping) else ({} if group else None)
        self.index = index
        self._parsed: dict[str, Parsed] = {}

    def _source(self, question_id: str) -> Mapping[str, Any]:
        ref = self.service.questions.get(question_id)
        if ref is not None and ref.group is not None:
            if self.group is not None and ref.group is self.group and self.item is not None:
                return self.item
            return {}  # an item question read from outside its item has no single answer
        return self.answers

    def has(self, question_id: str) -> bool:
        """Whether an answer was saved for the question (even an empty optional one)."""
        return question_id in self._source(question_id)

    def raw(self, question_id: str) -> Raw:
        value = self._source(question_id).get(question_id, None)
        return value  # type: ignore[no-any-return]

    def parsed(self, question_id: str) -> Parsed:
        if question_id not in self._parsed:
            ref = self.service.questions.get(question_id)
            if ref is None:
                self._parsed[question_id] = Parsed(None)
            else:
                question = ref.question.in_channel(self.channel)
                self._parsed[question_id] = question.field.parse(
                    question, self.raw(question_id), self.today
                )
        return self._parsed[question_id]

    def value(self, question_id: str) -> Any:
        """The clean value, or None when unanswered or invalid."""
        if not self.has(question_id):
            return None
        parsed = self.parsed(question_id)
        return parsed.value if parsed.ok else None

    def items(self, group_id: str) -> list[Context]:
        """One context per stored item of a repeating group."""
        group = self.service.groups[group_id]
        return [
            self.for_item(group, index) for index in range(len(item_list(self.answers, group_id)))
        ]

    def for_item(self, group: RepeatingGroup, index: int) -> Context:
        items = item_list(self.answers, group.id)
        item = items[index] if 0 <= index < len(items) else {}
        return Context(
            self.service,
            self.answers,
            self.today,
            group=group,
            item=item,
            index=index,
            channel=self.channel,
        )

    def top(self) -> Context:
        if self.group is None:
            return self
        return Context(self.service, self.answers, self.today, channel=self.channel)


def item_list(answers: Mapping[str, Any], group_id: str) -> list[dict[str, Any]]:
    """A repeating group's stored items; anything malformed reads as no items."""
    items = answers.get(group_id) if isinstance(answers, Mapping) else None
    if not isinstance(items, list):
        return []
    return [item if isinstance(item, dict) else {} for item in items]
