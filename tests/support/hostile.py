"""What hostile-input tests share: the script marker that must never come back raw, reading a
form's inputs from a page, whether a page shows a value as typed, and a walked draft whose answers
are put back after a post changed them (so that one hostile answer does not close later pages)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from markupsafe import escape
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.support.databases import run_sql
from webapp.engine.schema import Service
from webapp.store.db import create_sync_engine
from webapp.store.models import Application

SCRIPT = "<script>alert('x')</script>"
# The part of SCRIPT that must never appear raw in a page (the page's own scripts have a src).
SCRIPT_MARKER = "<script>alert"

_INPUT = re.compile(r"<(input|textarea)\b([^>]*)>", re.I)


def _attribute(tag: str, name: str) -> str | None:
    match = re.search(rf'\b{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def form_fields(html: str) -> dict[str, str]:
    """The names of the form's inputs, each with its kind (text, radio, file, textarea ...)."""
    found: dict[str, str] = {}
    for element, attributes in _INPUT.findall(html):
        name = _attribute(attributes, "name")
        if not name or name == "csrf_token":
            continue
        kind = (
            "textarea"
            if element.lower() == "textarea"
            else (_attribute(attributes, "type") or "text")
        )
        if "govuk-date-input__input" in attributes:
            kind = "date"
        found.setdefault(name, kind)
    return found


def typed_shown(html: str, name: str, kind: str, value: str) -> bool:
    """Whether the page shows ``value`` in the field ``name``, as the person typed it."""
    shown = str(escape(value))
    if kind == "textarea":
        match = re.search(
            rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>\n?(.*?)</textarea>', html, re.S
        )
        return bool(match) and match.group(1) == shown
    for _, attributes in _INPUT.findall(html):
        if _attribute(attributes, "name") == name:
            return _attribute(attributes, "value") == shown
    return False


class Draft:
    """The walked draft's answers, to put back after a post changed them."""

    def __init__(self, database_url: str, service: Service) -> None:
        rows = run_sql(
            database_url,
            "SELECT id, answers FROM application WHERE service = :slug AND status = 'draft' "
            "ORDER BY id DESC LIMIT 1",
            slug=service.slug,
        )
        assert rows, "the walk left a draft"
        self.id, answers = rows[0]
        self.answers: dict[str, Any] = answers if isinstance(answers, dict) else json.loads(answers)
        self.engine = create_sync_engine(database_url)

    def restore(self) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(Application)
                .where(Application.id == self.id)
                .values(answers=copy.deepcopy(self.answers))
            )

    def close(self) -> None:
        self.engine.dispose()
