"""What a page handler needs: the page's view (parameters for govuk-frontend-jinja macros) and
one call that validates and saves a submission. No HTTP here: the handler passes in form data.

    step = Step(page_id, index)
    access = can_visit(service, answers, step)            # redirect if not allowed
    result = submit(service, answers, step, await request.form())
    if result.errors:
        render(page_view(service, answers, step, raws=result.raws, errors=result.errors))
    else:
        save(result.answers); redirect(result.next_step)  # None: back to the task list
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .answers import read_page, save_page
from .context import Context, item_list
from .fields import FieldError, Raw, params_with_reveals
from .journey import Step, context_for, next_page, page_errors, page_questions
from .schema import Question, Service
from .summary import item_summary


@dataclass
class FieldView:
    """One question ready to render: the macro to call and its parameters.

    For radios and checkboxes with revealed questions, render each view in ``reveals`` first,
    then call the macro with ``params_with(html_by_option_value)``.
    """

    question: Question
    macro: str
    params: dict[str, Any]
    reveals: dict[str, list[FieldView]] = field(default_factory=dict)

    def params_with(self, reveal_html: Mapping[str, str]) -> dict[str, Any]:
        return params_with_reveals(self.params, reveal_html)


@dataclass(frozen=True)
class ItemView:
    """One item on an add-another page."""

    index: int
    title: str
    summary: str
    change: Step


@dataclass
class PageView:
    step: Step
    heading: str
    section_title: str
    fields: list[FieldView]
    error_summary: list[dict[str, str]]
    body: list[str]
    warning: str | None
    is_add_another: bool = False
    items: list[ItemView] = field(default_factory=list)
    can_add_more: bool = True
    heading_in_field: bool = False  # True: the single question's label/legend is the h1

    @property
    def caption(self) -> str | None:
        """The section's name above the heading, unless the heading already says it."""
        if self.section_title.strip().casefold() == self.heading.strip().casefold():
            return None
        return self.section_title


def summary_items(errors: Sequence[FieldError]) -> list[dict[str, str]]:
    """The error summary: one item per input in error, as each input shows one message inline
    (a photo too large is not also 'Select a photo')."""
    items: dict[str, dict[str, str]] = {}
    for error in errors:
        items.setdefault(error.href, error.summary_item())
    return list(items.values())


def _field_view(
    question: Question,
    raws: Mapping[str, Raw],
    errors: Sequence[FieldError],
    heading: bool,
    channel: str | None,
) -> FieldView:
    question = question.in_channel(channel)
    own = [error for error in errors if error.question_id == question.id]
    params = question.field.macro_params(question, raws.get(question.id), own, heading=heading)
    view = FieldView(question, question.field.macro, params)
    for value, child in question.nested():
        view.reveals.setdefault(value, []).append(
            _field_view(child, raws, errors, heading=False, channel=channel)
        )
    return view


def page_view(
    service: Service,
    answers: Mapping[str, Any],
    step: Step,
    *,
    raws: Mapping[str, Raw] | None = None,
    errors: Sequence[FieldError] = (),
    today: date | None = None,
    channel: str | None = None,
) -> PageView:
    """The view of a page: as stored, or (``raws``/``errors``) as just submitted with errors."""
    ref = service.pages[step.page_id]
    page = ref.page
    ctx = context_for(service, answers, step, today, channel=channel)
    if raws is None:
        raws = {question.id: ctx.raw(question.id) for question in page.all_questions()}
    heading_in_field = page.single and page.title is None
    shown = {question.id for question in page_questions(page, ctx, raws)}
    fields = [
        _field_view(question, raws, errors, heading_in_field, channel)
        for question in page.questions
        if question.id in shown
    ]
    view = PageView(
        step=step,
        heading=page.heading,
        section_title=str(ref.section.title),
        fields=fields,
        error_summary=summary_items(errors),
        body=[str(paragraph) for paragraph in page.body],
        warning=str(page.warning) if page.warning else None,
        heading_in_field=heading_in_field,
    )
    if ref.is_add_another and ref.group is not None:
        group = ref.group
        top = Context(service, answers, today, channel=channel)
        count = len(item_list(answers, group.id))
        view.is_add_another = True
        view.can_add_more = count < group.max
        first_page = group.item_pages[0].id
        view.items = [
            ItemView(
                index,
                group.item_title(index),
                item_summary(group, top.for_item(group, index)),
                Step(first_page, index),
            )
            for index in range(count)
        ]
        if not view.can_add_more:
            view.fields = []  # at the maximum the question is not asked; the page just continues
    return view


@dataclass(frozen=True)
class Submission:
    """The outcome of a page POST: errors to show, or the new answers and where to go next."""

    raws: dict[str, Raw]
    errors: list[FieldError]
    answers: dict[str, Any]
    next_step: Step | None


def submit(
    service: Service,
    answers: Mapping[str, Any],
    step: Step,
    form: Mapping[str, Any],
    today: date | None = None,
    *,
    channel: str | None = None,
) -> Submission:
    """Parse and validate a page's posted form; if valid, save it and pick the next step."""
    ref = service.pages[step.page_id]
    raws = read_page(service, step, form)
    if (
        ref.is_add_another
        and ref.group is not None
        and len(item_list(answers, ref.group.id)) >= ref.group.max
    ):
        raws = {ref.group.more_question_id: "no"}  # the list is full: 'add another' is not asked
    ctx = context_for(service, answers, step, today, channel=channel)
    errors = page_errors(service, ctx, step, raws, rules=False)
    if not errors:
        # Rules look at answers across pages, so check them again against the saved result.
        saved = save_page(service, answers, step, raws, channel=channel)
        errors = page_errors(
            service, context_for(service, saved, step, today, channel=channel), step
        )
        if not errors:
            return Submission(
                raws, [], saved, next_page(service, saved, step, today, channel=channel)
            )
    return Submission(raws, errors, dict(answers), None)
