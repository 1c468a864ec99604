"""Every route the app serves, listed here on purpose: a new route must be added deliberately
(and reviewed for CSRF, access control and caching) before this test passes."""

from __future__ import annotations

import re

from starlette.routing import Mount, Route

from tests.conftest import make_settings
from webapp.app import create_app
from webapp.services import SERVICES
from webapp.web.public import RESERVED_PAGE_IDS

EXPECTED = {
    ("GET", "/"),
    ("GET", "/accessibility"),
    ("GET", "/cookies"),
    ("GET", "/privacy"),
    ("GET", "/contact"),
    ("GET", "/feedback"),
    ("POST", "/feedback"),
    ("GET", "/feedback/sent"),
    ("GET", "/copy"),
    ("POST", "/copy"),
    ("GET", "/copy/ready"),
    ("GET", "/copy/application.pdf"),
    ("GET", "/healthz"),
    ("GET", "/apply/{service}"),
    ("GET", "/apply/{service}/guide/{guide}"),
    ("POST", "/apply/{service}/start"),
    ("GET", "/apply/{service}/force"),
    ("POST", "/apply/{service}/force"),
    ("GET", "/apply/{service}/force/choose"),
    ("POST", "/apply/{service}/force/choose"),
    ("GET", "/apply/{service}/force/outside"),
    ("GET", "/apply/{service}/force/not-available"),
    ("GET", "/apply/{service}/tasks"),
    ("GET", "/apply/{service}/check"),
    ("GET", "/apply/{service}/declaration"),
    ("POST", "/apply/{service}/declaration"),
    ("GET", "/apply/{service}/payment"),
    ("POST", "/apply/{service}/payment"),
    ("GET", "/apply/{service}/payment/return/{token}"),
    ("GET", "/apply/{service}/confirmation"),
    ("GET", "/apply/{service}/already-sent"),
    ("GET", "/apply/{service}/cannot-use/{exit}"),
    ("GET", "/apply/{service}/{group}/{index:int}/remove"),
    ("POST", "/apply/{service}/{group}/{index:int}/remove"),
    ("GET", "/apply/{service}/{page}/{index:int}"),
    ("POST", "/apply/{service}/{page}/{index:int}"),
    ("GET", "/apply/{service}/{page}"),
    ("POST", "/apply/{service}/{page}"),
    ("GET", "/apply/{service}/confirmation/application.pdf"),
    ("GET", "/apply/{service}/draft.pdf"),
    ("GET", "/forms/{service}.pdf"),
    # Save and come back later (webapp/web/resume.py, webapp/web/timeout.py)
    ("GET", "/apply/{service}/save-and-return"),
    ("POST", "/apply/{service}/save-and-return"),
    ("GET", "/apply/{service}/saved"),
    ("GET", "/apply/{service}/timed-out"),
    ("GET", "/resume"),
    ("POST", "/resume"),
    ("GET", "/resume/reference"),
    ("POST", "/resume/reference"),
    ("GET", "/resume/new-link"),
    ("POST", "/resume/new-link"),
    ("GET", "/resume/new-link/sent"),
    ("GET", "/resume/{token}"),
    ("POST", "/session/extend"),
    ("GET", "/session/ended"),
    # The staff back office (webapp/web/staff/): every route signs in or checks the member's
    # force in the data layer; tests/integration/test_staff_*.py cover each one.
    ("GET", "/staff/sign-in"),
    ("POST", "/staff/sign-in"),
    ("GET", "/staff/sign-in/code"),
    ("POST", "/staff/sign-in/code"),
    ("GET", "/staff/sign-in/set-up"),
    ("POST", "/staff/sign-in/set-up"),
    ("POST", "/staff/sign-out"),
    ("GET", "/staff/signed-out"),
    ("GET", "/staff"),
    ("GET", "/staff/applications"),
    ("GET", "/staff/applications/reference/{reference}"),
    ("GET", "/staff/applications/{id:int}"),
    ("GET", "/staff/applications/{id:int}/application.pdf"),
    ("GET", "/staff/applications/{id:int}/photo"),
    ("GET", "/staff/applications/{id:int}/paper-form"),
    ("GET", "/staff/applications/{id:int}/letter"),
    ("POST", "/staff/applications/{id:int}/confirmation-email"),
    ("GET", "/staff/feedback"),
    ("GET", "/staff/applications/{id:int}/status"),
    ("POST", "/staff/applications/{id:int}/status"),
    ("POST", "/staff/applications/{id:int}/received"),
    ("GET", "/staff/apply/{service}"),
    ("POST", "/staff/apply/{service}/phone"),
    ("POST", "/staff/apply/{service}/paper"),
    ("GET", "/staff/drafts/{id:int}"),
    ("POST", "/staff/drafts/{id:int}/continue"),
    ("GET", "/staff/applications/{id:int}/sent"),
    ("GET", "/staff/help-caller"),
    ("POST", "/staff/help-caller"),
    ("GET", "/staff/admin/staff"),
    ("POST", "/staff/admin/staff"),
    ("POST", "/staff/admin/staff/{staff_id:int}/unlock"),
    ("POST", "/staff/admin/staff/{staff_id:int}/deactivate"),
    ("GET", "/staff/admin/audit"),
    # Forces choose what they offer (webapp/web/staff/force_settings.py, platform.py, admin.py,
    # auth.py); tests/integration/test_force_admin.py covers each one.
    ("POST", "/staff/admin/staff/{staff_id:int}/reactivate"),
    ("POST", "/staff/admin/staff/{staff_id:int}/reset-authenticator"),
    ("GET", "/staff/admin/staff/{staff_id:int}/reset-password"),
    ("POST", "/staff/admin/staff/{staff_id:int}/reset-password"),
    ("GET", "/staff/admin/services"),
    ("GET", "/staff/admin/services/{service}"),
    ("POST", "/staff/admin/services/{service}"),
    ("GET", "/apply/{service}/payment"),
    ("POST", "/apply/{service}/payment"),
    ("GET", "/apply/{service}/payment/return/{token}"),
    ("GET", "/staff/admin/services/{service}/prices"),
    ("GET", "/staff/admin/services/{service}/prices/new"),
    ("POST", "/staff/admin/services/{service}/prices/new"),
    ("GET", "/staff/admin/services/{service}/prices/{item}"),
    ("POST", "/staff/admin/services/{service}/prices/{item}"),
    ("GET", "/staff/platform"),
    ("POST", "/staff/platform/forces/{force_id}"),
    ("GET", "/staff/sign-in/new-password"),
    ("POST", "/staff/sign-in/new-password"),
    # The money side for staff (webapp/web/staff/payments.py, refunds.py);
    # tests/integration/test_staff_payments.py and test_staff_refunds.py cover each one.
    ("GET", "/staff/payments"),
    ("GET", "/staff/payments.csv"),
    ("GET", "/staff/payments/forces"),
    ("POST", "/staff/applications/{id:int}/refund"),
    ("POST", "/staff/applications/{id:int}/refunds/{refund_id:int}/approve"),
    ("POST", "/staff/applications/{id:int}/refunds/{refund_id:int}/decline"),
    ("MOUNT", "/static/dist"),
}


def _routes() -> list[tuple[str, str, object]]:
    app = create_app(make_settings("sqlite://"))
    found = []
    for route in app.routes:
        if isinstance(route, Mount):
            found.append(("MOUNT", route.path, route.app))
        elif isinstance(route, Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                found.append((method, route.path, route.endpoint))
    return found


def test_every_route_is_listed() -> None:
    assert {(method, path) for method, path, _ in _routes()} == EXPECTED


def test_every_post_route_checks_csrf() -> None:
    unprotected = [
        path
        for method, path, endpoint in _routes()
        if method == "POST" and not getattr(endpoint, "csrf_protected", False)
    ]
    assert unprotected == []


def test_no_service_page_id_collides_with_a_fixed_route() -> None:
    for service in SERVICES.values():
        assert not RESERVED_PAGE_IDS & set(service.pages), service.slug
        assert not RESERVED_PAGE_IDS & set(service.groups), service.slug


def _paths(routes: list[object], prefix: str = "") -> list[str]:
    """Every path the app answers, mounts' own routes included."""
    found = []
    for route in routes:
        if isinstance(route, Mount):
            found.append(prefix + route.path)
            found.extend(_paths(list(route.routes or []), prefix + route.path))
        elif isinstance(route, Route):
            found.append(prefix + route.path)
    return found


# Paths about one service: the journey, its documents, and staff applying for a caller.
SERVICE_PATHS = ("/apply/", "/forms/", "/staff/apply/")


def test_no_route_is_for_one_service() -> None:
    """One set of routes serves every service: no path names a service (its slug, with hyphens
    or underscores), and every path about a service takes it as {service}."""
    paths = _paths(list(create_app(make_settings("sqlite://")).routes))
    assert paths, "the app has routes"
    for service in SERVICES.values():
        names = {service.slug, service.slug.replace("-", "_")}
        for path in paths:
            assert not any(name in path.lower() for name in names), f"{path} names {service.slug}"
    about_a_service = [path for path in paths if path.startswith(SERVICE_PATHS)]
    assert about_a_service
    for path in about_a_service:
        assert re.match(r"^/(apply|forms|staff/apply)/\{service\}(/|\.pdf$|$)", path), path
