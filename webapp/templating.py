"""The Jinja environment: our templates first, then GOV.UK Frontend's macros, with gettext."""

from __future__ import annotations

from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from webapp import fastmacros, i18n
from webapp.assets import asset_url, htmx_config_json
from webapp.fees import format_pounds
from webapp.security import CSRF_FIELD, csrf_token
from webapp.settings import PROJECT_ROOT
from webapp.uk_time import uk_date, uk_datetime

TEMPLATE_DIR = PROJECT_ROOT / "templates"

SERVICE_NAME = i18n.lazy_gettext("Blue Lamp")


def _request_context(request: Request) -> dict[str, Any]:
    """What every page needs: the locale, the CSRF field, and the force chosen for this visit."""
    return {
        "locale": i18n.get_locale(),
        "csrf_field": CSRF_FIELD,
        # A callable, so that pages without a form do not start a session (and set no cookie).
        "csrf_token": lambda: csrf_token(request),
        "force": getattr(request.state, "force", None),
        "service_name": SERVICE_NAME,
        # English | Cymraeg, each leading to this same page (none on staff pages).
        "language_links": getattr(request.state, "language_links", None),
        "session_timeout": _session_timeout(request),
        # Set by the journey when staff are working on the draft: the layout keeps the back office.
        "staff_journey": getattr(request.state, "staff_journey", None),
    }


def _session_timeout(request: Request) -> dict[str, int] | None:
    """For the timeout warning dialog: only a session that holds a draft can time out on someone."""
    session = request.scope.get("session") or {}
    if not any(str(key).startswith("draft:") for key in session):
        return None
    settings = request.app.state.settings
    return {"idle": settings.session_idle_seconds, "warning": settings.session_warning_seconds}


def create_environment(*, fast: bool = True) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(TEMPLATE_DIR),
            # The same GOV.UK macros, made faster with identical output (webapp/fastmacros/).
            jinja2.PrefixLoader(
                {
                    "govuk_frontend_jinja": fastmacros.loader()
                    if fast
                    else jinja2.PackageLoader("govuk_frontend_jinja")
                }
            ),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        # Templates never change while the app runs: skip the modification-time check per render.
        auto_reload=False,
        cache_size=1000,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    env.filters["pounds"] = format_pounds
    env.filters["uk_date"] = uk_date
    env.filters["uk_datetime"] = uk_datetime
    env.globals["asset_url"] = asset_url
    env.globals["htmx_config"] = htmx_config_json()
    if fast:
        fastmacros.install(env)
    return env


def create_templates() -> Jinja2Templates:
    return Jinja2Templates(env=create_environment(), context_processors=[_request_context])


def render_page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """A page from the app's templates (the one place that reaches for them on the app's state)."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)
