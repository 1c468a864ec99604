"""PDFs with WeasyPrint: the copy of a submitted application, a draft, and the blank paper form.

- ``render_application_pdf(service, application, force, photo_bytes)``: every answer, numbered
  and laid out by the form's parts, as check answers words it (``engine.check_answers``);
- ``render_draft_pdf(service, answers, force)``: the paper form with a draft's answers filled in;
- ``render_blank_form_pdf(service, force)``: the paper form, generated from the service;
- ``render_in_worker(fn, *args)``: run any of them without blocking the event loop.

All three are tagged PDF/UA-1 (title, language, structure), A4, in Liberation Sans.
Layout lives in ``layout`` (paper form) and ``summary`` (application copy); templates in
``templates/pdf/``.
"""

from .render import (
    ApplicationData,
    ForceData,
    TakenBy,
    render_application_pdf,
    render_blank_form_pdf,
    render_draft_pdf,
)
from .worker import render_in_worker, shutdown_workers, warm_up

__all__ = [
    "ApplicationData",
    "ForceData",
    "TakenBy",
    "render_application_pdf",
    "render_blank_form_pdf",
    "render_draft_pdf",
    "render_in_worker",
    "shutdown_workers",
    "warm_up",
]
