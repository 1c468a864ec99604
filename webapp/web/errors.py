"""GOV.UK-pattern error pages. No error ever shows a stack trace or a bare 500."""

from __future__ import annotations

import logging

from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from webapp.templating import render_page
from webapp.web.drafts import draft_in_session

log = logging.getLogger("webapp.errors")

# Status → template. Anything unlisted falls back to the "problem" page with its status.
_TEMPLATES = {
    400: "errors/bad_request.html",
    403: "errors/forbidden.html",
    404: "errors/not_found.html",
    405: "errors/not_found.html",
    413: "errors/too_large.html",
    503: "errors/unavailable.html",
}


def render_error(request: Request, status: int, template: str | None = None) -> Response:
    name = template or _TEMPLATES.get(status, "errors/problem.html")
    context = {"status": status, "answers_saved": draft_in_session(request)}
    return render_page(request, name, context, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 403 and exc.detail == "csrf":
        return render_error(request, 403, "errors/csrf.html")
    return render_error(request, exc.status_code)


async def database_unavailable(request: Request, exc: Exception) -> Response:
    log.error("database unavailable: %s", type(exc).__name__)
    return render_error(request, 503)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    try:
        return render_error(request, 500)
    except Exception:  # noqa: BLE001 - the error page itself failed: fall back to plain text
        return PlainTextResponse("Sorry, there is a problem with the service.", status_code=500)


EXCEPTION_HANDLERS = {
    HTTPException: http_error,
    OperationalError: database_unavailable,
    InterfaceError: database_unavailable,
    Exception: server_error,
}
