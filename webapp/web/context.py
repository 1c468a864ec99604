"""Per-request context: the locale and the chosen force, and a sliding idle timeout."""

from __future__ import annotations

import time

from starlette.requests import HTTPConnection
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from webapp import forces, i18n
from webapp.assets import URL_PREFIX as STATIC_PREFIX
from webapp.web import language

SESSION_LOCALE = language.SESSION_LOCALE
SESSION_FORCE = "force"
SESSION_SEEN = "seen"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(STATIC_PREFIX):
            # Built assets are the same for everyone: reading the session would add
            # `Vary: Cookie` and a fresh Set-Cookie to files cached for a year.
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        session = connection.session
        chosen = language.requested(connection.query_params)
        if (
            chosen is not None
            and scope["method"] in ("GET", "HEAD")
            and not language.is_staff_path(scope["path"])
        ):
            # A language link: keep the choice, then show the same page (answers are saved in
            # the draft, so nothing is lost) at its own address, without the parameter.
            await language.choose(connection, chosen)
            response = RedirectResponse(language.without_parameter(connection.url), 303)
            await response(scope, receive, send)
            return
        if session:
            # Re-signing the cookie on activity makes its expiry an idle timeout, not an
            # absolute one; the timestamp also tells the timeout warning when the session ends.
            session[SESSION_SEEN] = int(time.time())
        force_id = session.get(SESSION_FORCE)
        connection.state.force = forces.get_force(force_id) if isinstance(force_id, str) else None
        locale = language.locale_for(connection)
        if not language.is_staff_path(scope["path"]):
            connection.state.language_links = language.links(connection.url, locale)
        token = i18n.set_locale(locale)
        try:
            await self.app(scope, receive, send)
        finally:
            i18n.reset_locale(token)
