"""The public journey's stages, one small handler module each, and where the flow sends a
person next. Routes stay generic (``/apply/{service}/...``); which stage comes after which is
read from the service's declared flow (``webapp/engine/flow.py``), never written here."""

from __future__ import annotations

from starlette.requests import Request

from webapp.engine import Step, navigation
from webapp.engine.flow import Eligibility, Progress, Questions, Stage
from webapp.engine.schema import Service
from webapp.store.models import Application
from webapp.web.drafts import step_url

EXIT_PATH = "cannot-use"


def progress_of(draft: Application, answers: dict[str, object] | None = None) -> Progress:
    """The draft as the flow sees it (``answers``: the answers just saved, when newer)."""
    return Progress(
        answers if answers is not None else (draft.answers or {}),
        force_chosen=draft.force_id is not None,
        channel=draft.channel,
        # Saving answers clears the declaration: newer answers are never declared yet.
        declared=draft.declared_at is not None and answers is None,
    )


def start_url(service: Service) -> str:
    return f"/apply/{service.slug}"


def exit_url(service: Service, exit_id: str) -> str:
    return f"/apply/{service.slug}/{EXIT_PATH}/{exit_id}"


def stage_url(service: Service, stage: Stage, progress: Progress) -> str:
    """Where a stage begins for this draft (for a run: the first page not yet answered)."""
    if isinstance(stage, Eligibility):
        leads_out = stage.exit_for(service, progress)
        if leads_out is not None:
            return exit_url(service, leads_out.id)
        return _run_url(service, stage, progress)
    if stage.kind == "force":
        source = service.flow.force_routing.from_answer
        if source is not None:  # routed when the page asking it is saved
            return step_url(service, Step(service.questions[source].page.id))
        return f"/apply/{service.slug}/force"
    if isinstance(stage, Questions):
        if stage.is_task_list:
            return f"/apply/{service.slug}/tasks"
        return _run_url(service, stage, progress)
    return f"/apply/{service.slug}/{stage.kind}"


def _run_url(service: Service, stage: Stage, progress: Progress) -> str:
    step = navigation.first_unanswered(service, stage, progress)
    if step is None:
        steps = navigation.run_steps(service, stage, progress)
        step = steps[0] if steps else None
    if step is None:  # nothing to ask now: the next stage
        following = service.flow.after(stage)
        return (
            stage_url(service, following, progress) if following is not None else start_url(service)
        )
    return step_url(service, step)


def continue_url(service: Service, progress: Progress) -> str:
    """Where a person carrying on with a draft goes: the first stage not yet done."""
    return stage_url(service, navigation.next_unsatisfied(service, progress), progress)


def resume_url(service: Service, progress: Progress) -> str:
    """Where 'Start now' sends someone who already has a draft: the task list, the hub of a
    flow that has one; else the first stage not yet done. A declared draft waiting for its
    payment goes to the payment."""
    questions = service.flow.questions
    if questions.is_task_list and navigation.awaiting_payment(service, progress) is None:
        return stage_url(service, questions, progress)
    return continue_url(service, progress)


def blocked_url(service: Service, stage: Stage, progress: Progress) -> str | None:
    """Where to go instead of ``stage`` while an earlier stage is not done; None: go ahead."""
    blocker = navigation.blocking(service, stage, progress)
    return stage_url(service, blocker, progress) if blocker is not None else None


def back_from(service: Service, stage: Stage, progress: Progress) -> str:
    """The Back link on a stage's first page: the last page of the stage before it."""
    previous = service.flow.previous(stage)
    if previous is None:
        return start_url(service)
    if isinstance(previous, Eligibility) or (
        isinstance(previous, Questions) and not previous.is_task_list
    ):
        steps = navigation.run_steps(service, previous, progress)
        return step_url(service, steps[-1]) if steps else back_from(service, previous, progress)
    return stage_url(service, previous, progress)


def back_in_run(service: Service, stage: Stage, progress: Progress, step: Step) -> str:
    """The Back link on a page of a run: the page before it, or the stage before on the first."""
    previous = navigation.previous_step(service, stage, progress, step)
    return (
        step_url(service, previous) if previous is not None else back_from(service, stage, progress)
    )


async def after_force_url(request: Request, service_slug: str) -> str:
    """Where the journey goes once the force is chosen: the first stage not yet done."""
    from webapp.services import SERVICES
    from webapp.web.drafts import current_draft

    service = SERVICES[service_slug]
    draft = await current_draft(request, service)
    if draft is None:
        return start_url(service)
    return continue_url(service, progress_of(draft))
