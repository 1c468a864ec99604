"""GOV.UK Pay's limit: at most 15 POST requests a second for one API key."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

LIMIT = 15
WINDOW_SECONDS = 1.0


class RateLimiter:
    def __init__(self, limit: int = LIMIT, window: float = WINDOW_SECONDS) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count a POST; False if this key has already had `limit` in the last second.

        Real time, not the simulator's clock: moving the clock on must not open the gate.
        """
        now = time.monotonic()
        with self._lock:
            seen = self._seen[key]
            while seen and now - seen[0] >= self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()
