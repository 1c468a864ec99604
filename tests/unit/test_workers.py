"""The worker processes (PDFs, images): how many there are, and that they run below the web server's scheduling priority."""

from __future__ import annotations

import os

import pytest

from webapp import workers as worker


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


def test_half_the_cpus_render_pdfs_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PDF_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert worker.worker_count() == 1
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert worker.worker_count() == 4
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert worker.worker_count() == 1
    monkeypatch.setenv("PDF_WORKERS", "3")
    assert worker.worker_count() == 3
    monkeypatch.setenv("PDF_WORKERS", "lots")
    assert worker.worker_count() == 1
