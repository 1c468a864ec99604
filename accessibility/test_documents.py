"""PDFs: tagged (a structure tree, marked content), with a title the viewer shows, and a language."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from accessibility.conftest import Site
from accessibility.journey import BASE
from accessibility.report import Audit

pytestmark = pytest.mark.browser

PDFS = [
    ("pdf:blank-form", "/forms/firearm-certificate.pdf", "anon"),
    ("pdf:draft", f"{BASE}/draft.pdf", "complete"),
    ("pdf:application", f"{BASE}/confirmation/application.pdf", "submitted"),
]


@pytest.mark.parametrize(("key", "url", "setup"), PDFS, ids=[p[0] for p in PDFS])
def test_pdf_is_tagged_titled_and_has_a_language(site: Site, audit: Audit, key: str, url: str, setup: str) -> None:
    if not site.has_route(url.replace("firearm-certificate", "{service}")):
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
