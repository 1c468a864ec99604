"""PDFs: tagged (a structure tree, marked content), with a title the viewer shows, and a language."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from accessibility.conftest import Site
from accessibility.report import Audit
from accessibility.states import setup_for, state_key
from webapp.services import SERVICES

pytestmark = pytest.mark.browser

# Each service's blank form, the draft to finish on paper, and the copy of what was sent.
PDFS = [
    (state_key(service, key), url.format(slug=service.slug), setup)
    for service in SERVICES.values()
    for key, url, setup in [
        ("pdf:blank-form", "/forms/{slug}.pdf", "anon"),
        ("pdf:draft", "/apply/{slug}/draft.pdf", setup_for("complete", service)),
        (
            "pdf:application",
            "/apply/{slug}/confirmation/application.pdf",
            setup_for("submitted", service),
        ),
    ]
]
ROUTES = {
    "pdf:blank-form": "/forms/{service}.pdf",
    "pdf:draft": "/apply/{service}/draft.pdf",
    "pdf:application": "/apply/{service}/confirmation/application.pdf",
}


@pytest.mark.parametrize(("key", "url", "setup"), PDFS, ids=[p[0] for p in PDFS])
def test_pdf_is_tagged_titled_and_has_a_language(
    site: Site, audit: Audit, key: str, url: str, setup: str
) -> None:
    if not site.has_route(ROUTES[key.split(":", 1)[1]]):
        pytest.skip(f"no route for {url}")
    response = site.context(setup).request.get(url)
    assert response.status == 200, (url, response.status)
    assert response.headers["content-type"].startswith("application/pdf")
    reader = PdfReader(io.BytesIO(response.body()))
    root = reader.trailer["/Root"]
    problems = []
    if "/StructTreeRoot" not in root:
        problems.append("not tagged (no structure tree)")
    mark = root.get("/MarkInfo")
    if not mark or not mark.get_object().get("/Marked"):
        problems.append("not marked as tagged (/MarkInfo /Marked)")
    if not str(root.get("/Lang", "")).strip():
        problems.append("no document language (/Lang)")
    title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    if not title or not str(title).strip():
        problems.append("no title")
    prefs = root.get("/ViewerPreferences")
    if not prefs or not prefs.get_object().get("/DisplayDocTitle"):
        problems.append("the viewer shows the file name, not the title (/DisplayDocTitle)")
    for problem in problems:
        audit.fail("pdf", key, problem, url=url)
    audit.passed(key, "pdf", url)
    audit.assert_none("pdf")
