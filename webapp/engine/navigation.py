"""Where a draft stands in its service's flow, worked out from the answers: which stages are
done, which stage a page belongs to, and the order of pages in a run (eligibility questions, or
questions laid out as a straight run). The web layer turns these into URLs."""

from __future__ import annotations

from dataclasses import dataclass

from .flow import Eligibility, Payment, Progress, Questions, Stage
from .journey import Status, Step, _walk
from .schema import Section, Service


def stage_of_page(service: Service, page_id: str) -> Stage:
    """The stage that asks a page: eligibility for its own questions, else the questions stage."""
    return service.flow.stage_of_section(service.pages[page_id].section.id)


def stage_sections(service: Service, stage: Stage, progress: Progress) -> list[Section]:
    """The shown sections a stage asks, in order."""
    walk = _walk(service, progress.answers, progress.today, progress.channel)
    visible = walk.visible_sections()
    if isinstance(stage, Eligibility):
        return [section for section in visible if section is stage.section]
    if isinstance(stage, Questions):
        own = {section.id for section in service.flow.extra_sections()}
        return [section for section in visible if section.id not in own]
    return []


def run_steps(service: Service, stage: Stage, progress: Progress) -> list[Step]:
    """Every page a stage asks now, one after another across its sections."""
    walk = _walk(service, progress.answers, progress.today, progress.channel)
    return [
        step for section in stage_sections(service, stage, progress) for step in walk.steps(section)
    ]


def first_unanswered(service: Service, stage: Stage, progress: Progress) -> Step | None:
    walk = _walk(service, progress.answers, progress.today, progress.channel)
    return next(
        (step for step in run_steps(service, stage, progress) if not walk.is_answered(step)), None
    )


def satisfied(service: Service, stage: Stage, progress: Progress) -> bool:
    """Whether a draft has done what a stage asks, so that later stages may be shown. Check
    answers asks nothing (the declaration may follow it); the declaration is done once declared
    (a draft waiting for its payment); a payment is done in a draft only when none is due (it is
    passed over); the confirmation is never done in a draft."""
    if isinstance(stage, Eligibility):
        return (
            first_unanswered(service, stage, progress) is None
            and stage.exit_for(service, progress) is None
        )
    if stage.kind == "force":
        return progress.force_chosen
    if isinstance(stage, Questions):
        walk = _walk(service, progress.answers, progress.today, progress.channel)
        return all(
            walk.status(section) == Status.COMPLETED
            for section in stage_sections(service, stage, progress)
        )
    if stage.kind == "declaration":
        return progress.declared
    if isinstance(stage, Payment):
        return stage.due(service, progress) is None
    return stage.kind == "check"


def awaiting_payment(service: Service, progress: Progress) -> Payment | None:
    """The payment stage a declared draft waits at, if it waits for one."""
    payment = service.flow.payment
    if progress.declared and payment is not None and payment.due(service, progress) is not None:
        return payment
    return None


def blocking(service: Service, stage: Stage, progress: Progress) -> Stage | None:
    """The first stage before ``stage`` that is not done: the person must go there first."""
    return next(
        (
            earlier
            for earlier in service.flow.before(stage)
            if not satisfied(service, earlier, progress)
        ),
        None,
    )


def next_unsatisfied(service: Service, progress: Progress) -> Stage:
    """The first stage not done: where a person carrying on with a draft goes. A task list is
    the hub of its flow: a person who reaches it stays there until they choose check answers;
    and a person who has answered everything goes to check answers, not past it. A declared
    draft waiting for its payment goes straight to the payment."""
    waiting = awaiting_payment(service, progress)
    if waiting is not None:
        return waiting
    for stage in service.flow.stages:
        if isinstance(stage, Questions) and stage.is_task_list:
            return stage
        if stage.kind == "check" or not satisfied(service, stage, progress):
            return stage
    return service.flow.stages[-1]


@dataclass(frozen=True)
class RunAccess:
    """Whether a page of a run may be shown; if not, the page to go to instead."""

    allowed: bool
    redirect: Step | None = None


def run_access(service: Service, stage: Stage, progress: Progress, step: Step) -> RunAccess:
    """A page of a run may be shown once every page before it is answered."""
    walk = _walk(service, progress.answers, progress.today, progress.channel)
    ordered = run_steps(service, stage, progress)
    for candidate in ordered:
        if candidate == step:
            return RunAccess(True)
        if not walk.is_answered(candidate):
            return RunAccess(False, candidate)
    # Not in the run now (hidden by an answer, or an item that does not exist).
    return RunAccess(
        False, first_unanswered(service, stage, progress) or (ordered[0] if ordered else None)
    )


def previous_step(service: Service, stage: Stage, progress: Progress, step: Step) -> Step | None:
    """The page before ``step`` in its run (for the Back link); None for the run's first page."""
    ordered = run_steps(service, stage, progress)
    if step not in ordered:
        return None
    position = ordered.index(step)
    previous = ordered[position - 1] if position > 0 else None
    ref = service.pages[step.page_id]
    if (
        ref.group is not None
        and step.index
        and previous is not None
        and previous.index != step.index
    ):
        # The first page of a later item is reached from the list ('add another?'): back to it.
        return Step(ref.group.add_another_page.id)
    return previous
