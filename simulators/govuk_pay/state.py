"""Everything one simulator process holds: its clock, payments, faults and limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulators.govuk_pay.clock import Clock
from simulators.govuk_pay.faults import Faults
from simulators.govuk_pay.ratelimit import RateLimiter
from simulators.govuk_pay.store import Store

TEST_KEY_PREFIX = "api_test_"


@dataclass
class Simulator:
    # One exact key (SIMULATOR_PAY_KEY) or, without it, any key that starts with the prefix.
    api_key: str | None = None
    key_prefix: str = TEST_KEY_PREFIX
    clock: Clock = field(default_factory=Clock)
    faults: Faults = field(default_factory=Faults)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    store: Store = field(init=False)

    def __post_init__(self) -> None:
        self.store = Store(self.clock)

    def accepts(self, key: str) -> bool:
        if self.api_key is not None:
            return key == self.api_key
        return key.startswith(self.key_prefix) and len(key) > len(self.key_prefix)

    def reset(self) -> None:
        self.store.reset()
        self.clock.reset()
        self.faults.reset()
        self.limiter.reset()
