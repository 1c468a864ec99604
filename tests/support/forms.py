"""Helpers for driving forms through the test client like a browser without JavaScript."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def post_form(  # type: ignore[no-untyped-def]
    client: TestClient,
    page_url: str,
    data: dict[str, object],
    action: str | None = None,
    files=None,
):
    """GET the page (as a browser would), then POST its form with the page's CSRF token."""
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    return client.post(
        action or page_url,
        data={**data, "csrf_token": csrf_from(page.text)},
        files=files,
        follow_redirects=False,
    )


def png_bytes(width: int = 350, height: int = 450) -> bytes:
    """A real PNG image, as a phone might upload."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 160)).save(out, format="PNG")
    return out.getvalue()
