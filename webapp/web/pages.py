"""Pages with no form: home, accessibility statement, cookies, privacy notice, contact, health."""

from __future__ import annotations

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from webapp.accessibility_statement import load_statement
from webapp.services import SERVICES
from webapp.templating import render_page


async def home(request: Request) -> Response:
    return render_page(request, "pages/home.html", {"services": SERVICES.values()})


async def accessibility(request: Request) -> Response:
    return render_page(
        request,
        "pages/accessibility.html",
        {"statement": load_statement(), "contact_email": request.app.state.settings.contact_email},
    )


async def contact(request: Request) -> Response:
    return render_page(
        request, "pages/contact.html", {"contact_email": request.app.state.settings.contact_email}
    )


async def cookies(request: Request) -> Response:
    return render_page(
        request,
        "pages/cookies.html",
        {"session_cookie_name": request.app.state.settings.session_cookie},
    )


def _static_page(template: str):  # type: ignore[no-untyped-def]
    async def page(request: Request) -> Response:
        return render_page(request, template, {})

    page.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html")
    return page


async def privacy(request: Request) -> Response:
    """The privacy notice: the platform's part, then what each service adds (the law it decides
    under, who the force shares the answers with)."""
    return render_page(request, "pages/privacy.html", {"services": list(SERVICES.values())})


async def healthz(request: Request) -> Response:
    """200 when the database answers; 503 otherwise (the load balancer takes us out)."""
    try:
        async with request.app.state.db.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - whatever the database's failure, the answer is 503
        return PlainTextResponse("database unavailable", status_code=503)
    return PlainTextResponse("ok")


routes = [
    Route("/", home, name="home"),
    Route("/accessibility", accessibility, name="accessibility"),
    Route("/cookies", cookies, name="cookies"),
    Route("/privacy", privacy, name="privacy"),
    Route("/contact", contact, name="contact"),
    Route("/healthz", healthz, name="healthz"),
]
