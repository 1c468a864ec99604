"""The app as benchmarked: the real application plus one bare Starlette endpoint, served by the
same uvicorn process, so the bare endpoint's throughput is the ceiling for the same run."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from webapp.app import create_app

BARE_PATH = "/__bench/bare"


async def bare(_request: Request) -> Response:
    return PlainTextResponse("ok")


def create_bench_app():  # type: ignore[no-untyped-def]
    app = create_app()
    app.router.routes.insert(0, Route(BARE_PATH, bare))
    return app
