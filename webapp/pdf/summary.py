"""The PDF copy of an application: check answers' rows, numbered and grouped for paper.

The wording of every answer comes from ``engine.check_answers`` (the one place that decides how
an answer reads); this module only adds the printed numbers and chooses, per repeating group,
a table (a few short answers per item, the head repeated on every page) or one block per item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from webapp.engine import Card, check_answers
from webapp.engine.schema import RepeatingGroup, Service

from .layout import MAX_TABLE_COLUMNS, question_numbers


@dataclass
class AnswerRow:
    number: str
    key: str
    lines: list[str]
    photo: bool = False  # the answer is an uploaded photo: the PDF shows the image


@dataclass
class RowsBlock:
    rows: list[AnswerRow]


@dataclass
class GroupTable:
    number: str
    title: str
    columns: list[tuple[str, str]]  # (number, name)
    items: list[tuple[str, list[list[str]]]]  # (item title, one cell per column)


@dataclass
class GroupCards:
    number: str
    title: str
    items: list[tuple[str, list[AnswerRow]]] = field(default_factory=list)


@dataclass
class SectionAnswers:
    number: str
    title: str
    blocks: list[RowsBlock | GroupTable | GroupCards]


def reads_as_table(group: RepeatingGroup) -> bool:
    """A few short answers per item read best as a table; long or many answers as blocks."""
    questions = [q for page in group.item_pages for top in page.questions for q in top.walk()]
    return len(questions) <= MAX_TABLE_COLUMNS and not any(q.field.summary_wide for q in questions)


def _rows(service: Service, card: Card, numbers: Mapping[str, str]) -> list[AnswerRow]:
    return [
        AnswerRow(
            numbers.get(row.question_id, ""),
            row.key,
            list(row.lines),
            service.questions[row.question_id].question.field.is_photo,
        )
        for row in card.rows
    ]


def _group_block(
    service: Service, group: RepeatingGroup, cards: list[Card], numbers: Mapping[str, str]
) -> GroupTable | GroupCards:
    if not reads_as_table(group):
        block = GroupCards(numbers[group.id], str(group.title))
        block.items = [(card.title or "", _rows(service, card, numbers)) for card in cards]
        return block
    # Columns in the order the service asks, keeping only those some item answered.
    answered = {row.question_id for card in cards for row in card.rows}
    order = [q for page in group.item_pages for top in page.questions for q in top.walk()]
    columns = [q for q in order if q.id in answered]
    items = []
    for card in cards:
        by_id = {row.question_id: row.lines for row in card.rows}
        items.append((card.title or "", [list(by_id.get(q.id, [])) for q in columns]))
    return GroupTable(
        numbers[group.id],
        str(group.title),
        [(numbers.get(q.id, ""), q.short_name) for q in columns],
        items,
    )


def _blocks(
    service: Service, cards: Sequence[Card], numbers: Mapping[str, str]
) -> list[RowsBlock | GroupTable | GroupCards]:
    """A section's cards as blocks: plain rows, and each run of a group's items as one block."""
    blocks: list[RowsBlock | GroupTable | GroupCards] = []
    pending: list[Card] = []

    def flush() -> None:
        if pending:
            group = service.groups[pending[0].group_id or ""]
            blocks.append(_group_block(service, group, list(pending), numbers))
            pending.clear()

    for card in cards:
        if card.group_id is not None and pending and pending[0].group_id != card.group_id:
            flush()
        if card.group_id is not None:
            pending.append(card)
            continue
        flush()
        blocks.append(RowsBlock(_rows(service, card, numbers)))
    flush()
    return blocks


def answers_view(
    service: Service,
    answers: Mapping[str, Any],
    today: date | None = None,
    *,
    channel: str | None = None,
) -> list[SectionAnswers]:
    """Every answered part of the application, in the order of the form."""
    numbers = question_numbers(service)
    positions = {section.id: str(s) for s, section in enumerate(service.sections, start=1)}
    result = []
    for summary in check_answers(service, answers, today, channel=channel):
        blocks = _blocks(service, summary.cards, numbers)
        result.append(SectionAnswers(positions[summary.section_id], summary.title, blocks))
    return result
