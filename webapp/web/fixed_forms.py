"""Small forms that belong to no service (resume by reference, a copy of an application,
feedback): a fixed list of questions, read and shown with the engine's own field types, and
attempts counted per client without storing anyone's address."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import date
from typing import Any

from starlette.requests import Request

from webapp.engine import FieldView
from webapp.engine.fields import FieldError
from webapp.engine.schema import Question


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
