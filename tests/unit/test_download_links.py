"""Every link to a file carries `download`, so htmx never boosts it (assets/js/application.mjs):
a boosted link would fetch the PDF and swap its bytes into the page (docs/adr/0005).

The routes that answer with a file are listed here on purpose, as in test_routes.py: a new one
must be added (and its links marked) before this passes. Any route whose address ends in a file
extension counts as one without being listed.
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.routing import Route

from tests.conftest import make_settings
from webapp.app import create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Documents rendered for print or email, never shown under htmx.
NOT_PAGES = ("pdf/", "email/")

FILE_ROUTES_WITHOUT_EXTENSION = {
    "/staff/applications/{id:int}/photo",
    "/staff/applications/{id:int}/paper-form",
}
_EXTENSION = re.compile(r"\.(pdf|csv|xlsx?|ods|zip|png|jpe?g|gif|webp|txt|docx?)$", re.IGNORECASE)
_LINK = re.compile(r"<a\b[^>]*>", re.DOTALL)
_HREF = re.compile(r'\bhref="([^"]*)"')
_MACRO_HREF = re.compile(r'"href":\s*"([^"]*)"')


def _file_routes() -> list[re.Pattern[str]]:
    app = create_app(make_settings("sqlite://"))
    paths = [
        route.path
        for route in app.routes
        if isinstance(route, Route) and "GET" in (route.methods or ())
    ]
    missing = FILE_ROUTES_WITHOUT_EXTENSION - set(paths)
    assert not missing, f"listed file routes the app no longer serves: {missing}"
    files = [
        path for path in paths if _EXTENSION.search(path) or path in FILE_ROUTES_WITHOUT_EXTENSION
    ]
    return [
        re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path)) + "$") for path in files
    ]


def _address(href: str) -> str:
    """The path a template's href leads to, with each `{{ ... }}` as one path segment."""
    href = re.sub(r"\{%.*?%\}", "", href)
    href = re.sub(r"\{\{.*?\}\}", "x", href)
    return href.split("?", 1)[0].split("#", 1)[0]


def _is_file(href: str, routes: list[re.Pattern[str]]) -> bool:
    address = _address(href)
    return bool(_EXTENSION.search(address)) or any(route.match(address) for route in routes)


def _templates() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(TEMPLATES)), path.read_text(encoding="utf-8"))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if not str(path.relative_to(TEMPLATES)).startswith(NOT_PAGES)
    ]


def test_every_link_to_a_file_is_marked_download() -> None:
    routes = _file_routes()
    unmarked = []
    for name, text in _templates():
        for tag in _LINK.findall(text):
            href = _HREF.search(tag)
            if href and _is_file(href.group(1), routes) and not re.search(r"\sdownload[\s>=]", tag):
                unmarked.append(f"{name}: {tag}")
        # A macro's link ("href" in its options) cannot say download: use a plain <a> instead.
        unmarked += [
            f"{name}: macro link {href}"
            for href in _MACRO_HREF.findall(text)
            if _is_file(href, routes)
        ]
    assert unmarked == []


def test_the_check_finds_the_links_it_is_for() -> None:
    routes = _file_routes()
    for href in [
        "/forms/{{ service.slug }}.pdf{% if force %}?force={{ force.id }}{% endif %}",
        "/apply/{{ service.slug }}/draft.pdf",
        "/staff/applications/{{ application.id }}/paper-form",
        "/staff/export.csv",
    ]:
        assert _is_file(href, routes), href
    for href in [
        "/apply/{{ service.slug }}/tasks",
        "/staff/applications/{{ application.id }}/letter",
        "/",
    ]:
        assert not _is_file(href, routes), href
