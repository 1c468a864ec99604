"""What staff search by, read from an application's answers through the form engine (so a
date of birth typed as "3 February 1980" or "3 2 1980" is the same date)."""

from __future__ import annotations

from datetime import date
from typing import Any

from webapp import engine
from webapp.services import SERVICES
from webapp.store.cases import squash_postcode
from webapp.store.models import Application


def _postcode(value: Any) -> str | None:
    postcode = value.get("postcode") if isinstance(value, dict) else getattr(value, "postcode", None)
    return squash_postcode(postcode) if isinstance(postcode, str) and postcode.strip() else None


def index_values(application: Application) -> tuple[str | None, str | None, date | None]:
    service = SERVICES.get(application.service)
    if service is None:
        return None, None, None
    ctx = engine.Context(service, application.answers or {})
    surname = ctx.value("surname") if "surname" in service.questions else None
    born = ctx.value("date_of_birth") if "date_of_birth" in service.questions else None
    home = ctx.raw("home_address") if "home_address" in service.questions else None
    return (
        surname.strip().lower()[:200] if isinstance(surname, str) and surname.strip() else None,
        _postcode(home),
        born if isinstance(born, date) else None,
    )
