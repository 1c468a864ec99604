"""PDFs are rendered off the event loop in the shared worker pool (``webapp/workers.py``)."""

from __future__ import annotations

from webapp import workers
from webapp.workers import run_in_worker as render_in_worker
from webapp.workers import shutdown_workers, worker_count

__all__ = ["render_in_worker", "shutdown_workers", "warm_up", "worker_count"]


def _warm() -> bool:
    from weasyprint import HTML

    from . import render  # noqa: F401  (imports WeasyPrint, fonts and templates once)

    HTML(string="<p>warm</p>").write_pdf()
    return True


async def warm_up() -> None:
    """Start the pool and pay WeasyPrint's cold start (about 1.5 s) before the first download."""
    await workers.warm_up(_warm)
