"""The answers the accessibility suite gives, and three ways of giving them:

* over HTTP with a browser context's own request client (fast; shares the context's cookies), to
  put a context into a state (a complete draft, a sent application) before its pages are checked;
* in a browser with the mouse-free Playwright fill/check calls (used with JavaScript off);
* in a browser with the keyboard only (see keyboard.py).

Every service in SERVICES is walked the same way (tests/support/service_walk.py: answers derived
from its questions); `EXAMPLES` gives a service answers of its own where the suite wants branches
the derived answers do not take.

The answers differ from tests/support/firearms.py's COMPLETE on purpose: they take the branches
that COMPLETE skips (renewals, a job, convictions, shotguns, previous GPs, health details), so that
more page types and field macros are reached.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import APIRequestContext, BrowserContext, Page

from tests.support import firearms
from tests.support.firearms import BASE, COMPLETE, address, step_of
from tests.support.forms import png_bytes
from tests.support.service_walk import ServiceWalker, Upload, Visit
from tests.support.service_walk import Walk as ServiceWalk
from webapp.engine import Step
from webapp.engine.schema import Service
from webapp.services.firearm_certificate import SERVICE as FIREARMS

POSTCODE = "LS1 1UR"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_TASK_LINK = re.compile(r'class="govuk-link govuk-task-list__link" href="([^"]+)"')

ANSWERS: dict[str, Any] = copy.deepcopy(COMPLETE)
ANSWERS.update(
    {
        "fac_kind": "renewal",
        "fac_number": "FA/9876",
        "fac_expiry": {
            **COMPLETE["sgc_expiry"],
            "year": str(int(COMPLETE["sgc_expiry"]["year"]) + 1),
        },
        "other_names": [{"other_surname": "Smith", "other_forenames": "Annie"}],
        "employment": "employed",
        "occupation": "Engineer",
        "work_address": address("3 Park Row", "Leeds", "LS1 5AB"),
        "work_phone": "0113 496 0001",
        "work_email": "",
        "abroad": "yes",
        "abroad_details": "France, 2020 to 2021",
        "conditions": ["depression"],
        "health_depression_details": "Treated for anxiety in 2010, no treatment since",
        "has_previous_gps": "yes",
        "previous_gps": [
            {
                "previous_gp_name": "Park Surgery",
                "previous_gp_address": address("7 Park Lane", "Leeds", "LS2 9JT"),
            }
        ],
        "previous_gps_add_another": "no",
        "has_convictions": "yes",
        "convictions": [
            {
                "offence": "Speeding",
                "conviction_date": {"day": "4", "month": "6", "year": "2015"},
                "court": "Leeds Magistrates’ Court",
                "sentence": "A fine of £100",
            }
        ],
        "convictions_add_another": "no",
        "has_shotguns": "yes",
        "shotguns": [
            {
                "shotgun_make": "Beretta",
                "shotgun_gauge": "12",
                "shotgun_serial": "B7788",
                "shotgun_barrels": "2",
                "shotgun_action": "over_and_under",
            }
        ],
        "shotguns_add_another": "no",
    }
)
ANSWERS["referees"] = [
    {**ANSWERS["referees"][0]},
    {
        **ANSWERS["referees"][1],
        "referee_phone": "01632 960002",
        "referee_email": "cara@example.com",
    },
]


# Answers of a service's own, by slug, tried before the derived ones.
EXAMPLES: dict[str, dict[str, Any]] = {FIREARMS.slug: ANSWERS}


def form_for(step: Step, answers: dict[str, Any] = ANSWERS) -> dict[str, Any]:
    """The fields a person would post on this page, from this suite's answers."""
    return dict(firearms.form_for(step, answers))


def is_question(url: str) -> bool:
    return step_of(url) is not None and not urlsplit(url).path.endswith("/remove")


def photo_file() -> dict[str, Any]:
    return {"name": "me.png", "mimeType": "image/png", "buffer": png_bytes()}


# ---------------------------------------------------------------------------------------------
# Over HTTP, with the browser context's cookies.


class Http:
    def __init__(self, context: BrowserContext) -> None:
        self.request: APIRequestContext = context.request

    def get(self, url: str) -> tuple[int, str, str]:
        """status, final url, body (redirects followed)."""
        response = self.request.get(url)
        return response.status, response.url, response.text()

    def post(self, url: str, data: dict[str, Any], page_url: str | None = None) -> str:
        """GET the page for its CSRF token, POST the form; return where it redirected to."""
        status, _, html = self.get(page_url or url)
        assert status == 200, (page_url or url, status)
        token = _CSRF.search(html)
        assert token, f"no CSRF field on {page_url or url}"
        fields: dict[str, Any] = {"csrf_token": token.group(1)}
        multipart = "photo" in data
        for name, value in data.items():
            if name == "photo":
                fields[name] = photo_file()
            elif isinstance(value, list):
                # APIRequestContext posts one value per name; repeated names need a body of our own.
                fields[name] = value
            else:
                fields[name] = str(value)
        if multipart:
            response = self.request.post(url, multipart=_flatten_single(fields), max_redirects=0)
        else:
            body = "&".join(
                f"{_q(name)}={_q(v)}"
                for name, value in fields.items()
                for v in (value if isinstance(value, list) else [value])
            )
            response = self.request.post(
                url,
                data=body,
                headers={"content-type": "application/x-www-form-urlencoded"},
                max_redirects=0,
            )
        if response.status != 303:
            errors = re.findall(
                r'govuk-error-message">\s*<span[^>]*>[^<]*</span>([^<]*)', response.text()
            )
            raise AssertionError(f"POST {url} answered {response.status}: {errors}")
        location = response.headers["location"]
        return urlsplit(location).path + (
            f"?{urlsplit(location).query}" if urlsplit(location).query else ""
        )

    def start(self, postcode: str = POSTCODE) -> None:
        assert self.post(f"{BASE}/start", {}, page_url=BASE) == f"{BASE}/force"
        assert self.post(f"{BASE}/force", {"postcode": postcode}) == f"{BASE}/tasks"


def _q(value: Any) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="")


def _flatten_single(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        name: (value[0] if isinstance(value, list) and value else value)
        for name, value in fields.items()
    }


def _unfinished(tasks_html: str, link: str) -> bool:
    after = tasks_html.split(f'href="{link}"', 1)[1]
    status = after.split("govuk-task-list__status", 1)[1][:200]
    return "Completed" not in status


# ---------------------------------------------------------------------------------------------
# In a browser, filling fields with Playwright (no keyboard, no JavaScript needed on the page).


_FILL = r"""
(form) => {
  for (const [name, value] of Object.entries(form)) {
    const controls = [...document.querySelectorAll(`[name="${name}"]`)];
    for (const c of controls) {
      if (c.type === 'radio') c.checked = c.value === value;
      else if (c.type === 'checkbox') c.checked = (Array.isArray(value) ? value : [value]).includes(c.value);
      else if (c.type !== 'file') c.value = value;
    }
  }
}
"""


# ---------------------------------------------------------------------------------------------
# Any service, walked by tests/support/service_walk.py over the context's request client or in a
# browser page.


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class RequestTransport:
    """The browser context's request client (its cookies are the context's)."""

    def __init__(self, context: BrowserContext) -> None:
        self.request: APIRequestContext = context.request

    def get(self, url: str) -> Visit:
        response = self.request.get(url)
        return Visit(_path_and_query(response.url), response.status, response.text())

    def post(
        self, url: str, page: Visit, fields: dict[str, Any], files: dict[str, Upload]
    ) -> Visit:
        token = _CSRF.search(page.html)
        assert token, f"no CSRF field on {page.url}"
        data = {**fields, "csrf_token": token.group(1)}
        if files:
            multipart = {
                name: {"name": file[0], "buffer": file[1], "mimeType": file[2]}
                for name, file in files.items()
            }
            response = self.request.post(url, multipart={**_flatten_single(data), **multipart})
        else:
            body = "&".join(
                f"{_q(name)}={_q(v)}"
                for name, value in data.items()
                for v in (value if isinstance(value, list) else [value])
            )
            response = self.request.post(
                url, data=body, headers={"content-type": "application/x-www-form-urlencoded"}
            )
        return Visit(_path_and_query(response.url), response.status, response.text())


class BrowserTransport:
    """A browser page: each form filled in the page and sent with its main button."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def _arrived(self, status: int) -> Visit:
        return Visit(_path_and_query(self.page.url), status, self.page.content())

    def get(self, url: str) -> Visit:
        response = self.page.goto(url)
        return self._arrived(response.status if response else 200)

    def post(
        self, url: str, page: Visit, fields: dict[str, Any], files: dict[str, Upload]
    ) -> Visit:
        if _path_and_query(self.page.url) != page.url:
            self.page.goto(page.url)
        for name, file in files.items():
            self.page.set_input_files(
                f'main form input[name="{name}"]',
                files=[{"name": file[0], "buffer": file[1], "mimeType": file[2]}],
            )
        self.page.evaluate(_FILL, fields)
        with self.page.expect_navigation() as navigation:
            self.page.locator(
                "main form button.govuk-button, main form input[type=submit]"
            ).first.click()
        response = navigation.value
        return self._arrived(response.status if response else 200)


def _pay_over_http(transport: RequestTransport) -> Callable[[Visit], Visit]:
    """From the payment page: on to the GOV.UK Pay simulator, a card that succeeds, and back."""

    def pay(visit: Visit) -> Visit:
        from tests.support.pay import running_simulator

        simulator = running_simulator()
        token = _CSRF.search(visit.html)
        assert token, f"no CSRF field on {visit.url}"
        response = transport.request.post(
            visit.url,
            data=f"csrf_token={_q(token.group(1))}",
            headers={"content-type": "application/x-www-form-urlencoded"},
            max_redirects=0,
        )
        card_page = response.headers.get("location", "")
        payment_id = urlsplit(card_page).path.rstrip("/").split("/")[-1]
        assert simulator.complete(payment_id) == "success", card_page
        return transport.get(_path_and_query(simulator.return_url(payment_id)))

    return pay


def _pay_in_browser(transport: BrowserTransport) -> Callable[[Visit], Visit]:
    """From the payment page, in the browser: the simulator's card page, paid with a test card."""

    def pay(visit: Visit) -> Visit:
        from tests.support.pay import pay_in_browser

        page = transport.page
        if _path_and_query(page.url) != visit.url:
            page.goto(visit.url)
        with page.expect_navigation():
            page.locator("main form button.govuk-button").first.click()
        pay_in_browser(page)
        page.wait_for_load_state()
        return transport._arrived(200)

    return pay


def walk_service(
    context_or_page: BrowserContext | Page, service: Service, until: str = "check", **options: Any
) -> ServiceWalk:
    """Apply for ``service`` with its EXAMPLES: over HTTP in a context, or in a browser page."""
    transport: BrowserTransport | RequestTransport
    if isinstance(context_or_page, Page):
        transport = BrowserTransport(context_or_page)
        options.setdefault("pay", _pay_in_browser(transport))
    else:
        transport = RequestTransport(context_or_page)
        options.setdefault("pay", _pay_over_http(transport))
    walker = ServiceWalker(service, transport, examples=EXAMPLES.get(service.slug), **options)  # type: ignore[arg-type]
    return walker.walk(until)
