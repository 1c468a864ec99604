"""The check answers stage: every answer with a Change link, then on to the declaration."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from webapp import engine
from webapp.engine import Step
from webapp.engine.schema import Service
from webapp.store.models import Application
from webapp.uk_time import uk_today
from webapp.web.drafts import render, service_for, step_url

from . import back_from, progress_of
from .guard import draft_for
from .questions import RETURN_TO_CHECK


def fee_for(service: Service, draft: Application) -> Any:
    if service.fee is None:
        return None
    return service.fee(engine.Context(service, draft.answers, channel=draft.channel), uk_today())


async def check(request: Request) -> Response:
    service = service_for(request)
    stage = service.flow.check_answers
    draft = await draft_for(request, service, stage)
    if isinstance(draft, Response):
        return draft
    return render(
        request,
        "public/check.html",
        {
            "service": service,
            "summary": engine.check_answers(service, draft.answers, channel=draft.channel),
            "fee": fee_for(service, draft),
            "title": str(stage.title) if stage.title is not None else None,
            "back_url": back_from(service, stage, progress_of(draft)),
            "change_url": lambda row: step_url(
                service, Step(row.page_id, row.index), **{"return": RETURN_TO_CHECK}
            ),
        },
    )
