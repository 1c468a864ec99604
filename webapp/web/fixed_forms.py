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
from webapp.throttle import Throttle


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


def _throttle(settings: Settings) -> Throttle:
    lock = timedelta(hours=settings.resume_lock_hours)
    return Throttle(free_tries=settings.resume_max_failures, longest_wait=lock, memory=lock)


@dataclass(frozen=True)
class RecentFailures:
    """Wrong tries lately: from this client in the last hour (at any reference), at this
    reference from this client (which then waits, longer each time), and at this reference from
    everyone. Counted before the reference is looked up, so a locked one is not even looked at.
    A guesser at a reference is held back without holding back its owner elsewhere."""

    client_key: str
    reference_key: str
    client: int
    reference: int
    pair: int
    pair_last: datetime | None
    settings: Settings
    moment: datetime

    @property
    def pair_key(self) -> str:
        return pair_key(self.reference_key, self.client_key)

    @property
    def locked(self) -> bool:
        return (
            self.client >= self.settings.resume_client_max_failures
            or self.reference >= self.settings.resume_reference_max_failures
            or not _throttle(self.settings).may_try(self.pair, self.pair_last, self.moment)
        )

    @property
    def next_one_locks(self) -> bool:
        """One more wrong try here locks this client out (or the reference for everyone)."""
        return (
            self.pair + 1 >= self.settings.resume_max_failures
            or self.reference + 1 >= self.settings.resume_reference_max_failures
        )

    def record(self, session: AsyncSession, *, failed: bool) -> None:
        """Count this try against the client, the reference and the two together."""
        for key in (self.client_key, self.reference_key, self.pair_key):
            attempts.record_attempt(session, key, failed=failed, now=self.moment)

    def record_while_locked(self, session: AsyncSession) -> None:
        """A try made while locked counts against the client, never the reference."""
        for key in (self.client_key, self.pair_key):
            attempts.record_attempt(session, key, failed=True, now=self.moment)


def pair_key(reference_key: str, client_key: str) -> str:
    return f"{reference_key}|{client_key}"


async def recent_failures(
    session: AsyncSession,
    settings: Settings,
    client_key: str,
    reference_key: str,
    moment: datetime,
) -> RecentFailures:
    lock_period = moment - timedelta(hours=settings.resume_lock_hours)
    client = await attempts.failures_since(session, client_key, moment - timedelta(hours=1))
    reference = await attempts.failures_since(session, reference_key, lock_period)
    pair, pair_last = await attempts.failures_and_last(
        session, pair_key(reference_key, client_key), lock_period
    )
    return RecentFailures(
        client_key, reference_key, client, reference, pair, pair_last, settings, moment
    )
