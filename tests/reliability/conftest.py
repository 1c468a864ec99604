"""Every test under tests/reliability/ carries the `reliability` mark: `pytest -m reliability`
runs the suite alone, `-m "not reliability"` leaves it out; `make test` runs it with the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.reliability)
