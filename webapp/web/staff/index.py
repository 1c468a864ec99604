"""What staff search by, read through the form engine from the answers each service declares
as its search keys (so a date of birth typed as "3 February 1980" or "3 2 1980" is the same
date)."""

from __future__ import annotations

from datetime import date
from typing import Any

from webapp import engine
from webapp.services import SERVICES
from webapp.store.cases import squash_postcode
from webapp.store.models import Application


def _postcode(value: Any) -> str | None:
    """A postcode answer, or the postcode of an address answer, squashed as the index keeps it."""
    postcode = value
    if isinstance(value, dict):
        postcode = value.get("postcode")
    elif value is not None and not isinstance(value, str):
        postcode = getattr(value, "postcode", None)
    return squash_postcode(postcode) if isinstance(postcode, str) and postcode.strip() else None


def index_values(application: Application) -> tuple[str | None, str | None, date | None]:
    """Surname, postcode and date of birth, from the answers the service declares as its
    search keys; None for a key the service does not have."""
    service = SERVICES.get(application.service)
    if service is None:
        return None, None, None
    keys = service.search_keys
    ctx = engine.Context(service, application.answers or {})
    surname = ctx.value(keys.surname) if keys.surname else None
    born = ctx.value(keys.date_of_birth) if keys.date_of_birth else None
    where = ctx.raw(keys.postcode) if keys.postcode else None
    return (
        surname.strip().lower()[:200] if isinstance(surname, str) and surname.strip() else None,
        _postcode(where),
        born if isinstance(born, date) else None,
    )
