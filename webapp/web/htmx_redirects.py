"""Answer a form that htmx posted with the page it leads to, not with a redirect to it.

Every form posts, then redirects (303) to the next page: without JavaScript that is what keeps
a reload from posting twice. With htmx the browser follows that redirect itself, in the
background, which costs a second round trip: on a slow mobile connection (2 s each) that is
most of the wait between pages. So when htmx posts a form and the answer is a 303 to one of our
own pages, this middleware fetches that page in the same request and sends it instead, with
`HX-Push-Url` so that the address bar (and a reload) shows the next page's address, just as
after the redirect. Requests without htmx are untouched.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Request headers that describe the posted body: the GET that follows has none.
_BODY_HEADERS = {b"content-type", b"content-length", b"transfer-encoding"}


class _Captured:
    """One response, held back instead of sent."""

    def __init__(self) -> None:
        self.start: Message | None = None
        self.body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))

    @property
    def status(self) -> int:
        return int(self.start["status"]) if self.start else 500

    @property
    def headers(self) -> MutableHeaders:
        return MutableHeaders(raw=list(self.start.get("headers", [])) if self.start else [])

    async def replay(self, send: Send) -> None:
        assert self.start is not None
        await send(self.start)
        await send({"type": "http.response.body", "body": b"".join(self.body)})


def _is_htmx_post(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "POST":
        return False
    return any(name == b"hx-request" and value == b"true" for name, value in scope["headers"])


def _own_page(location: str) -> str | None:
    """The path (and query) of a redirect to a page of this site, else None."""
    parts = urlsplit(location)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return location


def _get_scope(scope: Scope, location: str) -> dict[str, Any]:
    path, _, query = location.partition("?")
    return {
        **scope,
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "state": {},  # what the post's request worked out (its force, say) is not this page's
        "headers": [(name, value) for name, value in scope["headers"] if name not in _BODY_HEADERS],
    }


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class HtmxRedirectMiddleware:
    """Place inside the session middleware, so the page fetched sees what the post saved, and
    outside anything that works out per-request state from the session."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_htmx_post(scope):
            await self.app(scope, receive, send)
            return
        posted = _Captured()
        await self.app(scope, receive, posted.send)
        location = _own_page(posted.headers.get("location", "")) if posted.status == 303 else None
        if location is None:
            await posted.replay(send)
            return
        page = _Captured()
        await self.app(_get_scope(scope, location), _no_body, page.send)
        if page.status != 200 or not page.headers.get("content-type", "").startswith("text/html"):
            await posted.replay(send)  # a file, or another redirect: let the browser follow it
            return
        headers = page.headers
        headers["HX-Push-Url"] = location
        for cookie in posted.headers.getlist("set-cookie"):
            headers.append("set-cookie", cookie)
        assert page.start is not None
        page.start = {**page.start, "headers": headers.raw}
        await page.replay(send)
