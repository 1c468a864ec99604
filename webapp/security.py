"""CSRF, security headers and the request size cap.

CSRF: each session holds a random secret; forms carry it in a hidden field and HTMX sends it in
the `X-CSRF-Token` header (set once on <body> with hx-headers). Every POST handler is wrapped by
`form_handler`, which reads the form with limits and checks the token before the handler runs;
a route-list test makes sure no POST route escapes it. A session that has ended (no secret left)
protects nothing: a post into it from our own page, by the browser's word, is let through, so a
page left open past the idle timeout still works (docs/adr/0005).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, Sequence
from functools import wraps
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_SESSION_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

# Limits for one form post: a long application page has at most a few dozen fields.
MAX_FORM_FIELDS = 200
MAX_FORM_FILES = 2
MAX_PART_BYTES = 1024 * 1024


class CsrfError(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=403, detail="csrf")


def csrf_token(request: Request) -> str:
    """The session's CSRF secret, created on first use."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return token


def _own_origins(request: Request) -> set[str]:
    """This site's origin as the browser sees it: the address asked for, and BASE_URL (behind a
    proxy that ends TLS the two differ in scheme)."""
    base = urlsplit(request.app.state.settings.base_url)
    return {f"{request.url.scheme}://{request.url.netloc}", f"{base.scheme}://{base.netloc}"}


def sent_from_our_own_page(request: Request) -> bool:
    """True when the browser says this request came from one of our own pages.

    Browsers set `Sec-Fetch-Site` and `Origin` themselves; no page on another site can forge
    them. Without either (an old browser, a proxy that strips them) the answer is no.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    return bool(origin) and origin in _own_origins(request)


def _csrf_ok(request: Request, form: FormData) -> bool:
    expected = request.session.get(CSRF_SESSION_KEY)
    if expected is None and sent_from_our_own_page(request):
        # The session ended while the page was open (idle timeout, cookies cleared): it holds
        # nothing a forged post could act on, and the browser vouches that the post came from
        # our own page, so the person's click simply works; the page it leads to gets a token.
        return True
    sent = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
    if not isinstance(expected, str) or not isinstance(sent, str):
        return False
    return hmac.compare_digest(expected.encode(), sent.encode())


Handler = Callable[[Request, FormData], Awaitable[Response]]


def _without_nul(form: FormData) -> FormData:
    """The form with NUL removed from every text value. No keyboard types NUL, and PostgreSQL
    refuses it in any text it is asked to store or compare (a sign-in email with NUL in it was
    a 500), so it goes here, once, before any handler sees the form."""
    if not any(isinstance(value, str) and "\x00" in value for _, value in form.multi_items()):
        return form
    return FormData(
        [
            (name, value.replace("\x00", "") if isinstance(value, str) else value)
            for name, value in form.multi_items()
        ]
    )


def form_handler(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a POST endpoint: parse the form within limits, then insist on a valid CSRF token."""

    @wraps(handler)
    async def endpoint(request: Request) -> Response:
        try:
            form = await request.form(
                max_files=MAX_FORM_FILES, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_PART_BYTES
            )
        except HTTPException:
            raise
        except Exception as exc:  # malformed multipart or urlencoded body
            raise HTTPException(status_code=400, detail="bad form") from exc
        form = _without_nul(form)
        try:
            if not _csrf_ok(request, form):
                raise CsrfError()
            return await handler(request, form)
        finally:
            await form.close()  # uploaded files are spooled to disk: remove them now

    endpoint.csrf_protected = True  # type: ignore[attr-defined]
    return endpoint


def content_security_policy(form_targets: Sequence[str] = ()) -> str:
    """``form_targets``: other origins a form may lead to (GOV.UK Pay's card page: a form
    posted here is answered with a redirect there, and form-action governs redirects too)."""
    form_action = " ".join(["'self'", *form_targets])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            f"form-action {form_action}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


# Stylesheets and scripts are never documents: the policies that govern a document (what it may
# load, frame or share) do nothing on them, and on a slow connection every header costs.
_SUBRESOURCE_TYPES = (b"text/css", b"text/javascript", b"application/javascript")


def _is_subresource(headers: list[tuple[bytes, bytes]]) -> bool:
    content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
    return content_type.startswith(_SUBRESOURCE_TYPES)


class SecurityHeadersMiddleware:
    """Headers every response carries; HTML responses also get `no-store` (they may show answers)."""

    def __init__(self, app: ASGIApp, *, production: bool, form_targets: Sequence[str] = ()) -> None:
        self.app = app
        self.production = production
        self.csp = content_security_policy(form_targets).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = [(b"x-content-type-options", b"nosniff")]
                if not _is_subresource(headers):
                    extra += [
                        (b"content-security-policy", self.csp),
                        (b"x-frame-options", b"DENY"),
                        (b"cross-origin-opener-policy", b"same-origin"),
                        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                    ]
                    if b"referrer-policy" not in names:
                        extra.append((b"referrer-policy", b"same-origin"))
                if b"cache-control" not in names:
                    extra.append((b"cache-control", b"no-store"))
                if self.production:
                    extra.append(
                        (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
                    )
                message["headers"] = headers + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Refuse bodies over the cap, by Content-Length up front and by counting a streamed body."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The error is raised when the body is read, so it happens inside the endpoint and the
        # app's exception handlers turn it into the GOV.UK-style "too large" page.
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        try:
            received = int(declared)
        except ValueError:
            received = self.max_bytes + 1
        received = max(received, 0)
        first = True

        async def counting_receive() -> Message:
            nonlocal received, first
            if first and received > self.max_bytes:
                raise HTTPException(status_code=413)
            if first:
                received, first = 0, False
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(status_code=413)
            return message

        await self.app(scope, counting_receive, send)


def random_token(nbytes: int = 16) -> str:
    return secrets.token_urlsafe(nbytes)
