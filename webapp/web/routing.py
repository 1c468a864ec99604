"""Route helpers shared by the HTTP modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.routing import Route


def form_page(
    path: str, show: Callable[..., Any], submit: Callable[..., Any], name: str
) -> list[Route]:
    """A page with a form: GET shows it, POST (CSRF-checked by `form_handler`) submits it."""
    return [
        Route(path, show, methods=["GET"], name=name),
        Route(path, submit, methods=["POST"], name=f"{name}_submit"),
    ]
