"""How long each callback holds the event loop, measured in the CPU time of the loop's thread.

Every step of every request (a task resuming after an ``await``) runs as an asyncio ``Handle``;
while the watch is on, each handle's run is timed with ``time.thread_time``, which counts only
the time that thread spent computing. A busy machine (CI sharing its cores) therefore cannot
make a short step look long, where wall-clock slow-callback detection would.
"""

from __future__ import annotations

import asyncio.events
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class LoopWatch:
    """The longest steps seen while watching: (milliseconds, what ran)."""

    steps: list[tuple[float, str]] = field(default_factory=list)
    runs: int = 0  # every handle run while watching, however short

    def longest(self, count: int = 5) -> list[tuple[float, str]]:
        return sorted(self.steps, reverse=True)[:count]

    def over(self, milliseconds: float) -> list[tuple[float, str]]:
        return [step for step in self.longest(len(self.steps)) if step[0] > milliseconds]


@contextmanager
def watch_the_loop(keep_over_ms: float = 5.0) -> Iterator[LoopWatch]:
    """Time every asyncio handle run in this process; keep those over ``keep_over_ms``."""
    watch = LoopWatch()
    original = asyncio.events.Handle._run

    def timed_run(handle: Any) -> None:
        started = time.thread_time()
        try:
            original(handle)
        finally:
            spent = (time.thread_time() - started) * 1000
            watch.runs += 1
            if spent > keep_over_ms:
                watch.steps.append((spent, repr(handle)[:300]))

    asyncio.events.Handle._run = timed_run  # type: ignore[method-assign]
    try:
        yield watch
    finally:
        asyncio.events.Handle._run = original  # type: ignore[method-assign]
