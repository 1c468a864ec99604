"""Structured request logs: one JSON line per request, with no personal data.

Only method, route path (never the query string, which can carry a token or a postcode),
status and duration are logged.
"""

from __future__ import annotations

import json
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("webapp.request")


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture_status)
        finally:
            if log.isEnabledFor(logging.INFO):
                log.info(
                    json.dumps(
                        {
                            "method": scope["method"],
                            "path": _route_path(scope),
                            "status": status,
                            "ms": round((time.perf_counter() - started) * 1000, 2),
                        }
                    )
                )


def _route_path(scope: Scope) -> str:
    """The matched route's template (`/apply/{slug}/{page}`) rather than the concrete path,
    so that references and other identifiers in URLs stay out of the logs."""
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"
