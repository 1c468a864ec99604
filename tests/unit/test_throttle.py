from __future__ import annotations

from datetime import UTC, datetime, timedelta

from webapp.throttle import Throttle

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_the_wait_grows_with_each_further_set_of_wrong_tries() -> None:
    throttle = Throttle()
    assert throttle.wait_after(4) == timedelta(0)
    assert throttle.wait_after(5) == timedelta(minutes=15)
    assert throttle.wait_after(10) == timedelta(minutes=30)
    assert throttle.wait_after(15) == timedelta(hours=1)
    assert throttle.wait_after(500) == timedelta(hours=24)


def test_a_client_may_try_again_once_its_wait_is_over() -> None:
    throttle = Throttle()
    assert throttle.may_try(0, None, NOW)
    assert not throttle.may_try(5, NOW - timedelta(minutes=14), NOW)
    assert throttle.may_try(5, NOW - timedelta(minutes=15), NOW)
