"""How staff pages name the applicant: beside the reference, and at the top of a letter. Read
through the form engine from the service's own questions (title, forenames, surname, date of
birth), so a service without one of them simply leaves it out."""

from __future__ import annotations

from datetime import date
from typing import Any

from webapp import engine
from webapp.engine.fields import format_date
from webapp.engine.schema import Service


def _text(ctx: engine.Context, service: Service, question_id: str) -> str:
    if question_id not in service.questions:
        return ""
    value = ctx.raw(question_id)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _names(service: Service, answers: dict[str, Any]) -> tuple[str, str, str, date | None]:
    ctx = engine.Context(service, answers or {})
    born = ctx.value("date_of_birth") if "date_of_birth" in service.questions else None
    return (
        _text(ctx, service, "title"),
        _text(ctx, service, "forenames"),
        _text(ctx, service, "surname"),
        born if isinstance(born, date) else None,
    )


def full_name(service: Service, answers: dict[str, Any]) -> str:
    title, forenames, surname, _born = _names(service, answers)
    return " ".join(part for part in (title, forenames, surname) if part)


def heading_line(service: Service, answers: dict[str, Any]) -> str:
    """'Ann Mary Jones, born 3 February 1980': who the application is for, beside its reference."""
    _title, forenames, surname, born = _names(service, answers)
    name = " ".join(part for part in (forenames, surname) if part)
    if born is None:
        return name
    return f"{name}, born {format_date(born)}" if name else f"Born {format_date(born)}"


def greeting(service: Service, answers: dict[str, Any]) -> str:
    """'Ms Jones' for a letter; without a title, the full name ('Ann Jones'); else 'applicant'."""
    title, forenames, surname, _born = _names(service, answers)
    if title and surname:
        return f"{title} {surname}"
    return " ".join(part for part in (forenames, surname) if part) or "applicant"
