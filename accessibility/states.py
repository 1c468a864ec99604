"""The page registry: every page and state the suite checks, and how to reach each one.

A state is a URL (or a small function) run in a browser context that has been put into a named
*setup* first (no draft, a complete draft, a sent application, a staff sign-in ...). To add pages
for a new feature, write a function that yields `State`s and decorate it with `@source`; add a
setup to SETUPS if the pages need one. Sources that find their routes missing yield nothing, so the
registry can name pages that are still being built.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page

from accessibility.journey import ANSWERS, BASE, FIREARMS, Http, walk_service
from tests.support.browser import SETTLED_JS
from tests.support.service_walk import Walk as ServiceWalk
from webapp.engine.schema import Service
from webapp.services import SERVICES

if TYPE_CHECKING:
    from accessibility.conftest import Site


@dataclass
class State:
    key: str  # unique and stable: used in the report and to match known issues
    url: str
    setup: str = "anon"
    kind: str = "page"  # page | question | error | dialog (over a page already listed)
    # Put the page into the state; by default, go to the URL.
    reach: Callable[[Page], None] | None = None
    features: list[str] = field(default_factory=list)

    def go(self, page: Page) -> None:
        if self.reach is not None:
            self.reach(page)
        else:
            page.goto(self.url)


# ---------------------------------------------------------------------------------------------
# Setups: what is done (over HTTP, in the context) before a context's states are visited. The
# journey's are made for each service in SERVICES: "complete:<slug>" (walked to check answers),
# "errors:<slug>" (the same, in a context of its own), "submitted:<slug>" and "new-draft:<slug>".


def setup_for(kind: str, service: Service) -> str:
    return f"{kind}:{service.slug}"


def state_key(service: Service, key: str) -> str:
    """A service's page key: 'firearm-certificate:q:name'."""
    return f"{service.slug}:{key}"


def _complete(service: Service) -> Callable[[BrowserContext, Any], ServiceWalk]:
    return lambda context, site: walk_service(context, service, "check")


def _submitted(service: Service) -> Callable[[BrowserContext, Any], ServiceWalk]:
    return lambda context, site: walk_service(context, service, "confirmation")


def _new_draft(service: Service) -> Callable[[BrowserContext, Any], None]:
    base = f"/apply/{service.slug}"

    def setup(context: BrowserContext, site: Any) -> None:
        Http(context).post(f"{base}/start", {}, page_url=base)

    return setup


def _eligible(service: Service) -> Callable[[BrowserContext, Any], None]:
    """A new draft past the service's eligibility questions (if it asks any): each answered with
    the first option that does not lead to an exit page, so the force page is what comes next."""
    base = f"/apply/{service.slug}"

    def setup(context: BrowserContext, site: Any) -> None:
        http = Http(context)
        http.post(f"{base}/start", {}, page_url=base)
        eligibility = service.flow.eligibility
        for question in eligibility.questions if eligibility is not None else ():
            for option in question.field.choices():  # type: ignore[attr-defined]
                url = f"{base}/{question.id}"
                if "/cannot-use/" not in http.post(url, {question.id: option.value}):
                    break

    return setup


SETUPS: dict[str, Callable[[BrowserContext, Any], Any]] = {"anon": lambda context, site: None}
for _service in SERVICES.values():
    SETUPS[setup_for("complete", _service)] = _complete(_service)
    SETUPS[setup_for("errors", _service)] = _complete(_service)
    SETUPS[setup_for("submitted", _service)] = _submitted(_service)
    SETUPS[setup_for("new-draft", _service)] = _new_draft(_service)
    SETUPS[setup_for("eligible", _service)] = _eligible(_service)

# The pages that are the platform's, not a service's (saving, the timeout, the copy), are checked
# once, with this service's journey.
PLATFORM_SERVICE = FIREARMS
COMPLETE_SETUP = setup_for("complete", PLATFORM_SERVICE)

SOURCES: list[Callable[[Site], Iterator[State]]] = []


def source(function: Callable[[Site], Iterator[State]]) -> Callable[[Site], Iterator[State]]:
    SOURCES.append(function)
    return function


def all_states(site: Site) -> list[State]:
    states: list[State] = []
    for make in SOURCES:
        states.extend(make(site))
    keys = [state.key for state in states]
    duplicates = {key for key in keys if keys.count(key) > 1}
    assert not duplicates, f"state keys must be unique: {duplicates}"
    return states


def page_key(service: Service, url: str) -> str:
    path = urlsplit(url).path.removeprefix(f"/apply/{service.slug}/")
    return path


# ---------------------------------------------------------------------------------------------
# The pages.


@source
def information_pages(site: Site) -> Iterator[State]:
    for key, url in [
        ("home", "/"),
        ("accessibility-statement", "/accessibility"),
        ("cookies", "/cookies"),
        ("privacy", "/privacy"),
        ("contact", "/contact"),
        ("not-found", "/no-such-page"),
    ]:
        yield State(key, url)
    for service in SERVICES.values():
        yield State(state_key(service, "start"), f"/apply/{service.slug}")
        for guide in service.guides:
            yield State(
                state_key(service, f"guide/{guide.id}"), f"/apply/{service.slug}/guide/{guide.id}"
            )


@source
def force_pages(site: Site) -> Iterator[State]:
    def post_postcode(base: str, postcode: str, then: str) -> Callable[[Page], None]:
        def reach(page: Page) -> None:
            Http(page.context).post(f"{base}/force", {"postcode": postcode}) if postcode else None
            page.goto(then)

        return reach

    for service in SERVICES.values():
        base, draft = f"/apply/{service.slug}", setup_for("eligible", service)

        def key(name: str, service: Service = service) -> str:
            return state_key(service, name)

        if service.flow.force_routing.from_list:
            # The forces offering the service, as radios: the only force page it has.
            yield State(key("force-list"), f"{base}/force", draft)
            yield State(
                key("force-list/error"),
                f"{base}/force",
                draft,
                kind="error",
                reach=error_reach(f"{base}/force"),
            )
            continue
        yield State(key("force-postcode"), f"{base}/force", draft)
        yield State(
            key("force-postcode/error"),
            f"{base}/force",
            draft,
            kind="error",
            reach=error_reach(f"{base}/force"),
        )
        choose = post_postcode(base, "SY10 7AA", f"{base}/force/choose")
        yield State(key("force-choose"), f"{base}/force/choose", draft, reach=choose)
        yield State(
            key("force-choose/error"),
            f"{base}/force/choose",
            draft,
            kind="error",
            reach=error_reach(f"{base}/force/choose", before=choose),
        )
        yield State(
            key("force-outside"),
            f"{base}/force/outside",
            draft,
            reach=post_postcode(base, "EH1 1YZ", f"{base}/force/outside"),
        )
        if site.has_route("/apply/{service}/force/not-available"):
            yield State(key("force-not-available"), f"{base}/force/not-available", draft)


def _each_page_once(service: Service, urls: list[str]) -> Iterator[tuple[str, str]]:
    """(page key, first URL) for each page the walk went through (an item page once, not per item)."""
    seen = set()
    for url in urls:
        key = page_key(service, url)
        if key not in seen:
            seen.add(key)
            yield key, url


@source
def journey_pages(site: Site) -> Iterator[State]:
    for service in SERVICES.values():
        base, complete = f"/apply/{service.slug}", setup_for("complete", service)
        walk: ServiceWalk = site.setup_result(complete)
        if walk.urls("tasks"):
            yield State(state_key(service, "tasks"), f"{base}/tasks", complete)
        for key, url in _each_page_once(service, walk.question_urls):
            yield State(state_key(service, f"q:{key}"), url, complete, kind="question")
        for key, url in _each_page_once(service, walk.exits):
            yield State(state_key(service, f"exit:{key}"), url, complete)
        # Each group with an item: its remove page; the first such group's error state too.
        groups = [
            group
            for group in service.groups.values()
            if f"{base}/{group.item_pages[0].id}/0" in walk.question_urls
        ]
        for group in groups:
            yield State(
                state_key(service, f"remove:{group.id}"), f"{base}/{group.id}/0/remove", complete
            )
        for group in groups[:1]:
            yield State(
                state_key(service, f"remove:{group.id}/error"),
                f"{base}/{group.id}/0/remove",
                complete,
                kind="error",
                reach=error_reach(f"{base}/{group.id}/0/remove"),
            )
        yield State(state_key(service, "check-answers"), f"{base}/check", complete)
        yield State(state_key(service, "declaration"), f"{base}/declaration", complete)
        yield State(
            state_key(service, "declaration/error"),
            f"{base}/declaration",
            complete,
            kind="error",
            reach=error_reach(f"{base}/declaration"),
        )


@source
def error_states(site: Site) -> Iterator[State]:
    for service in SERVICES.values():
        errors = setup_for("errors", service)
        walk: ServiceWalk = site.setup_result(errors)
        for key, url in _each_page_once(service, walk.question_urls):
            yield State(
                state_key(service, f"q:{key}/error"),
                url,
                errors,
                kind="error",
                reach=error_reach(url),
            )


@source
def sent_pages(site: Site) -> Iterator[State]:
    for service in SERVICES.values():
        base, submitted = f"/apply/{service.slug}", setup_for("submitted", service)
        yield State(state_key(service, "confirmation"), f"{base}/confirmation", submitted)
        yield State(state_key(service, "already-sent"), f"{base}/already-sent", submitted)


# ---------------------------------------------------------------------------------------------
# Error states: clear the form (or type something invalid where a field checks its format),
# press Continue, and arrive on the page with its error summary.

MAKE_ERRORS = r"""
() => {
  const typed = {};
  for (const e of document.querySelectorAll('main form input, main form textarea, main form select')) {
    if (e.type === 'hidden' || e.type === 'submit' || e.type === 'button') continue;
    if (e.type === 'radio' || e.type === 'checkbox') { e.checked = false; continue; }
    if (e.type === 'file') continue;
    let value = '';
    if (e.closest('.govuk-date-input')) value = e.name.endsWith('-year') ? '19x' : '99';
    else if (e.type === 'email') value = 'not-an-email';
    else if (e.inputMode === 'numeric' || e.inputMode === 'decimal') value = 'many';
    e.value = value;
    if (value) typed[e.name] = value;
    e.dispatchEvent(new Event('input', {bubbles: true}));
  }
  return typed;
}
"""


def error_reach(url: str, before: Callable[[Page], None] | None = None) -> Callable[[Page], None]:
    def reach(page: Page) -> None:
        if before:
            before(page)
        else:
            page.goto(url)
        typed = page.evaluate(MAKE_ERRORS)
        path = urlsplit(page.url).path
        button = page.locator(
            "main form button.govuk-button:not(.govuk-button--secondary), main form input[type=submit]"
        ).first
        button.click()
        page.wait_for_function(
            "p => document.querySelector('.govuk-error-summary') || location.pathname !== p",
            arg=path,
            timeout=10_000,
        )
        page.wait_for_load_state()
        # With JavaScript, htmx swaps the page in and then GOV.UK Frontend starts its components
        # (marking each data-<module>-init); wait for that before anything is measured.
        # The page audit reports JavaScript that did not start.
        with contextlib.suppress(Exception):
            page.wait_for_function(SETTLED_JS, timeout=3_000)
        page._typed = typed

    return reach


# ---------------------------------------------------------------------------------------------
# Save and come back later, the session timeout dialog, and the staff pages. Each yields nothing
# until its routes exist.


@source
def resume_pages(site: Site) -> Iterator[State]:
    if not site.has_route("/resume"):
        return
    for key, url in [
        ("resume", "/resume"),
        ("resume-reference", "/resume/reference"),
        ("resume-new-link", "/resume/new-link"),
        ("resume-new-link-sent", "/resume/new-link/sent"),
    ]:
        if site.has_route(url):
            yield State(key, url)
    if site.has_route("/resume/reference"):
        yield State(
            "resume-reference/error",
            "/resume/reference",
            kind="error",
            reach=error_reach("/resume/reference"),
        )
    if site.has_route("/apply/{service}/save-and-return"):
        yield State("save-and-return", f"{BASE}/save-and-return", COMPLETE_SETUP)
        yield State(
            "save-and-return/error",
            f"{BASE}/save-and-return",
            COMPLETE_SETUP,
            kind="error",
            reach=error_reach(f"{BASE}/save-and-return"),
        )
    if site.has_route("/session/ended"):
        yield State("session-ended", "/session/ended")


def _open_timeout_dialog(page: Page) -> None:
    """Run the page's clock forward to the warning, so the dialog opens as it would for a person."""
    page.context.clock.install()
    page.goto(f"{BASE}/tasks")
    # The warning's script is fetched once the page shows it has a dialog: let it arrive and
    # start its timer before moving the clock.
    page.wait_for_load_state("networkidle")
    dialog = page.locator("dialog.app-timeout-dialog")
    idle = int(dialog.get_attribute("data-timeout-seconds") or 0)
    warning = int(dialog.get_attribute("data-warning-seconds") or 0)
    page.clock.run_for((idle - warning + 2) * 1000)
    page.wait_for_selector("dialog.app-timeout-dialog[open]", timeout=5_000)


SETUPS["timeout"] = lambda context, site: Http(context).start()


@source
def timeout_dialog(site: Site) -> Iterator[State]:
    if site.has_route("/session/extend"):
        yield State(
            "timeout-dialog", f"{BASE}/tasks", "timeout", kind="dialog", reach=_open_timeout_dialog
        )


def _staff_setup(context: BrowserContext, site: Site) -> dict[str, Any]:
    """A caseworker signed in with password and code, and one sent application in their force."""
    from tests.support.staff import PASSWORD, code_for, new_staff, sent_application

    database_url = site.app.state.settings.database_url
    staff = new_staff(database_url, force_id="cheshire", role="admin")
    application = sent_application(database_url, "cheshire")
    http = Http(context)
    assert (
        http.post("/staff/sign-in", {"email": staff.email, "password": PASSWORD})
        == "/staff/sign-in/code"
    )
    http.post("/staff/sign-in/code", {"code": code_for(staff.totp_secret)})
    return {"application": application.id}


SETUPS["staff"] = _staff_setup


@source
def staff_pages(site: Site) -> Iterator[State]:
    if not site.has_route("/staff/sign-in"):
        return
    yield State("staff-sign-in", "/staff/sign-in")
    yield State(
        "staff-sign-in/error", "/staff/sign-in", kind="error", reach=error_reach("/staff/sign-in")
    )
    if site.has_route("/staff/signed-out"):
        yield State("staff-signed-out", "/staff/signed-out")
    try:
        ident = site.setup_result("staff")["application"]
    except Exception as exc:  # noqa: BLE001 - reported as a finding by the sweep
        yield State(
            "staff-dashboard",
            "/staff",
            "anon",
            reach=lambda page, exc=exc: (_ for _ in ()).throw(exc),
        )
        return
    for key, url in [
        ("staff-dashboard", "/staff"),
        ("staff-search", "/staff/applications?q=Jones"),
        ("staff-application", f"/staff/applications/{ident}"),
        ("staff-status", f"/staff/applications/{ident}/status"),
        ("staff-apply", "/staff/apply/firearm-certificate"),
        ("staff-help-caller", "/staff/help-caller"),
        ("staff-sent", f"/staff/applications/{ident}/sent"),
        ("staff-admin-staff", "/staff/admin/staff"),
        ("staff-admin-audit", "/staff/admin/audit"),
    ]:
        route = (
            url.split("?")[0]
            .replace(str(ident), "{id:int}")
            .replace("firearm-certificate", "{service}")
        )
        if site.has_route(route):
            yield State(key, url, "staff")
    if site.has_route("/staff/applications/{id:int}/status"):
        yield State(
            "staff-status/error",
            f"/staff/applications/{ident}/status",
            "staff",
            kind="error",
            reach=error_reach(f"/staff/applications/{ident}/status"),
        )
    if site.has_route("/staff/help-caller"):
        yield State(
            "staff-help-caller/error",
            "/staff/help-caller",
            "staff",
            kind="error",
            reach=error_reach("/staff/help-caller"),
        )


# ---------------------------------------------------------------------------------------------
# Feedback, and the copy of a sent application that the confirmation email leads to.


def _copy_ready(context: BrowserContext, site: Site) -> None:
    """A sent application, then its copy asked for (in this context) by reference and date of birth."""
    import re

    _submitted(PLATFORM_SERVICE)(context, site)
    http = Http(context)
    _, _, confirmation = http.get(f"{BASE}/confirmation")
    reference = re.search(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>", confirmation)
    assert reference, "the confirmation page shows the reference"
    born = ANSWERS["date_of_birth"]
    assert (
        http.post(
            "/copy",
            {
                "reference": reference.group(1),
                "date_of_birth-day": born["day"],
                "date_of_birth-month": born["month"],
                "date_of_birth-year": born["year"],
            },
        )
        == "/copy/ready"
    )


SETUPS["copy-ready"] = _copy_ready


@source
def feedback_and_copy_pages(site: Site) -> Iterator[State]:
    if site.has_route("/feedback"):
        yield State("feedback", "/feedback")
        yield State("feedback/error", "/feedback", kind="error", reach=error_reach("/feedback"))
        yield State("feedback-sent", "/feedback/sent")
    if site.has_route("/copy"):
        yield State("copy", "/copy")
        yield State("copy/error", "/copy", kind="error", reach=error_reach("/copy"))
        yield State("copy-ready", "/copy/ready", "copy-ready")
    if site.has_route("/staff/feedback"):
        import dataclasses

        # The staff setup's force reads feedback here, as the lead force's staff do.
        settings = site.app.state.settings
        if settings.lead_force is None:
            site.app.state.settings = dataclasses.replace(settings, lead_force="cheshire")
        yield State("staff-feedback", "/staff/feedback", "staff")


# ---------------------------------------------------------------------------------------------
# Forces choose what they offer: a force's services, account resets, the national platform
# page, and the pages people meet when a force does not take a service.


def _lead_is(site: Site, force_id: str) -> None:
    """The national pages are the lead force's: make the test force the lead if none is set."""
    import dataclasses

    settings = site.app.state.settings
    if settings.lead_force is None:
        site.app.state.settings = dataclasses.replace(settings, lead_force=force_id)


def _national_setup(context: BrowserContext, site: Site) -> dict[str, Any]:
    """A national administrator of the lead force signed in, and a caseworker of that force."""
    from tests.support.staff import PASSWORD, code_for, new_staff

    database_url = site.app.state.settings.database_url
    _lead_is(site, "cheshire")
    lead = site.app.state.settings.lead_force
    national = new_staff(database_url, force_id=lead, role="national_admin")
    colleague = new_staff(database_url, force_id=lead, role="caseworker")
    http = Http(context)
    assert (
        http.post("/staff/sign-in", {"email": national.email, "password": PASSWORD})
        == "/staff/sign-in/code"
    )
    http.post("/staff/sign-in/code", {"code": code_for(national.totp_secret)})
    return {"colleague": colleague.id}


def _reset_setup(context: BrowserContext, site: Site) -> None:
    """A member whose password an administrator reset: one-time password and code given."""
    from tests.support.databases import run_sql
    from tests.support.staff import PASSWORD, code_for, new_staff

    database_url = site.app.state.settings.database_url
    member = new_staff(database_url, force_id="cheshire", role="caseworker")
    run_sql(
        database_url,
        "UPDATE staff_member SET must_change_password = :t WHERE id = :i",
        t=True,
        i=member.id,
    )
    http = Http(context)
    assert (
        http.post("/staff/sign-in", {"email": member.email, "password": PASSWORD})
        == "/staff/sign-in/code"
    )
    assert (
        http.post("/staff/sign-in/code", {"code": code_for(member.totp_secret)})
        == "/staff/sign-in/new-password"
    )


def _off_platform_setup(context: BrowserContext, site: Site) -> None:
    """A caseworker of a force that is not on the platform (demo data), signed in."""
    from tests.support.staff import PASSWORD, code_for, new_staff

    member = new_staff(
        site.app.state.settings.database_url, force_id="lincolnshire", role="caseworker"
    )
    http = Http(context)
    assert (
        http.post("/staff/sign-in", {"email": member.email, "password": PASSWORD})
        == "/staff/sign-in/code"
    )
    http.post("/staff/sign-in/code", {"code": code_for(member.totp_secret)})


def _public_off_platform(context: BrowserContext, site: Site) -> None:
    """A member of the public whose postcode is a force not on the platform (demo data)."""
    http = Http(context)
    http.post(f"{BASE}/start", {}, page_url=BASE)
    assert http.post(f"{BASE}/force", {"postcode": "NG31 6AA"}) == f"{BASE}/force/not-available"


SETUPS["staff-national"] = _national_setup
SETUPS["staff-reset"] = _reset_setup
SETUPS["staff-off-platform"] = _off_platform_setup
SETUPS["force-not-available"] = _public_off_platform


@source
def force_administration_pages(site: Site) -> Iterator[State]:
    if not site.has_route("/staff/admin/services"):
        return
    service = f"/staff/admin/services/{PLATFORM_SERVICE.slug}"
    yield State("staff-admin-services", "/staff/admin/services", "staff-national")
    yield State("staff-admin-service", service, "staff-national")
    yield State(
        "staff-admin-service/error",
        service,
        "staff-national",
        kind="error",
        reach=error_reach(service),
    )
    yield State("staff-platform", "/staff/platform", "staff-national")
    for priced in (service for service in SERVICES.values() if service.price_list is not None):
        prices = f"/staff/admin/services/{priced.slug}/prices"
        yield State(f"staff-admin-prices-{priced.slug}", prices, "staff-national")
        yield State(f"staff-admin-price-new-{priced.slug}", f"{prices}/new", "staff-national")
        yield State(
            f"staff-admin-price-new-{priced.slug}/error",
            f"{prices}/new",
            "staff-national",
            kind="error",
            reach=error_reach(f"{prices}/new"),
        )
    try:
        colleague = site.setup_result("staff-national")["colleague"]
    except Exception as exc:  # noqa: BLE001 - reported as a finding by the sweep
        yield State(
            "staff-admin-reset-password",
            "/staff/admin/staff",
            "anon",
            reach=lambda page, exc=exc: (_ for _ in ()).throw(exc),
        )
        return
    reset = f"/staff/admin/staff/{colleague}/reset-password"
    yield State("staff-admin-reset-password", reset, "staff-national")
    yield State(
        "staff-admin-reset-password/error",
        reset,
        "staff-national",
        kind="error",
        reach=error_reach(reset),
    )
    yield State("staff-new-password", "/staff/sign-in/new-password", "staff-reset")
    yield State(
        "staff-apply-switched-off", f"/staff/apply/{PLATFORM_SERVICE.slug}", "staff-off-platform"
    )
    yield State("force-not-available/named", f"{BASE}/force/not-available", "force-not-available")


# ---------------------------------------------------------------------------------------------
# The money side for staff: the payments ledger (with its filters' errors), every force's totals,
# and a paid case with its refund form (and its errors) and a refund the rules proposed.


def _payments_setup(context: BrowserContext, site: Site) -> dict[str, Any]:
    """A national administrator of the lead force signed in; two cases of that force paid
    through the GOV.UK Pay simulator, one with a refund the rules proposed."""
    import uuid

    from tests.support.databases import run_sql
    from tests.support.pay import running_simulator
    from tests.support.payments import paid_case
    from tests.support.staff import PASSWORD, code_for, new_staff

    database_url = site.app.state.settings.database_url
    _lead_is(site, "cheshire")
    lead = site.app.state.settings.lead_force
    simulator = running_simulator()
    paid = paid_case(database_url, simulator, lead, amount=9800)
    proposed = paid_case(
        database_url, simulator, lead, amount=4550, case_status="withdrawn_before_checks"
    )
    run_sql(
        database_url,
        "INSERT INTO refund (payment_id, amount_pence, reason, status, idempotency_key, "
        "created_at, updated_at) VALUES (:p, 4550, 'Withdrawn before checks: by phone', "
        "'proposed', :k, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        p=proposed.payment_id,
        k=uuid.uuid4().hex,
    )
    national = new_staff(database_url, force_id=lead, role="national_admin")
    http = Http(context)
    assert (
        http.post("/staff/sign-in", {"email": national.email, "password": PASSWORD})
        == "/staff/sign-in/code"
    )
    http.post("/staff/sign-in/code", {"code": code_for(national.totp_secret)})
    return {"paid": paid.application_id, "proposed": proposed.application_id}


SETUPS["staff-payments"] = _payments_setup


@source
def payment_pages(site: Site) -> Iterator[State]:
    if not site.has_route("/staff/payments"):
        return
    yield State("staff-payments", "/staff/payments", "staff-payments")
    yield State(
        "staff-payments/error",
        "/staff/payments",
        "staff-payments",
        kind="error",
        reach=error_reach("/staff/payments"),
    )
    yield State("staff-payments-forces", "/staff/payments/forces", "staff-payments")
    try:
        cases = site.setup_result("staff-payments")
    except Exception as exc:  # noqa: BLE001 - reported as a finding by the sweep
        yield State(
            "staff-application-paid",
            "/staff/payments",
            "anon",
            reach=lambda page, exc=exc: (_ for _ in ()).throw(exc),
        )
        return
    paid = f"/staff/applications/{cases['paid']}"
    yield State("staff-application-paid", paid, "staff-payments")
    yield State(
        "staff-application-paid/error",
        paid,
        "staff-payments",
        kind="error",
        reach=error_reach(paid),
    )
    yield State(
        "staff-application-refund-proposed",
        f"/staff/applications/{cases['proposed']}",
        "staff-payments",
    )


# ---------------------------------------------------------------------------------------------
# The payment stage: the payment page, and every way back from GOV.UK Pay's card page (here the
# simulator's, driven with its test controls). Each state has a declared draft of its own, so
# that reaching one state (again, as the keyboard and reflow checks do) never depends on where
# another left its payment.

DECLINED_CARD = "4000000000000002"
ERROR_CARD = "4000000000000119"
EXPIRY_MINUTES = 91  # GOV.UK Pay's card page lasts 90 minutes


def _declared(context: BrowserContext, site: Site) -> str:
    """A complete firearms draft, declared: it waits at its payment. Its reference."""
    import re

    from tests.support.firearms import COMPLETE
    from tests.support.resume import set_draft

    http = Http(context)
    http.start()
    _, _, saved = http.get(f"{BASE}/save-and-return")
    found = re.search(r"Your reference is ([A-Z0-9]{4}-[A-Z0-9]{4})", saved)
    assert found, "the save page names the draft"
    set_draft(site.app.state.settings.database_url, found.group(1), answers=dict(COMPLETE))
    assert http.post(f"{BASE}/declaration", {"confirm": "yes"}) == f"{BASE}/payment"
    return found.group(1)


def _to_card_page(page: Page) -> str:
    """From the payment page to GOV.UK Pay's card page; the payment's id there."""
    page.goto(f"{BASE}/payment")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_load_state()
    if "/apply/" in page.url:
        # The live payment an earlier visit left ended since (the expiry state moves the
        # simulator's clock on for every payment): GOV.UK Pay sent us back; try again.
        page.get_by_role("button", name="Try again").click()
    page.wait_for_url(lambda url: "/apply/" not in url)
    return urlsplit(page.url).path.rstrip("/").split("/")[-1]


def _paid_with(card: str) -> Callable[[Page], None]:
    def reach(page: Page) -> None:
        from tests.support.pay import pay_in_browser

        _to_card_page(page)
        pay_in_browser(page, card)
        page.wait_for_load_state()

    return reach


def _cancelled(page: Page) -> None:
    _to_card_page(page)
    page.get_by_role("button", name="Cancel payment").click()
    page.wait_for_url(lambda url: "/apply/" in url)
    page.wait_for_load_state()


def _expired(page: Page) -> None:
    """The card page left open past its 90 minutes, then sent: GOV.UK Pay sends the person back."""
    from tests.support.pay import pay_in_browser, running_simulator

    _to_card_page(page)
    running_simulator().advance_clock(EXPIRY_MINUTES)
    pay_in_browser(page)
    page.wait_for_load_state()


def _unfinished(page: Page) -> None:
    """Back at the service by the return link (browser history) before paying."""
    from tests.support.paying import pay_api

    payment_id = _to_card_page(page)
    page.goto(str(pay_api(payment_id)["return_url"]))


def _pay_down(page: Page) -> None:
    """GOV.UK Pay answers 503 to every attempt the client makes at creating the payment."""
    from tests.support.pay import running_simulator

    page.goto(f"{BASE}/payment")
    running_simulator().fail_next(503, times=3)
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_load_state()


PAYMENT_STATES: list[tuple[str, Callable[[Page], None] | None]] = [
    ("payment", None),
    ("payment-declined", _paid_with(DECLINED_CARD)),
    ("payment-cancelled", _cancelled),
    ("payment-expired", _expired),
    ("payment-problem", _paid_with(ERROR_CARD)),
    ("payment-unfinished", _unfinished),
    ("payment-unavailable", _pay_down),
]
for _key, _reach in PAYMENT_STATES:
    SETUPS[f"declared:{_key}"] = _declared


@source
def payment_stage_pages(site: Site) -> Iterator[State]:
    if not site.has_route("/apply/{service}/payment") or PLATFORM_SERVICE.flow.payment is None:
        return
    for key, reach in PAYMENT_STATES:
        yield State(
            state_key(PLATFORM_SERVICE, key), f"{BASE}/payment", f"declared:{key}", reach=reach
        )
