"""Every registered service is well formed: labels, known field types, one service per slug."""

from __future__ import annotations

from datetime import date

import pytest

from webapp import engine
from webapp.engine.fields import KNOWN_MACROS
from webapp.engine.schema import Service
from webapp.services import SERVICES

ALL = list(SERVICES.values())


def test_registry_keyed_by_slug() -> None:
    assert "firearm-certificate" in SERVICES
    for slug, service in SERVICES.items():
        assert slug == service.slug and slug.replace("-", "").isalnum() and slug == slug.lower()


@pytest.mark.parametrize("service", ALL, ids=lambda s: s.slug)
def test_every_question_has_a_label_and_a_known_field(service: Service) -> None:
    assert list(service.all_questions())
    for question in service.all_questions():
        assert str(question.label).strip(), question.id
        assert question.short_name.strip(), question.id
        assert question.field.macro in KNOWN_MACROS, (question.id, question.field.macro)
        assert question.id.replace("_", "").isalnum(), (
            question.id
        )  # safe as a form name and HTML id


@pytest.mark.parametrize("service", ALL, ids=lambda s: s.slug)
def test_every_page_renders_without_answers(service: Service) -> None:
    for page_id, ref in service.pages.items():
        step = engine.Step(page_id, 0 if ref.group is not None and not ref.is_add_another else None)
        view = engine.page_view(service, {}, step, today=date(2026, 6, 1))
        assert view.heading.strip(), page_id
        for field in view.fields:
            assert field.params.get("id") or field.params.get("idPrefix")


@pytest.mark.parametrize("service", ALL, ids=lambda s: s.slug)
def test_start_page_and_declaration(service: Service) -> None:
    assert str(service.title).strip()
    assert (
        service.start.summary
        and service.start.you_will_need
        and str(service.start.time_to_complete)
    )
    assert (
        service.declaration.statements
        and str(service.declaration.confirm)
        and str(service.declaration.error)
    )
    assert service.declaration.button_text


@pytest.mark.parametrize("service", ALL, ids=lambda s: s.slug)
def test_errors_name_their_question(service: Service) -> None:
    """An empty answer to every required question gives a real sentence, not a bare label."""
    for question in service.all_questions():
        if question.optional:
            continue
        errors = question.field.parse(question, None, date(2026, 6, 1)).errors
        assert errors, question.id
        message = errors[0].message
        assert message[0].isupper() and "?" not in message, (question.id, message)
