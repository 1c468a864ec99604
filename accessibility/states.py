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

from accessibility.journey import ANSWERS, BASE, Http, Walk, step_of
from tests.support.browser import SETTLED_JS
from webapp.services.firearm_certificate import SERVICE

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
# Setups: what is done (over HTTP, in the context) before a context's states are visited.


def _complete(context: BrowserContext, site: Site) -> Walk:
    http = Http(context)
    http.start()
    return http.complete_every_task(ANSWERS)


def _new_draft(context: BrowserContext, site: Site) -> None:
    Http(context).post(f"{BASE}/start", {}, page_url=BASE)


def _submitted(context: BrowserContext, site: Site) -> None:
    _complete(context, site)
    Http(context).send()


SETUPS: dict[str, Callable[[BrowserContext, Any], Any]] = {
    "anon": lambda context, site: None,
    "new-draft": _new_draft,
    "complete": _complete,
    "errors": _complete,
    "submitted": _submitted,
}

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


def page_key(url: str) -> str:
    step = step_of(url)
    return step.page_id + (f"/{step.index}" if step.index is not None else "")


# ---------------------------------------------------------------------------------------------
# The pages.


@source
def information_pages(site: Site) -> Iterator[State]:
    for key, url in [
        ("home", "/"), ("accessibility-statement", "/accessibility"), ("cookies", "/cookies"),
        ("privacy", "/privacy"), ("contact", "/contact"), ("not-found", "/no-such-page"),
        ("start", BASE),
    ]:
        yield State(key, url)


@source
def force_pages(site: Site) -> Iterator[State]:
    def post_postcode(postcode: str, then: str) -> Callable[[Page], None]:
        def reach(page: Page) -> None:
            Http(page.context).post(f"{BASE}/force", {"postcode": postcode}) if postcode else None
            page.goto(then)
        return reach

    yield State("force-postcode", f"{BASE}/force", "new-draft")
    yield State("force-postcode/error", f"{BASE}/force", "new-draft", kind="error", reach=error_reach(f"{BASE}/force"))
    yield State("force-choose", f"{BASE}/force/choose", "new-draft", reach=post_postcode("SY10 7AA", f"{BASE}/force/choose"))
    yield State("force-choose/error", f"{BASE}/force/choose", "new-draft", kind="error",
                reach=error_reach(f"{BASE}/force/choose", before=post_postcode("SY10 7AA", f"{BASE}/force/choose")))
    yield State("force-outside", f"{BASE}/force/outside", "new-draft", reach=post_postcode("EH1 1YZ", f"{BASE}/force/outside"))
    if site.has_route("/apply/{service}/force/not-available"):
        yield State("force-not-available", f"{BASE}/force/not-available", "new-draft")


def _each_page_once(walk: Walk) -> Iterator[tuple[str, str]]:
    """(page key, first URL) for each page the walk went through (an item page once, not per item)."""
    seen = set()
    for url in walk.urls:
        key = page_key(url)
        if key not in seen:
            seen.add(key)
            yield key, url


@source
def journey_pages(site: Site) -> Iterator[State]:
    walk: Walk = site.setup_result("complete")
    yield State("tasks", f"{BASE}/tasks", "complete")
    for key, url in _each_page_once(walk):
        yield State(f"q:{key}", url, "complete", kind="question")
    for group in SERVICE.groups.values():
        if ANSWERS.get(group.id):
            yield State(f"remove:{group.id}", f"{BASE}/{group.id}/0/remove", "complete")
    yield State("remove:referees/error", f"{BASE}/referees/0/remove", "complete", kind="error",
                reach=error_reach(f"{BASE}/referees/0/remove"))
    yield State("check-answers", f"{BASE}/check", "complete")
    yield State("declaration", f"{BASE}/declaration", "complete")
    yield State("declaration/error", f"{BASE}/declaration", "complete", kind="error", reach=error_reach(f"{BASE}/declaration"))


@source
def error_states(site: Site) -> Iterator[State]:
    walk: Walk = site.setup_result("errors")
    for key, url in _each_page_once(walk):
        yield State(f"q:{key}/error", url, "errors", kind="error", reach=error_reach(url))


@source
def sent_pages(site: Site) -> Iterator[State]:
    yield State("confirmation", f"{BASE}/confirmation", "submitted")
    yield State("already-sent", f"{BASE}/already-sent", "submitted")


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
        button = page.locator("main form button.govuk-button:not(.govuk-button--secondary), main form input[type=submit]").first
        button.click()
        page.wait_for_function(
            "p => document.querySelector('.govuk-error-summary') || location.pathname !== p", arg=path, timeout=10_000
        )
        page.wait_for_load_state()
        # With JavaScript, htmx swaps the page in and then GOV.UK Frontend starts its components
        # (marking each data-<module>-init); wait for that before anything is measured.
        # The page audit reports JavaScript that did not start.
        with contextlib.suppress(Exception):
            page.wait_for_function(SETTLED_JS, timeout=3_000)
        setattr(page, "_typed", typed)

    return reach


# ---------------------------------------------------------------------------------------------
# Save and come back later, the session timeout dialog, and the staff pages. Each yields nothing
# until its routes exist.


@source
def resume_pages(site: Site) -> Iterator[State]:
    if not site.has_route("/resume"):
        return
    for key, url in [("resume", "/resume"), ("resume-reference", "/resume/reference"),
                     ("resume-new-link", "/resume/new-link"), ("resume-new-link-sent", "/resume/new-link/sent")]:
        if site.has_route(url):
            yield State(key, url)
    if site.has_route("/resume/reference"):
        yield State("resume-reference/error", "/resume/reference", kind="error", reach=error_reach("/resume/reference"))
    if site.has_route("/apply/{service}/save-and-return"):
        yield State("save-and-return", f"{BASE}/save-and-return", "complete")
        yield State("save-and-return/error", f"{BASE}/save-and-return", "complete", kind="error",
                    reach=error_reach(f"{BASE}/save-and-return"))
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
        yield State("timeout-dialog", f"{BASE}/tasks", "timeout", kind="dialog", reach=_open_timeout_dialog)


def _staff_setup(context: BrowserContext, site: Site) -> dict[str, Any]:
    """A caseworker signed in with password and code, and one sent application in their force."""
    from tests.support.staff import PASSWORD, code_for, new_staff, sent_application

    database_url = site.app.state.settings.database_url
    staff = new_staff(database_url, force_id="cheshire", role="admin")
    application = sent_application(database_url, "cheshire")
    http = Http(context)
    assert http.post("/staff/sign-in", {"email": staff.email, "password": PASSWORD}) == "/staff/sign-in/code"
    http.post("/staff/sign-in/code", {"code": code_for(staff.totp_secret)})
    return {"application": application.id}


SETUPS["staff"] = _staff_setup


@source
def staff_pages(site: Site) -> Iterator[State]:
    if not site.has_route("/staff/sign-in"):
        return
    yield State("staff-sign-in", "/staff/sign-in")
    yield State("staff-sign-in/error", "/staff/sign-in", kind="error", reach=error_reach("/staff/sign-in"))
    if site.has_route("/staff/signed-out"):
        yield State("staff-signed-out", "/staff/signed-out")
    try:
        ident = site.setup_result("staff")["application"]
    except Exception as exc:  # noqa: BLE001 - reported as a finding by the sweep
        yield State("staff-dashboard", "/staff", "anon", reach=lambda page, exc=exc: (_ for _ in ()).throw(exc))
        return
    for key, url in [
        ("staff-dashboard", "/staff"), ("staff-search", "/staff/applications?q=Jones"),
        ("staff-application", f"/staff/applications/{ident}"), ("staff-status", f"/staff/applications/{ident}/status"),
        ("staff-apply", "/staff/apply/firearm-certificate"), ("staff-help-caller", "/staff/help-caller"),
        ("staff-sent", f"/staff/applications/{ident}/sent"),
        ("staff-admin-staff", "/staff/admin/staff"), ("staff-admin-audit", "/staff/admin/audit"),
    ]:
        route = url.split("?")[0].replace(str(ident), "{id:int}").replace("firearm-certificate", "{service}")
        if site.has_route(route):
            yield State(key, url, "staff")
    if site.has_route("/staff/applications/{id:int}/status"):
        yield State("staff-status/error", f"/staff/applications/{ident}/status", "staff", kind="error",
                    reach=error_reach(f"/staff/applications/{ident}/status"))
    if site.has_route("/staff/help-caller"):
        yield State("staff-help-caller/error", "/staff/help-caller", "staff", kind="error",
                    reach=error_reach("/staff/help-caller"))


# ---------------------------------------------------------------------------------------------
# Feedback, and the copy of a sent application that the confirmation email leads to.


def _copy_ready(context: BrowserContext, site: Site) -> None:
    """A sent application, then its copy asked for (in this context) by reference and date of birth."""
    import re

    _submitted(context, site)
    http = Http(context)
    _, _, confirmation = http.get(f"{BASE}/confirmation")
    reference = re.search(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>", confirmation)
    assert reference, "the confirmation page shows the reference"
    born = ANSWERS["date_of_birth"]
    assert http.post("/copy", {"reference": reference.group(1), "date_of_birth-day": born["day"],
                               "date_of_birth-month": born["month"], "date_of_birth-year": born["year"]}) == "/copy/ready"


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
