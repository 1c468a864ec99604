"""Check answers: the one place that decides how every answer reads on screen and in the PDF."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from webapp.i18n import gettext

from .context import Context, item_list
from .journey import Step, first_input_id, page_questions, shown_steps
from .schema import Page, RepeatingGroup, Section, Service


@dataclass(frozen=True)
class Row:
    """One summary list row. ``page_id`` and ``index`` make the Change link (index for items);
    ``anchor`` is the question's first input, so each Change link goes to its own answer."""

    key: str
    lines: list[str]
    page_id: str
    question_id: str
    index: int | None = None
    anchor: str = ""

    @property
    def value_html(self) -> Markup:
        """The answer as HTML: each line escaped, the lines separated by <br>."""
        return Markup("<br>".join([escape(line) for line in self.lines]))


@dataclass
class Card:
    """A block of rows: untitled for ordinary questions, 'Referee 1' for one item of a group."""

    title: str | None
    rows: list[Row] = field(default_factory=list)
    group_id: str | None = None
    index: int | None = None

    def summary_list_rows(
        self, change_url: Callable[[Row], str], change_text: str
    ) -> list[dict[str, Any]]:
        """The rows as govukSummaryList ``rows`` for check answers: each with a Change link to
        ``change_url(row)`` (and the answer's input) whose hidden text is the row's key, and the
        card's title for an item ('Surname (Other name 1)'): every link on the page is unique
        and makes sense alone.

        Built here rather than in the template: a Jinja loop building these dicts, once per
        answer, took about a third of the page's render time.
        """
        return [
            {
                "key": {"text": row.key},
                "value": {"html": row.value_html},
                "actions": {
                    "items": [
                        _change_link(
                            self._href(change_url(row), row), change_text, self._hidden(row)
                        )
                    ]
                },
            }
            for row in self.rows
        ]

    def _hidden(self, row: Row) -> str:
        return f"{row.key} ({self.title})" if self.title else row.key

    @staticmethod
    def _href(url: str, row: Row) -> str:
        return f"{url}#{row.anchor}" if row.anchor else url


def _change_link(href: str, text: str, hidden_text: str) -> dict[str, str]:
    return {"href": href, "text": text, "visuallyHiddenText": hidden_text}


@dataclass
class SectionSummary:
    section_id: str
    title: str
    cards: list[Card] = field(default_factory=list)


def _rows(page: Page, ctx: Context, index: int | None) -> list[Row]:
    rows = []
    for question in page_questions(page, ctx):
        if not ctx.has(question.id):
            continue
        lines = question.field.display(question, ctx.raw(question.id), ctx.today)
        rows.append(
            Row(
                question.short_name,
                lines or [gettext("Not provided")],
                page.id,
                question.id,
                index,
                first_input_id(ctx.service, question.id),
            )
        )
    return rows


def item_summary(group: RepeatingGroup, ctx: Context) -> str:
    """The one line that stands for an item on the add-another list."""
    if callable(group.summary):
        return str(group.summary(ctx))
    ref = ctx.service.questions[group.summary]
    return ", ".join(ref.question.field.display(ref.question, ctx.raw(group.summary), ctx.today))


def _section_summary(ctx: Context, section: Section, shown: set[Step]) -> SectionSummary:
    summary = SectionSummary(section.id, str(section.title))
    plain = Card(None)
    summary.cards.append(plain)
    for block in section.blocks:
        if isinstance(block, RepeatingGroup):
            for index in range(len(item_list(ctx.answers, block.id))):
                item_ctx = ctx.for_item(block, index)
                card = Card(block.item_title(index), group_id=block.id, index=index)
                for page in block.item_pages:
                    if Step(page.id, index) in shown:
                        card.rows.extend(_rows(page, item_ctx, index))
                if card.rows:
                    summary.cards.append(card)
            plain = Card(None)  # questions after a group start a new untitled block
            summary.cards.append(plain)
        elif Step(block.id) in shown:
            plain.rows.extend(_rows(block, ctx, None))
    summary.cards = [card for card in summary.cards if card.rows]
    return summary


def check_answers(
    service: Service,
    answers: Mapping[str, Any],
    today: date | None = None,
    *,
    channel: str | None = None,
) -> list[SectionSummary]:
    """Every shown section's answers, in journey order: for the check answers page and the PDF."""
    ctx = Context(service, answers, today, channel=channel)
    return [
        _section_summary(ctx, section, set(steps))
        for section, steps in shown_steps(service, answers, today, channel=channel)
    ]
