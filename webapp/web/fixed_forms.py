"""Small forms that belong to no service (resume by reference, a copy of an application,
feedback): a fixed list of questions, read and shown with the engine's own field types, and
attempts counted per client without storing anyone's address."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from webapp.engine import FieldView
from webapp.engine.fields import FieldError
from webapp.engine.schema import Question
from webapp.settings import Settings
from webapp.store import resume as attempts


def field_view(question: Question, raws: Mapping[str, Any], errors: list[FieldError]) -> FieldView:
    own = [error for error in errors if error.question_id == question.id]
    return FieldView(
        question,
        question.field.macro,
        question.field.macro_params(question, raws.get(question.id), own, heading=False),
    )


def read_questions(
    questions: list[Question], form: Mapping[str, Any], today: date
) -> tuple[dict[str, Any], dict[str, Any], list[FieldError]]:
    """What was typed (to show again), what it means, and what is wrong with it."""
    raws = {question.id: question.field.raw_from_form(question, form) for question in questions}
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for question in questions:
        parsed = question.field.parse(question, raws[question.id], today)
        values[question.id] = parsed.value
        errors.extend(parsed.errors)
    return raws, values, errors


def attempts_key(request: Request, purpose: str) -> str:
    """Who is asking, as a keyed hash: we count attempts per client without storing addresses."""
    host = request.client.host if request.client else "unknown"
    secret = request.app.state.settings.secret_key
    digest = hmac.new(secret.encode(), f"{purpose}:{host}".encode(), hashlib.sha256)
    return f"{purpose}:{digest.hexdigest()[:40]}"


@dataclass(frozen=True)
class RecentFailures:
    """Wrong tries lately: from this client in the last hour, and at this reference in the lock
    period. Counted before the reference is looked up, so a locked one is not even looked at."""

    client: int
    reference: int
    settings: Settings

    @property
    def locked(self) -> bool:
        return (
            self.client >= self.settings.resume_client_max_failures
            or self.reference >= self.settings.resume_max_failures
        )

    @property
    def next_one_locks(self) -> bool:
        """One more wrong try at this reference locks it."""
        return self.reference + 1 >= self.settings.resume_max_failures


async def recent_failures(
    session: AsyncSession,
    settings: Settings,
    client_key: str,
    reference_key: str,
    moment: datetime,
) -> RecentFailures:
    client = await attempts.failures_since(session, client_key, moment - timedelta(hours=1))
    reference = await attempts.failures_since(
        session, reference_key, moment - timedelta(hours=settings.resume_lock_hours)
    )
    return RecentFailures(client, reference, settings)
