"""Everything derived from the answers, never stored: which pages show, in what order, which are
done, which may be visited, each section's status, and whether the application is complete.

A position in the journey is a ``Step``: a page id, plus the item index for a repeating group's
item pages (``None`` elsewhere, including a group's add-another page). Functions take ``today``
so that date rules give the same result in tests as in production.
"""

from __future__ import annotations

import enum
import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from webapp.i18n import get_locale, gettext
from webapp.uk_time import uk_today

from .context import Context, item_list
from .fields import NO, YES, FieldError, Raw, facts_key
from .schema import Page, Question, RepeatingGroup, Section, Service


@dataclass(frozen=True)
class Step:
    page_id: str
    index: int | None = None


class Status(enum.Enum):
    """Task list statuses, worded as the GOV.UK task list pattern shows them."""

    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START_YET = "Cannot start yet"

    @property
    def label(self) -> str:
        """The status in the current language, for the task list tag."""
        labels = {
            Status.NOT_STARTED: gettext("Not yet started"),
            Status.IN_PROGRESS: gettext("In progress"),
            Status.COMPLETED: gettext("Completed"),
            Status.CANNOT_START_YET: gettext("Cannot start yet"),
        }
        return labels[self]


@dataclass(frozen=True)
class Access:
    """Whether a step may be shown now; if not, where to send the person (None: the task list)."""

    allowed: bool
    redirect: Step | None = None


def _shown(condition: Any, ctx: Context) -> bool:
    return condition is None or bool(condition(ctx))


def visible_sections(
    service: Service,
    answers: Mapping[str, Any],
    today: date | None = None,
    *,
    channel: str | None = None,
) -> list[Section]:
    return _walk(service, answers, today, channel).visible_sections()


def context_for(
    service: Service,
    answers: Mapping[str, Any],
    step: Step,
    today: date | None = None,
    *,
    channel: str | None = None,
) -> Context:
    """The context a step's page is answered in: its item's, or the whole application's."""
    return _walk(service, answers, today, channel).context(step)


def page_questions(
    page: Page, ctx: Context, raws: Mapping[str, Raw] | None = None
) -> list[Question]:
    """The questions a page asks right now: those whose condition holds, and each revealed
    question whose option is chosen (in ``raws`` when given, a submission; else the stored answers)."""

    def raw_of(question: Question) -> Raw:
        return raws.get(question.id) if raws is not None else ctx.raw(question.id)

    shown: list[Question] = []

    def add(question: Question) -> None:
        shown.append(question)
        raw = raw_of(question)
        chosen = raw if isinstance(raw, list) else [raw]
        for value, child in question.nested():
            if value in chosen:
                add(child)

    for question in page.questions:
        if _shown(question.condition, ctx):
            add(question)
    return shown


def page_shown(page: Page, ctx: Context) -> bool:
    """A page is in the journey when its condition holds and it asks at least one question."""
    if not _shown(page.condition, ctx):
        return False
    return any(_shown(question.condition, ctx) for question in page.questions)


def page_errors(
    service: Service,
    ctx: Context,
    step: Step,
    raws: Mapping[str, Raw] | None = None,
    *,
    rules: bool = True,
) -> list[FieldError]:
    """Every error on a page: each shown question's field errors, then (only when those pass) the
    service's cross-field rules for the page. ``raws`` is a submission; None means the stored answers.
    Rules read the stored answers, so run them on answers that already include the submission."""
    ref = service.pages[step.page_id]
    page = ref.page
    errors: list[FieldError] = []
    for question in page_questions(page, ctx, raws):
        raw = raws.get(question.id) if raws is not None else ctx.raw(question.id)
        asked = question.in_channel(ctx.channel)
        errors.extend(asked.field.parse(asked, raw, ctx.today).errors)
    if errors or not rules:
        return errors
    if ref.is_add_another and ref.group is not None:
        # The group's rules (such as 'covers 5 years') apply when the person says the list is done.
        more = (
            raws.get(ref.group.more_question_id)
            if raws is not None
            else ctx.raw(ref.group.more_question_id)
        )
        if more == YES and len(item_list(ctx.answers, ref.group.id)) < ref.group.max:
            return errors
    for rule in service.rules:
        if rule.page == page.id:
            message = rule.check(ctx)
            if message:
                target = rule.question or (page.questions[0].id if page.questions else page.id)
                errors.append(FieldError(str(message), target, first_input_id(service, target)))
    return errors


def first_input_id(service: Service, question_id: str) -> str:
    """The id of the first input of a question, for an error summary link or a Change link."""
    ref = service.questions.get(question_id)
    return question_id if ref is None else ref.question.field.error_anchor(question_id)


def _pending_new_item(answers: Mapping[str, Any], group: RepeatingGroup) -> bool:
    """Whether the list is waiting for one more item: too few so far, or 'add another' said yes."""
    count = len(item_list(answers, group.id))
    return count < group.max and (count < group.min or answers.get(group.more_question_id) == YES)


class _Walk:
    """The journey derived from one set of answers, each part worked out at most once.

    A step's "done" depends on every question it shows and the rules on it, and a section's
    status on the sections it depends on, so one call (can the person see this page? what does
    the task list say?) asks the same questions many times over. A walk remembers the answers to
    them. The answers must not change while it is used.

    Walks are kept in a small cache keyed by the answers themselves (``_WalkCache``).
    """

    def __init__(
        self, service: Service, answers: Mapping[str, Any], today: date | None, channel: str | None
    ) -> None:
        self.service, self.answers = service, answers
        self.ctx = Context(service, answers, today, channel=channel)
        self.today = self.ctx.today
        self._item_contexts: dict[tuple[str, int], Context] = {}
        self._steps: dict[str, list[Step]] = {}
        self._answered: dict[Step, bool] = {}
        self._status: dict[str, Status] = {}

    def context(self, step: Step) -> Context:
        """The context a step's page is answered in: its item's, or the whole application's."""
        ref = self.service.pages[step.page_id]
        if ref.group is None or ref.is_add_another:
            return self.ctx
        return self.item_context(ref.group, step.index if step.index is not None else -1)

    def item_context(self, group: RepeatingGroup, index: int) -> Context:
        key = (group.id, index)
        if key not in self._item_contexts:
            self._item_contexts[key] = self.ctx.for_item(group, index)
        return self._item_contexts[key]

    def visible_sections(self) -> list[Section]:
        return [section for section in self.service.sections if _shown(section.condition, self.ctx)]

    def steps(self, section: Section) -> list[Step]:
        """The section's pages in order, as the answers so far make them."""
        if section.id not in self._steps:
            result: list[Step] = []
            for block in section.blocks:
                if not _shown(block.condition, self.ctx):
                    continue
                if isinstance(block, RepeatingGroup):
                    result.extend(self._group_steps(block))
                elif page_shown(block, self.ctx):
                    result.append(Step(block.id))
            self._steps[section.id] = result
        return self._steps[section.id]

    def _group_steps(self, group: RepeatingGroup) -> list[Step]:
        found: list[Step] = []
        count = len(item_list(self.answers, group.id))
        last = count + 1 if _pending_new_item(self.answers, group) else count
        for index in range(last):
            item_ctx = self.item_context(group, index)
            found.extend(
                Step(page.id, index) for page in group.item_pages if page_shown(page, item_ctx)
            )
        if count >= group.min:
            found.append(Step(group.add_another_page.id))
        return found

    def is_answered(self, step: Step) -> bool:
        """A step is done when every question it shows has a saved, valid answer and its rules pass."""
        if step not in self._answered:
            self._answered[step] = self._work_out_answered(step)
        return self._answered[step]

    def _work_out_answered(self, step: Step) -> bool:
        ref = self.service.pages[step.page_id]
        if ref.group is not None:
            count = len(item_list(self.answers, ref.group.id))
            if ref.is_add_another:
                more = self.answers.get(ref.group.more_question_id)
                if count < ref.group.min or not (count >= ref.group.max or more == NO):
                    return False
            elif step.index is None or not 0 <= step.index < count:
                return False
        ctx = self.context(step)
        if ref.is_add_another:
            # Only the group's own rules apply; the yes/no itself was checked above.
            return not [
                rule for rule in self.service.rules if rule.page == ref.page.id and rule.check(ctx)
            ]
        questions = page_questions(ref.page, ctx)
        if any(not ctx.has(question.id) for question in questions):
            return False
        return not page_errors(self.service, ctx, step)

    def status(self, section: Section) -> Status:
        if section.id not in self._status:
            self._status[section.id] = self._work_out_status(section)
        return self._status[section.id]

    def can_start(self, section: Section) -> bool:
        """Whether every section it depends on (that is shown) is completed."""
        return all(
            self.status(required) == Status.COMPLETED
            for required in map(self.service.section, section.depends_on)
            if _shown(required.condition, self.ctx)
        )

    def _work_out_status(self, section: Section) -> Status:
        if not self.can_start(section):
            return Status.CANNOT_START_YET
        if not _has_any_answer(self.answers, section):
            return Status.NOT_STARTED
        if all(self.is_answered(step) for step in self.steps(section)):
            return Status.COMPLETED
        return Status.IN_PROGRESS

    def first_unanswered(self, section: Section | None = None) -> Step | None:
        """The first step not yet done, in one section or (None) across every startable section."""
        sections = [section] if section is not None else self.visible_sections()
        for candidate in sections:
            if section is None and self.status(candidate) == Status.CANNOT_START_YET:
                continue
            for step in self.steps(candidate):
                if not self.is_answered(step):
                    return step
        return None

    def start_of(self, section: Section) -> Step | None:
        """Where the task list link for a section goes: its first unanswered step, else its first step."""
        unanswered = self.first_unanswered(section)
        if unanswered is not None:
            return unanswered
        all_steps = self.steps(section)
        return all_steps[0] if all_steps else None


class _WalkCache:
    """Walks of recently seen answers, so that one person's requests in a row (the POST of a
    page, the GET it redirects to, a reload) do not work the same journey out again.

    The key is the answers as JSON text, so any change to them, by any writer, is a different
    key: no version to keep in step. A walk reads a copy parsed from that text, which no caller
    can change after the fact. Today's date, the language and the channel are part of the key
    too: date rules, the error messages a walk keeps and what a channel asks depend on them; so
    are the run-time facts, which decide the options of a choice read at run time.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._walks: OrderedDict[tuple[str, date, str, str | None, str, str], _Walk] = OrderedDict()

    def get(
        self, service: Service, answers: Mapping[str, Any], today: date | None, channel: str | None
    ) -> _Walk:
        today = today or uk_today()
        try:
            text = json.dumps(answers, separators=(",", ":"))
        except (TypeError, ValueError):  # not stored answers (a test's dates, say): no caching
            return _Walk(service, answers, today, channel)
        key = (service.slug, today, get_locale(), channel, facts_key(), text)
        walk = self._walks.get(key)
        if walk is not None:
            self._walks.move_to_end(key)
            return walk
        walk = self._walks[key] = _Walk(service, json.loads(text), today, channel)
        if len(self._walks) > self.size:
            self._walks.popitem(last=False)
        return walk

    def clear(self) -> None:
        self._walks.clear()


# A few hundred people mid-journey per process; the walk of a whole application is ~100 KB,
# so a full cache holds ~25 MB.
_walks = _WalkCache(size=256)


def _walk(
    service: Service, answers: Mapping[str, Any], today: date | None, channel: str | None = None
) -> _Walk:
    return _walks.get(service, answers, today, channel)


def shown_steps(
    service: Service,
    answers: Mapping[str, Any],
    today: date | None = None,
    *,
    channel: str | None = None,
) -> list[tuple[Section, list[Step]]]:
    """Every shown section with its pages in order, from one walk (check answers reads them all)."""
    walk = _walk(service, answers, today, channel)
    return [(section, list(walk.steps(section))) for section in walk.visible_sections()]


def steps(
    service: Service,
    answers: Mapping[str, Any],
    section: Section,
    today: date | None = None,
    *,
    channel: str | None = None,
) -> list[Step]:
    """The section's pages in order, as the answers so far make them."""
    return list(
        _walk(service, answers, today, channel).steps(section)
    )  # a copy: the walk is shared


def is_answered(
    service: Service,
    answers: Mapping[str, Any],
    step: Step,
    today: date | None = None,
    *,
    channel: str | None = None,
) -> bool:
    """A step is done when every question it shows has a saved, valid answer and its rules pass."""
    return _walk(service, answers, today, channel).is_answered(step)


def first_unanswered(
    service: Service,
    answers: Mapping[str, Any],
    section: Section | None = None,
    today: date | None = None,
    *,
    channel: str | None = None,
) -> Step | None:
    """The first step not yet done, in one section or (None) across every startable section."""
    return _walk(service, answers, today, channel).first_unanswered(section)


def start_of(
    service: Service,
    answers: Mapping[str, Any],
    section: Section,
    today: date | None = None,
    *,
    channel: str | None = None,
) -> Step | None:
    """Where the task list link for a section goes: its first unanswered step, else its first step."""
    return _walk(service, answers, today, channel).start_of(section)


def next_page(
    service: Service,
    answers: Mapping[str, Any],
    current: Step | str,
    today: date | None = None,
    *,
    channel: str | None = None,
) -> Step | None:
    """The step after ``current`` (answers already saved); None when the section is finished."""
    step = Step(current) if isinstance(current, str) else current
    ref = service.pages[step.page_id]
    walk = _walk(service, answers, today, channel)
    if (
        ref.is_add_another
        and ref.group is not None
        and answers.get(ref.group.more_question_id) == YES
    ):
        count = len(item_list(answers, ref.group.id))
        if count < ref.group.max:
            ctx = walk.item_context(ref.group, count)
            first = next((p for p in ref.group.item_pages if page_shown(p, ctx)), None)
            if first is not None:
                return Step(first.id, count)
    ordered = walk.steps(ref.section)
    if step in ordered:
        position = ordered.index(step)
        return ordered[position + 1] if position + 1 < len(ordered) else None
    return walk.first_unanswered(ref.section)


def can_visit(
    service: Service,
    answers: Mapping[str, Any],
    step: Step,
    today: date | None = None,
    *,
    channel: str | None = None,
) -> Access:
    """A step may be shown if it exists now and every step before it in its section is done.
    Otherwise redirect to the first unfinished step (or the task list, for a section that cannot
    start yet or a page that does not exist)."""
    ref = service.pages.get(step.page_id)
    walk = _walk(service, answers, today, channel)
    if ref is None or not _shown(ref.section.condition, walk.ctx):
        return Access(False, None)
    if not walk.can_start(ref.section):
        return Access(False, None)
    ordered = walk.steps(ref.section)
    for candidate in ordered:
        if candidate == step:
            return Access(True)
        if not walk.is_answered(candidate):
            return Access(False, candidate)
    # Not a step in the journey now (hidden by an answer, or an item index that does not exist).
    return Access(False, walk.first_unanswered(ref.section) or (ordered[0] if ordered else None))


def _has_any_answer(answers: Mapping[str, Any], section: Section) -> bool:
    for block in section.blocks:
        if isinstance(block, RepeatingGroup):
            if item_list(answers, block.id) or block.more_question_id in answers:
                return True
            continue
        if any(question.id in answers for question in block.all_questions()):
            return True
    return False


def section_status(
    service: Service,
    answers: Mapping[str, Any],
    section: Section,
    today: date | None = None,
    *,
    channel: str | None = None,
) -> Status:
    return _walk(service, answers, today, channel).status(section)


@dataclass(frozen=True)
class Task:
    """One row of the task list."""

    section: Section
    status: Status
    start: Step | None


def task_list(
    service: Service,
    answers: Mapping[str, Any],
    today: date | None = None,
    *,
    channel: str | None = None,
) -> list[Task]:
    walk = _walk(service, answers, today, channel)
    tasks = []
    for section in walk.visible_sections():
        status = walk.status(section)
        start = None if status == Status.CANNOT_START_YET else walk.start_of(section)
        tasks.append(Task(section, status, start))
    return tasks


def is_complete(
    service: Service,
    answers: Mapping[str, Any],
    today: date | None = None,
    *,
    channel: str | None = None,
) -> bool:
    """Ready for check answers and the declaration: every shown section completed."""
    walk = _walk(service, answers, today, channel)
    return all(walk.status(section) == Status.COMPLETED for section in walk.visible_sections())
