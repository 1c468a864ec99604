"""Who may reach a case by its reference: the answers the case's service declares as proof
(``Service.identity``), asked with the service's own field types (their rendering and
validation) and compared with the case's stored answers, parsed by the same fields.

These pages come before anyone knows which case is meant, so the service is named in the query
(``?service=<slug>``); without it, the first service is meant, and the page is as it always was.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import date
from typing import Any

from starlette.requests import Request

from webapp.engine.fields.base import lower_first
from webapp.engine.schema import Question, Service
from webapp.i18n import gettext as _
from webapp.services import SERVICES
from webapp.store.models import Application


def service_asked_for(request: Request) -> Service | None:
    """The service named in the query; the first service when none is named; None for a name
    that is not a service (the page is then not found)."""
    slug = request.query_params.get("service")
    if slug is None:
        return next(iter(SERVICES.values()), None)
    return SERVICES.get(slug)


def query_for(service: Service) -> str:
    """What the form's action adds so its post is read for the same service."""
    first = next(iter(SERVICES.values()), None)
    return "" if service is first else f"?service={service.slug}"


def proof_questions(service: Service) -> list[Question]:
    """The service's proofs as a page outside the journey asks them: the question's own field,
    labelled with its short name ("Date of birth"), with the proof's hint."""
    asked = []
    for proof in service.identity:
        question = service.questions[proof.answer].question
        asked.append(
            Question(question.id, question.name or question.label, question.field, hint=proof.hint)
        )
    return asked


def _comparable(value: Any) -> bytes:
    # Typed text is compared without regard to case or surrounding space (an email address).
    text = value.strip().casefold() if isinstance(value, str) else repr(value)
    return text.encode()


def same_answer(stored: Any, given: Any) -> bool:
    """Both present and equal, compared in constant time."""
    return (
        stored is not None
        and given is not None
        and hmac.compare_digest(_comparable(stored), _comparable(given))
    )


def proofs_match(
    service: Service, application: Application, given: Mapping[str, Any], today: date
) -> bool:
    """Every proof the service declares matches the case's own answer, read by the same field.
    A service that declares none can never be matched this way."""
    if application.service != service.slug or not service.identity:
        return False
    matches = []
    for question in (service.questions[proof.answer].question for proof in service.identity):
        stored = question.field.parse(question, (application.answers or {}).get(question.id), today)
        matches.append(stored.ok and same_answer(stored.value, given.get(question.id)))
    return all(matches)


def details_named(questions: list[Question], *more: str) -> str:
    """'reference, date of birth and postcode': what a person is asked to check again."""
    names = [_("reference"), *(lower_first(question.short_name) for question in questions), *more]
    if len(names) == 1:
        return names[0]
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])
