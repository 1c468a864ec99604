"""The app as benchmarked, and the ceiling it is compared with, in one uvicorn process.

``/__bench/bare`` is answered by a bare Starlette application (one route, no middleware): the
ceiling the issue asks for. ``/__bench/bare-mw`` is the same endpoint behind the real app's
middleware stack (sessions, security headers, compression, request log), to show what the
middleware alone costs. Every other path goes to the real application.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from webapp.app import create_app

BARE_PATH = "/__bench/bare"
BARE_MIDDLEWARE_PATH = "/__bench/bare-mw"


async def bare(_request: Request) -> Response:
    return PlainTextResponse("ok")


class BenchApp:
    """Dispatch the bare path to a bare Starlette app, everything else to the real one."""

    def __init__(self, real: ASGIApp, bare_app: ASGIApp) -> None:
        self.real, self.bare = real, bare_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == BARE_PATH:
            await self.bare(scope, receive, send)
        else:
            await self.real(scope, receive, send)


def create_bench_app() -> ASGIApp:
    app = create_app()
    app.router.routes.insert(0, Route(BARE_MIDDLEWARE_PATH, bare))
    bare_app = Starlette(routes=[Route(BARE_PATH, bare)])
    bench = BenchApp(app, bare_app)
    bench.state = app.state  # type: ignore[attr-defined]
    bench.router = app.router  # type: ignore[attr-defined]
    return bench


def create_real_app() -> Starlette:
    return create_app()
