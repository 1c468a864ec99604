"""create_app() -> the simulator as a Starlette application."""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from simulators.govuk_pay import api, card_page, control
from simulators.govuk_pay.faults import FaultMiddleware
from simulators.govuk_pay.state import TEST_KEY_PREFIX, Simulator


async def healthcheck(_request: Request) -> Response:
    return PlainTextResponse("GOV.UK Pay simulator")


def create_app(simulator: Simulator | None = None) -> Starlette:
    simulator = simulator or Simulator(
        api_key=os.environ.get("SIMULATOR_PAY_KEY") or None,
        key_prefix=os.environ.get("SIMULATOR_PAY_KEY_PREFIX") or TEST_KEY_PREFIX,
    )
    app = Starlette(
        routes=[
            Route("/healthcheck", healthcheck),
            *api.routes,
            *card_page.routes,
            *control.routes,
        ],
        middleware=[Middleware(FaultMiddleware, faults=simulator.faults)],
    )
    app.state.simulator = simulator
    return app
