"""Route helpers shared by the HTTP modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.routing import Route


class RowNumberConvertor(IntegerConvertor):
    """``{id:int}`` in our paths: every whole number in a path here is a row's id or a list's
    index, so at most nine digits. A longer one matches no route (404) instead of reaching the
    database, which cannot hold it (SQLite raises OverflowError, PostgreSQL an out-of-range
    error) and would answer 500."""

    regex = "[0-9]{1,9}"


# Replaces Starlette's own ``int`` for every route, those of later modules included.
register_url_convertor("int", RowNumberConvertor())


def form_page(
    path: str, show: Callable[..., Any], submit: Callable[..., Any], name: str
) -> list[Route]:
    """A page with a form: GET shows it, POST (CSRF-checked by `form_handler`) submits it."""
    return [
        Route(path, show, methods=["GET"], name=name),
        Route(path, submit, methods=["POST"], name=f"{name}_submit"),
    ]
