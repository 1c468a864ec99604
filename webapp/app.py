"""create_app(settings) -> the Starlette application: routes, middleware, templates, database."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import anyio
from brotli_asgi import BrotliMiddleware
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount

from webapp.assets import StaticAssets
from webapp.notify import transport_for
from webapp.payments import PayClient
from webapp.pdf import shutdown_workers
from webapp.request_log import RequestLogMiddleware
from webapp.security import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from webapp.settings import Settings
from webapp.store.db import create_app_engine, session_factory
from webapp.store.models import utcnow
from webapp.templating import create_templates
from webapp.web import copy, documents, errors, feedback, pages, public, resume, staff, timeout
from webapp.web.context import RequestContextMiddleware
from webapp.web.htmx_redirects import HtmxRedirectMiddleware
from webapp.web.run_time import RunTimeFactsMiddleware


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # One GOV.UK Pay client for the app's life, made on the server's event loop: it keeps
        # its connections open between requests, and those belong to that loop.
        # Each lifespan closes the client it made: two test clients of one app each run one.
        pay = app.state.pay = PayClient(settings.pay_api_url, settings.pay_api_key)
        yield
        await pay.aclose()
        await app.state.db.dispose()
        await anyio.to_thread.run_sync(shutdown_workers)

    routes = [
        *pages.routes,
        *feedback.routes,
        # Before the journey: /apply/{service}/{page} would otherwise take draft.pdf.
        *documents.routes,
        # Before the journey: its fixed pages would otherwise be taken for question pages.
        *resume.routes,
        *copy.routes,
        *timeout.routes,
        *public.routes,
        # After the journey, which is most of the traffic: a request is matched against each
        # route in turn, and none of these shares a path with it.
        *staff.routes,
        Mount("/static/dist", app=StaticAssets(), name="static"),
    ]
    middleware = [
        Middleware(RequestLogMiddleware),
        Middleware(
            SecurityHeadersMiddleware,
            production=settings.production,
            form_targets=[settings.pay_card_origin],
        ),
        # Precompressed static files already carry Content-Encoding and are passed through.
        # Quality 5 with a 64 KB window: on our pages both smaller and faster than the
        # package's default (quality 4, 4 MB window); no page comes near 64 KB.
        # PDFs are left as they are: their streams are compressed already (brotli saved ~4%).
        Middleware(
            BrotliMiddleware,
            quality=5,
            lgwin=16,
            minimum_size=500,
            gzip_fallback=True,
            excluded_handlers=[r"\.pdf$"],
        ),
        Middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie=settings.session_cookie,
            max_age=settings.session_idle_seconds,
            same_site="lax",
            https_only=settings.production,
        ),
        # Inside the session (the page it fetches sees what the post saved), outside the
        # request context (which that page needs worked out afresh: the force may have changed).
        Middleware(HtmxRedirectMiddleware),
        Middleware(RequestContextMiddleware),
        # Innermost: the facts of the application's force, read afresh for each request (an
        # htmx post's next page, fetched inside, reads them again after the answer is saved).
        Middleware(RunTimeFactsMiddleware),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers=errors.EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.templates = create_templates()
    app.state.db = create_app_engine(settings.database_url)
    app.state.sessions = session_factory(app.state.db)
    # Outgoing email (webapp/notify.py), and the clock that resume links expire by.
    app.state.mailer = transport_for(settings)
    app.state.clock = utcnow
    return app
