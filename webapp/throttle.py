"""Growing waits after wrong tries, counted per (target, client).

A lock counted per target alone can be aimed: anyone who knows a reference or a staff email
address could keep its owner out by failing on purpose. So wrong tries are counted for each
target *from each client*: the client that keeps failing waits longer and longer, while the
owner, trying from anywhere else, is not held back. Tries made while waiting count against
that client too, so hammering only makes its own wait longer. (Each place also keeps a cap per
client over all targets, and a reference keeps a high cap of its own, with the emailed link as
the way in that no guesser can use.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Throttle:
    """``free_tries`` wrong tries cost nothing; then the wait is ``first_wait``, doubling for each
    further ``free_tries`` wrong tries, up to ``longest_wait``. Tries are remembered for
    ``memory``."""

    free_tries: int = 5
    first_wait: timedelta = timedelta(minutes=15)
    longest_wait: timedelta = timedelta(hours=24)
    memory: timedelta = timedelta(hours=24)

    def wait_after(self, failures: int) -> timedelta:
        if failures < self.free_tries:
            return timedelta(0)
        doublings = min((failures - self.free_tries) // self.free_tries, 16)
        return min(self.first_wait * (1 << doublings), self.longest_wait)

    def waiting_until(self, failures: int, last_failure: datetime | None) -> datetime | None:
        """When this client may try this target again; None if it may now (or never failed)."""
        if last_failure is None:
            return None
        wait = self.wait_after(failures)
        return last_failure + wait if wait else None

    def may_try(self, failures: int, last_failure: datetime | None, now: datetime) -> bool:
        until = self.waiting_until(failures, last_failure)
        return until is None or now >= until
