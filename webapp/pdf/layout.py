"""Where every question sits on paper: numbers, writing boxes, and the filled-in answers.

Everything here is derived from the service definition, so a new question gets a number, a place
on the blank form and a row in the PDF copy with no other edit. Numbers follow the definition,
not the answers, so "4.2" is the same question on the blank form, on a draft and on the PDF copy
of any application (a part that does not apply is left out, never renumbered):

- part (section) ``s`` is the section's position in the service;
- each question on an ordinary page, and each repeating group, is ``s.n``;
- the questions inside a group's item are ``s.n.k``;
- a question revealed by an option gets its parent's number and a letter: ``s.na``.

The view objects hold plain strings only (lazy labels are resolved here, in the active locale),
so templates never call back into the engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from string import ascii_lowercase
from typing import Any

from webapp.channels import PAPER
from webapp.engine import check_answers
from webapp.engine.conditions import AllOf, AnswerIs, AnyOf, Condition, needs_channel
from webapp.engine.context import item_list
from webapp.engine.fields import PAPER_LINES, Field
from webapp.engine.schema import Page, Question, RepeatingGroup, Service
from webapp.i18n import gettext as _
from webapp.uk_time import uk_today

# Columns a group may have and still read well as a table across an A4 page.
MAX_TABLE_COLUMNS = 5
# Items the blank form has room for when the service allows more (then a continuation sheet).
CARD_SLOTS = 2
TABLE_SLOTS = 4
# Options that reveal a question each: up to this many, the writing boxes sit under their
# options; more would make one question taller than a page, so the options are listed together
# and the revealed questions follow, each saying which tick it depends on.
INLINE_REVEALS = 2


def _letter(index: int) -> str:
    """a, b, ... z, aa, ab: suffixes for revealed questions."""
    return ascii_lowercase[index] if index < 26 else _letter(index // 26 - 1) + _letter(index % 26)


def question_numbers(service: Service) -> dict[str, str]:
    """Every question id (and group id) -> its printed number. Add-another questions have none:
    on paper the list of items replaces them."""
    numbers: dict[str, str] = {}

    def nested(question: Question, number: str) -> None:
        for offset, child in enumerate(child for _value, child in question.nested()):
            numbers[child.id] = f"{number}{_letter(offset)}"
            nested(child, numbers[child.id])

    for s, section in enumerate(service.sections, start=1):
        n = 0
        for block in section.blocks:
            if isinstance(block, RepeatingGroup):
                n += 1
                numbers[block.id] = f"{s}.{n}"
                k = 0
                for page in block.item_pages:
                    for question in page.questions:
                        k += 1
                        numbers[question.id] = f"{s}.{n}.{k}"
                        nested(question, numbers[question.id])
                continue
            for question in on_paper(block):
                n += 1
                numbers[question.id] = f"{s}.{n}"
                nested(question, numbers[question.id])
    return numbers


def on_paper(page: Page) -> list[Question]:
    """A page's questions the applicant answers on paper: not those only staff are asked (how
    the photos come, say), which staff answer when they key the form in."""
    if needs_channel(page.condition):
        return []
    return [question for question in page.questions if not needs_channel(question.condition)]


def staff_only(service: Service, question_id: str) -> bool:
    """Whether only staff are asked the question (so it has no place on the paper form)."""
    ref = service.questions.get(question_id)
    if ref is None:
        return False
    if ref.parent is not None:
        return staff_only(service, ref.parent.id)
    return needs_channel(ref.page.condition) or needs_channel(ref.question.condition)


def is_add_another(service: Service, question_id: str) -> bool:
    ref = service.questions.get(question_id)
    return ref is not None and service.pages[ref.page.id].is_add_another


def _clause(service: Service, condition: Condition, numbers: Mapping[str, str]) -> str | None:
    """'you answered ‘A renewal’ at 1.2', or None when the condition cannot be put into words."""
    if isinstance(condition, AnswerIs):
        ref = service.questions.get(condition.question)
        if ref is None or condition.question not in numbers:
            return None
        field = ref.question.field
        named = (field.option_label(value) for value in condition.values)
        labels = [label for label in named if label] or list(condition.values)
        return field.chosen_clause(_("’ or ‘").join(labels), numbers[condition.question])
    if isinstance(condition, AllOf):  # AnyOf too
        parts = [_clause(service, part, numbers) for part in condition.conditions]
        if not parts or any(part is None for part in parts):
            return None
        joiner = _(" or ") if isinstance(condition, AnyOf) else _(" and ")
        return joiner.join(part for part in parts if part)
    return None


def describe_condition(
    service: Service, condition: Condition | None, numbers: Mapping[str, str]
) -> str | None:
    """'Only answer this if you answered ‘A renewal’ at 1.2', for conditions built from
    ``answer_is``; None for a condition in code that cannot be put into words."""
    clause = _clause(service, condition, numbers) if condition is not None else None
    return _("Only answer this if %(condition)s.", condition=clause) if clause else None


# --- the blank (or partly filled) paper form -------------------------------------------------


@dataclass
class Choice:
    label: str
    hint: str | None
    ticked: bool = False
    reveals: list[Slot] = field(default_factory=list)


@dataclass
class Slot:
    """One question's place on paper: its number and label, and the kind of writing box."""

    number: str
    label: str
    hint: str | None
    optional: bool
    kind: str  # line | lines | date | address | choices | enclose
    width: int = 100  # percent of the line, for "line"
    rows: int = 1  # ruled lines, for "lines"
    unit: str | None = None
    parts: list[str] = field(default_factory=list)  # date or address part labels
    wide: list[str] = field(default_factory=list)  # date parts with a wider box (the year)
    hide_hint: bool = False  # the box's own instructions say what the hint would
    choices: list[Choice] = field(default_factory=list)
    multiple: bool = False
    inline: bool = False  # a few short options (yes/no) side by side
    columns: bool = False  # many options without revealed questions, in two columns
    reveals_after: bool = False  # revealed questions follow the options, each on its own
    condition: str | None = None
    filled: list[str] | None = None  # a draft's answer, as check answers shows it
    notes: list[str] = field(default_factory=list)  # the page's own text, before its first question
    instructions: list[str] = field(default_factory=list)  # for "enclose": what to send and how
    question_id: str = ""


@dataclass
class PageBlock:
    title: str | None
    body: list[str]
    warning: str | None
    condition: str | None
    slots: list[Slot]


@dataclass
class ItemSlot:
    title: str
    slots: list[Slot]


@dataclass
class GroupBlock:
    number: str
    title: str
    hint: str | None
    condition: str | None
    columns: list[Slot]  # the item's questions (blank), for the table head
    items: list[ItemSlot]
    as_table: bool
    continuation: bool  # the service allows more items than there is room for


@dataclass
class SectionBlock:
    number: str
    title: str
    condition: str | None
    blocks: list[PageBlock | GroupBlock]


def _slot(
    service: Service,
    question: Question,
    numbers: Mapping[str, str],
    filled: Mapping[str, Any],
) -> Slot:
    widget = question.field.paper_widget()  # each field type says how it looks on paper
    answer = filled.get(question.id)
    slot = Slot(
        number=numbers.get(question.id, ""),
        label=question.field.paper_label(question),
        hint=str(question.hint) if question.hint else None,
        optional=question.in_channel(PAPER).optional,
        condition=describe_condition(service, question.condition, numbers),
        filled=answer[0] if answer else None,
        question_id=question.id,
        **widget,
    )
    for option, ticked in question.field.paper_choices(answer[1] if answer else None):
        reveals = [_slot(service, option.reveal, numbers, filled)] if option.reveal else []
        for child in reveals:  # a revealed box sits indented under its option: keep it short
            child.rows = min(child.rows, PAPER_LINES)
        hint = str(option.hint) if option.hint else None
        slot.choices.append(Choice(str(option.label), hint, ticked, reveals))
    if sum(len(choice.reveals) for choice in slot.choices) > INLINE_REVEALS:
        slot.reveals_after = True
        for choice in slot.choices:
            for child in choice.reveals:
                child.condition = _only_if_chosen(question.field, choice.label, slot.number)
    return slot


def _only_if_chosen(field: Field, option: str, number: str) -> str:
    """The condition a revealed question carries when it is printed apart from its option."""
    return _("Only answer this if %(condition)s.", condition=field.chosen_clause(option, number))


def _item_slots(
    service: Service, group: RepeatingGroup, numbers: Mapping[str, str], filled: Mapping[str, Any]
) -> list[Slot]:
    """One item's questions; a page's condition is carried by each of its questions."""
    slots = []
    for page in group.item_pages:
        for position, question in enumerate(page.questions):
            slot = _slot(service, question, numbers, filled)
            slot.condition = slot.condition or describe_condition(service, page.condition, numbers)
            if position == 0:
                slot.notes = [str(text) for text in (*page.body, page.warning) if text]
            slots.append(slot)
    return slots


def _table_fields(group: RepeatingGroup) -> bool:
    """Whether a blank group fits a table: a few one-line answers, nothing conditional."""
    questions = list(group.item_questions())
    return (
        len(questions) <= MAX_TABLE_COLUMNS
        and all(page.condition is None for page in group.item_pages)
        and all(
            q.condition is None and not q.nested() and q.field.paper_table_cell for q in questions
        )
    )


def _filled_answers(
    service: Service, answers: Mapping[str, Any] | None, today: date | None
) -> tuple[dict[tuple[str, int | None], tuple[list[str], Any]], dict[str, int]]:
    """A draft's answers as they are printed in their boxes: (question id, item index) ->
    (lines, raw), and how many items each group has. Only answers the journey still shows are
    filled in; an unanswered question is left out, so its box stays empty to write in."""
    if not answers:
        return {}, {}
    filled: dict[tuple[str, int | None], tuple[list[str], Any]] = {}
    counts: dict[str, int] = {}
    for section in check_answers(service, answers, today):
        for card in section.cards:
            if card.group_id is not None and card.index is not None:
                counts[card.group_id] = max(counts.get(card.group_id, 0), card.index + 1)
            for row in card.rows:
                if row.index is None:
                    raw = answers.get(row.question_id)
                else:
                    group = service.questions[row.question_id].group
                    items = item_list(answers, group.id) if group else []
                    raw = items[row.index].get(row.question_id) if row.index < len(items) else None
                question = service.questions[row.question_id].question
                lines = question.field.paper_display(question, raw, today or uk_today())
                if lines:
                    filled[(row.question_id, row.index)] = (lines, raw)
    return filled, counts


def form_layout(
    service: Service, answers: Mapping[str, Any] | None = None, today: date | None = None
) -> list[SectionBlock]:
    """The paper form: every section, page and question of the service, with writing boxes.
    With a draft's ``answers``, the answered questions are filled in and the rest left blank."""
    numbers = question_numbers(service)
    filled, counts = _filled_answers(service, answers, today)
    top = {qid: value for (qid, index), value in filled.items() if index is None}
    sections = []
    for s, section in enumerate(service.sections, start=1):
        blocks: list[PageBlock | GroupBlock] = []
        for block in section.blocks:
            if isinstance(block, Page):
                if not on_paper(block):
                    continue
                # A page of one question shows that question's label, not a page title.
                titled = block.title is not None and not block.single
                blocks.append(
                    PageBlock(
                        title=str(block.title) if titled else None,
                        body=[str(text) for text in block.body],
                        warning=str(block.warning) if block.warning else None,
                        condition=describe_condition(service, block.condition, numbers),
                        slots=[_slot(service, q, numbers, top) for q in on_paper(block)],
                    )
                )
                continue
            as_table = _table_fields(block)
            room = max(block.min, TABLE_SLOTS if as_table else CARD_SLOTS)
            used = counts.get(block.id, 0)
            slots = min(block.max, max(room, used + 1 if used < block.max else used))
            items = []
            for index in range(slots):
                own = {qid: value for (qid, i), value in filled.items() if i == index}
                items.append(
                    ItemSlot(block.item_title(index), _item_slots(service, block, numbers, own))
                )
            blocks.append(
                GroupBlock(
                    number=numbers[block.id],
                    title=str(block.title),
                    hint=str(block.hint) if block.hint else None,
                    condition=describe_condition(service, block.condition, numbers),
                    columns=_item_slots(service, block, numbers, {}),
                    items=items,
                    as_table=as_table,
                    continuation=block.max > slots,
                )
            )
        sections.append(
            SectionBlock(
                str(s),
                str(section.title),
                describe_condition(service, section.condition, numbers),
                blocks,
            )
        )
    return sections


def walk_slots(sections: list[SectionBlock]) -> Iterator[Slot]:
    """Every slot on the form, revealed ones included (for tests and checks)."""

    def walk(slot: Slot) -> Iterator[Slot]:
        yield slot
        for choice in slot.choices:
            for child in choice.reveals:
                yield from walk(child)

    for section in sections:
        for block in section.blocks:
            if isinstance(block, PageBlock):
                for slot in block.slots:
                    yield from walk(slot)
            else:
                for item in block.items:
                    for slot in item.slots:
                        yield from walk(slot)
