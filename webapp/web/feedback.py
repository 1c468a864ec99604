"""Feedback about the service (GOV.UK feedback pattern): how satisfied you were and how we could
improve, then a thank-you page. Nothing personal is asked for. Posts are counted per client, as
resume attempts are, so the form cannot be used to flood the table."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from webapp.engine.fields import FieldError, TextArea
from webapp.engine.fields.choice import Option, Radios
from webapp.engine.schema import Question
from webapp.i18n import lazy_gettext as _l
from webapp.security import form_handler
from webapp.store import feedback as store
from webapp.store import resume as attempts
from webapp.web.drafts import redirect, render
from webapp.web.fixed_forms import attempts_key, field_view, read_questions
from webapp.web.resume import now
from webapp.web.routing import form_page

POSTS_PER_CLIENT_PER_HOUR = 10

SATISFACTION = Question(
    "satisfaction",
    _l("Overall, how did you feel about the service you received today?"),
    Radios(
        options=(
            Option("very-satisfied", _l("Very satisfied")),
            Option("satisfied", _l("Satisfied")),
            Option("neither", _l("Neither satisfied or dissatisfied")),
            Option("dissatisfied", _l("Dissatisfied")),
            Option("very-dissatisfied", _l("Very dissatisfied")),
        )
    ),
    error=_l("Select how you felt about the service"),
)
IMPROVE = Question(
    "improvement",
    _l("How could we improve this service?"),
    TextArea(max_length=1200),
    hint=_l(
        "Do not include personal or financial information, like your National Insurance number or credit card details."
    ),
    optional=True,
)
QUESTIONS = [SATISFACTION, IMPROVE]
# What each answer is called in the back office.
SATISFACTION_NAMES = {option.value: str(option.label) for option in SATISFACTION.field.options}  # type: ignore[attr-defined]


def _page(
    request: Request, raws: dict[str, Any], errors: list[FieldError], status_code: int = 200
) -> Response:
    return render(
        request,
        "pages/feedback.html",
        {
            "fields": [field_view(question, raws, errors) for question in QUESTIONS],
            "errors": [error.summary_item() for error in errors],
        },
        status_code=status_code,
    )


async def feedback_form(request: Request) -> Response:
    return _page(request, {}, [])


@form_handler
async def feedback_submit(request: Request, form: FormData) -> Response:
    moment = now(request)
    raws, values, errors = read_questions(QUESTIONS, form, moment.date())
    if errors:
        return _page(request, raws, errors)
    client_key = attempts_key(request, "feedback")
    async with request.app.state.sessions() as session:
        if (
            await attempts.attempts_since(session, client_key, moment - timedelta(hours=1))
            >= POSTS_PER_CLIENT_PER_HOUR
        ):
            return render(request, "pages/feedback_limit.html", {}, status_code=429)
        attempts.record_attempt(session, client_key, failed=False, now=moment)
        store.add(
            session,
            satisfaction=values["satisfaction"],
            improvement=values["improvement"] or "",
            now=moment,
        )
        await session.commit()
    return redirect("/feedback/sent")


async def feedback_sent(request: Request) -> Response:
    return render(request, "pages/feedback_sent.html", {})


routes = [
    *form_page("/feedback", feedback_form, feedback_submit, "feedback"),
    Route("/feedback/sent", feedback_sent, methods=["GET"], name="feedback_sent"),
]
