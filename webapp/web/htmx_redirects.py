"""Answer a form that htmx posted with the page it leads to, not with a redirect to it.

Every form posts, then redirects (303) to the next page: without JavaScript that is what keeps
a reload from posting twice. With htmx the browser follows that redirect itself, in the
background, which costs a second round trip: on a slow mobile connection (2 s each) that is
most of the wait between pages. So when htmx posts a form and the answer is a 303 to one of our
own pages, this middleware fetches that page in the same request and sends it instead, with
`HX-Push-Url` so that the address bar (and a reload) shows the next page's address, just as
after the redirect. Requests without htmx are untouched.

The other way round, a file is never swapped into a page: when htmx GETs something that is not
a page (a PDF, a CSV, a photo: a download link someone forgot to mark `download`, or a form
that redirects to a file), the answer is `HX-Redirect` to the same address, so the browser
fetches it itself and saves or shows it, leaving the page as it was (docs/adr/0005).
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


def _is_htmx(scope: Scope, method: str) -> bool:
    if scope["type"] != "http" or scope["method"] != method:
        return False
    return any(name == b"hx-request" and value == b"true" for name, value in scope["headers"])


def _is_page(start: Message) -> bool:
    headers = MutableHeaders(raw=list(start.get("headers", [])))
    return start["status"] != 200 or headers.get("content-type", "").startswith("text/html")


def _browser_fetches_files(scope: Scope, send: Send) -> Send:
    """`send`, except that a file is replaced by an empty answer telling htmx to let the browser
    fetch that address itself (it keeps the file's cookies, and nothing else of it)."""
    query = scope.get("query_string", b"").decode("latin-1")
    address = scope["path"] + (f"?{query}" if query else "")
    dropping = False

    async def send_pages_only(message: Message) -> None:
        nonlocal dropping
        if message["type"] == "http.response.start" and not _is_page(message):
            dropping = True
            headers = MutableHeaders(raw=[])
            headers["HX-Redirect"] = address
            headers["Cache-Control"] = "no-store"
            headers["Content-Length"] = "0"
            for cookie in MutableHeaders(raw=list(message.get("headers", []))).getlist(
                "set-cookie"
            ):
                headers.append("set-cookie", cookie)
            await send({**message, "headers": headers.raw})
        elif message["type"] == "http.response.body" and dropping:
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b""})
        else:
            await send(message)

    return send_pages_only


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
        if _is_htmx(scope, "GET"):
            await self.app(scope, receive, _browser_fetches_files(scope, send))
            return
        if not _is_htmx(scope, "POST"):
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
