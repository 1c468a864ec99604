"""Faults the tests can ask for: the next requests answered with a 5xx, or left hanging.

Not part of GOV.UK Pay. The middleware sits in front of the API and the card page only; the
test controls under /__simulator/ are never failed or delayed.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from simulators.govuk_pay.errors import error

CONTROL_PREFIX = "/__simulator/"


@dataclass
class Fault:
    path_prefix: str
    times: int
    status: int | None = None  # answer with this status ...
    hang_seconds: float = 0.0  # ... or after waiting this long


class Faults:
    def __init__(self) -> None:
        self._pending: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._pending.append(fault)

    def reset(self) -> None:
        with self._lock:
            self._pending.clear()

    def take(self, path: str) -> Fault | None:
        """The first pending fault for this path, used up once."""
        with self._lock:
            for fault in self._pending:
                if path.startswith(fault.path_prefix):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._pending.remove(fault)
                    return fault
        return None


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app, self.faults = app, faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        fault = self.faults.take(path)
        if fault is None:
            await self.app(scope, receive, send)
            return
        if fault.hang_seconds:
            # Take the whole request first, then wait: a slow GOV.UK Pay that still does the
            # work, even for a client that has given up (as a retried create must cope with).
            received = [await receive()]
            while received[-1].get("more_body", False):
                received.append(await receive())
            await asyncio.sleep(fault.hang_seconds)
            replay = iter(received)

            async def receive_again() -> Message:
                return next(replay, {"type": "http.disconnect"})

            receive = receive_again
        if fault.status is None:
            await self.app(scope, receive, send)
            return
        response = error(fault.status, "P0999", "GOV.UK Pay is unavailable (simulated fault)")
        await response(scope, receive, send)
