"""PDF workers run below the web server's scheduling priority, so renders take what is left."""

from __future__ import annotations

import os

import pytest

from webapp.pdf import worker


def _niceness() -> int:
    return os.nice(0)


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities on this platform")
def test_workers_run_at_a_lower_priority_than_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PDF_WORKERS", "1")
    worker.shutdown_workers()
    try:
        # The pool itself, not render_in_worker: other tests may leave an event loop running.
        in_worker = worker._get_pool().submit(_niceness).result(timeout=60)
    finally:
        worker.shutdown_workers()
    assert in_worker >= min(_niceness() + worker.WORKER_NICENESS, 19)
