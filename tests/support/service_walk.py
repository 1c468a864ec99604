"""Apply for any service in SERVICES, from its start page to its confirmation, with answers
derived from the service's own question definitions.

Nothing here knows a service. What is typed comes from each question's field type (a name, a date
that meets the field's own bounds, a real JPEG for an upload ...); which radio is chosen first
comes from the service's conditions (an option some page's condition names opens more of the
service, so it is tried first). Where the app goes next is read from the page it redirects to,
so a service may have a task list or be a straight run of pages:

* a question page is answered; when it comes back with errors, each question in error moves on
  to its next candidate answer (a later date, "yes" to add another ...);
* a page that is not one of the journey's (an exit page: "call 999", "you cannot apply") is
  recorded, and the walk goes back and chooses the next option;
* the force page gets a postcode, the task list its first unfinished task, check answers leads
  to the declaration, which is accepted.

A test that needs particular answers for a service (to reach branches the derived ones skip)
passes them as ``examples``, stored answers as the app keeps them; they are tried first.

The walk is the same over any `Transport`: Starlette's TestClient (`ClientTransport`), a
Playwright request context or a browser page (accessibility/journey.py).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import unescape
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

from starlette.testclient import TestClient

from webapp.engine import Step
from webapp.engine.conditions import AllOf, AnswerIs, Not
from webapp.engine.fields import (
    NO,
    YES,
    Address,
    Checkboxes,
    Date,
    Email,
    Field,
    FileUpload,
    Name,
    Number,
    Phone,
    Postcode,
    Radios,
    RuntimeRadios,
    Text,
    TextArea,
    years_before,
)
from webapp.engine.schema import PageRef, Question, Service
from webapp.uk_time import uk_today

POSTCODE = "LS1 1UR"  # one force's area, well inside it

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_TASK = re.compile(
    r'<a class="govuk-link govuk-task-list__link" href="([^"]+)".*?govuk-task-list__status[^>]*>(.*?)</',
    re.S,
)
_ERROR_LINK = re.compile(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', re.S)
_HREF = re.compile(r'href="#([^"]+)"')
_FORM = re.compile(r'<form[^>]*method="post"[^>]*>(.*?)</form>', re.S | re.I)


# ---------------------------------------------------------------------------------------------
# Pages, and how to move between them.


@dataclass
class Visit:
    """A page as it arrived: where (path and query), its status and HTML."""

    url: str
    status: int
    html: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def has_errors(self) -> bool:
        return 'class="govuk-error-summary"' in self.html


Upload = tuple[str, bytes, str]  # file name, bytes, content type


class Transport(Protocol):
    """How the walk reaches pages. Both follow redirects and return the page arrived at."""

    def get(self, url: str) -> Visit: ...

    def post(
        self,
        url: str,
        page: Visit,
        fields: Mapping[str, str | list[str]],
        files: Mapping[str, Upload],
    ) -> Visit: ...


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


@dataclass
class ClientTransport:
    """Starlette's TestClient, as a browser without JavaScript."""

    client: TestClient

    def get(self, url: str) -> Visit:
        response = self.client.get(url)
        return Visit(_path_and_query(str(response.url)), response.status_code, response.text)

    def post(
        self,
        url: str,
        page: Visit,
        fields: Mapping[str, str | list[str]],
        files: Mapping[str, Upload],
    ) -> Visit:
        data = {**fields, "csrf_token": csrf_of(page.html)}
        response = self.client.post(url, data=data, files=dict(files) or None)
        return Visit(_path_and_query(str(response.url)), response.status_code, response.text)


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# ---------------------------------------------------------------------------------------------
# Answers from field types.


def jpeg_bytes(width: int = 240, height: int = 300) -> bytes:
    """A real, small JPEG (made with Pillow), as a phone camera might save one."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (190, 170, 150)).save(out, format="JPEG", quality=80)
    return out.getvalue()


PHOTO: Upload = ("photo.jpg", jpeg_bytes(), "image/jpeg")


def _named_options(service: Service) -> dict[str, set[str]]:
    """Option values some condition of the service asks for: choosing one opens a page."""
    named: dict[str, set[str]] = {}

    def visit(condition: Any) -> None:
        if isinstance(condition, AnswerIs):
            named.setdefault(condition.question, set()).update(condition.values)
        elif isinstance(condition, AllOf):  # and AnyOf
            for part in condition.conditions:
                visit(part)
        elif isinstance(condition, Not):
            return  # an option that closes a page is not one to prefer

    for section in service.sections:
        visit(section.condition)
        for block in section.blocks:
            visit(block.condition)
    for ref in service.pages.values():
        visit(ref.page.condition)
    for qref in service.questions.values():
        visit(qref.question.condition)
    return named


def _dates(field: Date, today: date) -> list[date]:
    """Days the field accepts, the likeliest first: 20 years ago for the past (a date of birth,
    moving in), four months ahead for the future (an expiry), each within the field's bounds."""
    if field.when in ("future", "today_or_future"):
        ahead = [
            today + timedelta(days=120),
            today + timedelta(days=400),
            today + timedelta(days=30),
        ]
        if field.max_years_ahead is not None:
            latest = years_before(today, -field.max_years_ahead)
            ahead = [day for day in ahead if day <= latest] or [today + timedelta(days=1)]
        return ahead
    years = [20, 3, 1, 40]
    if field.max_years_ago is not None:
        years = [n for n in years if n < field.max_years_ago] or [0]
    days = [years_before(today, n) - timedelta(days=31) for n in years]
    if field.when is None:
        days.append(today + timedelta(days=120))
    return days


def _date_raw(field: Date, day: date) -> dict[str, str]:
    raw = {"month": str(day.month), "year": str(day.year)}
    return {"day": str(day.day), **raw} if field.day else raw


def _number(field: Number) -> list[str]:
    low, high = field.minimum, field.maximum
    if low is not None and high is not None:
        middle = (low + high) // 2
    elif low is not None:
        middle = low + 10
    elif high is not None:
        middle = high // 2
    else:
        middle = 10
    return [str(value) for value in dict.fromkeys(v for v in (middle, high, low) if v is not None)]


def derived_answers(
    field: Field, question: Question, *, named: set[str], today: date, more: bool = False
) -> list[Any]:
    """Valid raw answers for a question of this field type, the one to try first first.
    ``named``: the question's option values that some condition asks for; ``more``: the
    question is 'add another?', answered no unless the service needs more items."""
    if isinstance(field, Radios):
        if more:
            return [NO, YES]
        values = [option.value for option in field.options]
        return sorted(values, key=lambda value: value not in named)  # stable: the rest in order
    if isinstance(field, Checkboxes):
        plain = [option.value for option in field.options if not option.exclusive]
        exclusive = [[option.value] for option in field.options if option.exclusive]
        return [plain, *([[value] for value in plain[:1]] if len(plain) > 1 else []), *exclusive]
    if isinstance(field, Date):
        return [_date_raw(field, day) for day in _dates(field, today)]
    if isinstance(field, Address):
        return [
            {
                "line1": "1 Example Street",
                "line2": "",
                "town": "Leeds",
                "county": "",
                "postcode": POSTCODE,
            },
            # Another address, for a rule that items of a list differ (two different people).
            {
                "line1": "2 Example Road",
                "line2": "",
                "town": "Leeds",
                "county": "",
                "postcode": POSTCODE,
            },
        ]
    if isinstance(field, FileUpload):
        return [PHOTO]
    if isinstance(field, Email):
        return ["applicant@example.com"]
    if isinstance(field, Phone):
        return ["07700 900982", "01632 960001"]
    if isinstance(field, Postcode):
        return [POSTCODE]
    if isinstance(field, Number):
        return _number(field)
    if isinstance(field, Name):
        return ["Morgan", "Ann"]
    if isinstance(field, TextArea):
        return ["An example answer, in a sentence or two.\nGiven on two lines."[: field.max_length]]
    if isinstance(field, Text):
        return ["Example 42"[: field.max_length], "A1"[: field.max_length]]
    raise NotImplementedError(
        f"{type(field).__name__} ({question.id}): say in tests/support/service_walk.py what a "
        "valid answer to this field type is"
    )


# ---------------------------------------------------------------------------------------------
# One page's answers, and moving on to the next candidate.


@dataclass
class PagePlan:
    """The candidate answers for each question on one page, and which is being tried."""

    candidates: dict[str, list[Any]]
    chosen: dict[str, int] = field(default_factory=dict)
    choice_questions: list[str] = field(default_factory=list)

    def value(self, question_id: str) -> Any:
        return self.candidates[question_id][self.chosen.get(question_id, 0)]

    def advance(self, question_id: str) -> bool:
        """The question's next candidate; False when none is left."""
        index = self.chosen.get(question_id, 0) + 1
        if index >= len(self.candidates.get(question_id, [])):
            return False
        self.chosen[question_id] = index
        return True

    def next_option(self) -> bool:
        """After an exit page: the next option of the first choice that has one."""
        return any(self.advance(question_id) for question_id in self.choice_questions)


def _on_form(html: str, question: Question) -> bool:
    """Whether the page's form has this question's input (revealed ones included)."""
    return f'name="{question.id}"' in html or f'name="{question.id}-' in html


@dataclass
class PageResult:
    """What answering one page took."""

    url: str
    attempts: int
    errors: list[list[str]]  # the error summary's links each time the page came back
    exits: list[str]  # exit pages met on the way (each is gone back from)


# ---------------------------------------------------------------------------------------------
# The walk.


@dataclass
class Walk:
    """Every page met, in order, and what was posted on each question page."""

    service: Service
    visits: list[tuple[str, Visit]] = field(default_factory=list)  # (kind, visit)
    answered: list[PageResult] = field(default_factory=list)
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)  # question page URL -> fields
    files: dict[str, dict[str, Upload]] = field(default_factory=dict)

    def urls(self, kind: str) -> list[str]:
        return [visit.url for met, visit in self.visits if met == kind]

    @property
    def question_urls(self) -> list[str]:
        """Each question page answered, in order (an item page once per item)."""
        return list(dict.fromkeys(result.url for result in self.answered))

    @property
    def exits(self) -> list[str]:
        return list(dict.fromkeys(url for result in self.answered for url in result.exits))

    @property
    def last(self) -> Visit:
        return self.visits[-1][1]


class ServiceWalker:
    """Applies for one service over a transport. ``until`` is "check" (a complete draft) or
    "confirmation" (sent). ``on_visit(kind, visit)`` sees every page met."""

    FIXED: ClassVar[dict[str, str]] = {
        "": "start",
        "force": "force",
        "force/choose": "force-choose",
        "tasks": "tasks",
        "check": "check",
        "declaration": "declaration",
        "payment": "payment",
        "confirmation": "confirmation",
    }
    JOURNEY: ClassVar[set[str]] = {
        "start",
        "force",
        "force-choose",
        "tasks",
        "check",
        "declaration",
        "payment",
        "confirmation",
        "question",
    }

    def __init__(
        self,
        service: Service,
        transport: Transport,
        *,
        examples: Mapping[str, Any] | None = None,
        postcode: str = POSTCODE,
        today: date | None = None,
        on_visit: Callable[[str, Visit], None] | None = None,
        max_pages: int = 600,
        pay: Callable[[Visit], Visit] | None = None,
    ) -> None:
        self.pay = pay  # from the payment page, pays and returns the page arrived back at
        self.service, self.transport = service, transport
        self.examples = dict(examples or {})
        self.postcode, self.today = postcode, today or uk_today()
        self.on_visit, self.max_pages = on_visit, max_pages
        self.base = f"/apply/{service.slug}"
        self.named = _named_options(service)
        self.items: dict[str, int] = {}  # group id -> items answered so far

    # -- where we are -----------------------------------------------------------------------

    def step_of(self, url: str) -> Step | None:
        """The question page a URL shows, or None."""
        path = urlsplit(url).path
        if not path.startswith(self.base + "/"):
            return None
        parts = path.removeprefix(self.base + "/").split("/")
        if parts[0] not in self.service.pages or len(parts) > 2:
            return None
        if len(parts) == 2 and not parts[1].isdigit():
            return None
        return Step(parts[0], int(parts[1]) if len(parts) == 2 else None)

    def kind_of(self, visit: Visit) -> str:
        """start, force, force-choose, tasks, check, declaration, confirmation, question, or
        'other' (an exit page, an error page: anything the walk has no answer for)."""
        if visit.status != 200:
            return "other"
        path = visit.path.rstrip("/")
        if path == self.base or path.startswith(self.base + "/"):
            rest = path.removeprefix(self.base).strip("/")
            if rest in self.FIXED:
                return self.FIXED[rest]
            # A page of the service with a form to answer (an add-another page whose list is
            # full has only its Continue button); an exit page has nothing to post.
            if self.step_of(path) is not None and _FORM.search(visit.html):
                return "question"
        return "other"

    def _arrive(self, walk: Walk, visit: Visit) -> str:
        kind = self.kind_of(visit)
        walk.visits.append((kind, visit))
        if self.on_visit is not None:
            self.on_visit(kind, visit)
        return kind

    # -- the walk ----------------------------------------------------------------------------

    def walk(self, until: str = "confirmation") -> Walk:
        assert until in ("check", "confirmation"), until
        walk = Walk(self.service)
        visit = self.transport.get(self.base)
        kind = self._arrive(walk, visit)
        assert kind == "start", f"{self.base} is not a start page ({visit.status})"
        action = re.search(r'<form method="post" action="([^"]+)"', visit.html)
        assert action, "the start page has no form to start with"
        visit = self.transport.post(action.group(1), visit, {}, {})
        for _ in range(self.max_pages):
            kind = self._arrive(walk, visit)
            if kind == "question":
                visit = self._answer(walk, visit)
            elif kind == "force":
                visit = self.transport.post(visit.url, visit, self._force(visit), {})
            elif kind == "force-choose":
                force = re.search(r'name="force"[^>]*value="([^"]+)"', visit.html)
                assert force, "no force to choose"
                visit = self.transport.post(visit.url, visit, {"force": force.group(1)}, {})
            elif kind == "tasks":
                visit = self.transport.get(self._next_task(visit))
            elif kind == "check":
                if until == "check":
                    return walk
                visit = self._past_check(visit)
            elif kind == "declaration":
                visit = self.transport.post(visit.url, visit, self._declaration(visit), {})
            elif kind == "payment":
                assert self.pay is not None, f"{self.service.slug}: the walk has no way to pay"
                visit = self.pay(visit)
            elif kind == "confirmation":
                return walk
            else:
                raise AssertionError(
                    f"{self.service.slug}: the walk arrived at {visit.url} ({visit.status}), "
                    f"which is not a page of the journey:\n{_text_of(visit.html)[:600]}"
                )
        raise AssertionError(f"{self.service.slug}: no confirmation after {self.max_pages} pages")

    def _force(self, visit: Visit) -> dict[str, str]:
        """The postcode; or, on a force page that lists the forces, the first of them."""
        listed = re.search(r'name="force" type="radio" value="([^"]+)"', visit.html)
        return {"force": listed.group(1)} if listed else {"postcode": self.postcode}

    def _next_task(self, visit: Visit) -> str:
        """The first task not completed (check answers, once nothing else is left)."""
        tasks = [(href, _text_of(status)) for href, status in _TASK.findall(visit.html)]
        for href, status in tasks:
            if not href.endswith("/check") and status != "Completed":
                return unescape(href)
        finish = [href for href, _ in tasks if href.endswith("/check")]
        assert finish, "the task list has nothing left to do and no link to check answers"
        return unescape(finish[0])

    def _past_check(self, visit: Visit) -> Visit:
        """On from check answers: its link to the declaration, or its own form to send."""
        if f'href="{self.base}/declaration"' in visit.html:
            return self.transport.get(f"{self.base}/declaration")
        action = re.search(r'<form[^>]*method="post"[^>]*action="([^"]+)"', visit.html)
        assert action, "check answers leads nowhere: no declaration link and no form"
        return self.transport.post(unescape(action.group(1)), visit, self._declaration(visit), {})

    def _declaration(self, visit: Visit) -> dict[str, str]:
        """Tick every box the declaration asks for."""
        form = _FORM.search(visit.html)
        assert form, "the declaration has no form"
        boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', form.group(1))
        fields: dict[str, str] = {}
        for box in boxes:
            name = re.search(r'name="([^"]+)"', box)
            value = re.search(r'value="([^"]*)"', box)
            if name and value:
                fields[name.group(1)] = unescape(value.group(1))
        return fields

    # -- one question page -------------------------------------------------------------------

    def plan(self, ref: PageRef, step: Step, html: str) -> PagePlan:
        """The candidate answers for the questions this page's form shows."""
        form = _FORM.search(html)
        shown = form.group(1) if form else html
        candidates: dict[str, list[Any]] = {}
        choices: list[str] = []
        for question in ref.page.all_questions():
            if not _on_form(shown, question):
                continue
            more = (
                ref.is_add_another
                and ref.group is not None
                and question.id == ref.group.more_question_id
            )
            derived = (
                _options_on_page(shown, question)
                if isinstance(question.field, RuntimeRadios)
                else derived_answers(
                    question.field,
                    question,
                    named=self.named.get(question.id, set()),
                    today=self.today,
                    more=more,
                )
            )
            example = self._example(ref, step, question, more)
            candidates[question.id] = (
                [example, *(d for d in derived if d != example)] if example is not None else derived
            )
            if isinstance(question.field, (Radios, Checkboxes)) and not more:
                choices.append(question.id)
        return PagePlan(candidates, choice_questions=choices)

    def _example(self, ref: PageRef, step: Step, question: Question, more: bool) -> Any:
        if isinstance(question.field, FileUpload):
            return None
        if more and ref.group is not None:
            wanted = self.examples.get(ref.group.id)
            if isinstance(wanted, list):
                return YES if self.items.get(ref.group.id, 0) < len(wanted) else NO
            return None
        if ref.group is not None and not ref.is_add_another:
            items = self.examples.get(ref.group.id)
            if isinstance(items, list) and (step.index or 0) < len(items):
                item = items[step.index or 0]
                if question.id in item:
                    return item[question.id]
            return None
        return self.examples.get(question.id)

    def form(self, plan: PagePlan) -> tuple[dict[str, str | list[str]], dict[str, Upload]]:
        """The fields (and files) to post for the plan's current answers."""
        fields: dict[str, str | list[str]] = {}
        files: dict[str, Upload] = {}
        for question_id, _ in plan.candidates.items():
            value = plan.value(question_id)
            if isinstance(value, tuple):
                files[question_id] = value
            elif isinstance(value, dict):
                fields.update({f"{question_id}-{part}": str(text) for part, text in value.items()})
            elif isinstance(value, list):
                fields[question_id] = [str(item) for item in value]
            else:
                fields[question_id] = str(value)
        return fields, files

    def _question_in_error(self, href: str, plan: PagePlan) -> str | None:
        """The question an error summary link points at ('dob-day' -> 'dob')."""
        matches = [qid for qid in plan.candidates if href == qid or href.startswith(qid + "-")]
        return max(matches, key=len) if matches else None

    def _answer(self, walk: Walk, visit: Visit) -> Visit:
        step = self.step_of(visit.url)
        assert step is not None
        ref = self.service.pages[step.page_id]
        plan = self.plan(ref, step, visit.html)
        result = PageResult(visit.url, 0, [], [])
        page = visit
        for _ in range(60):
            fields, files = self.form(plan)
            result.attempts += 1
            walk.forms[visit.url], walk.files[visit.url] = fields, files
            after = self.transport.post(visit.url, page, fields, files)
            if after.path == visit.path and after.has_errors and after.status == 200:
                summary = _ERROR_LINK.search(after.html)
                hrefs = _HREF.findall(summary.group(1)) if summary else []
                result.errors.append(hrefs)
                in_error = {self._question_in_error(href, plan) for href in hrefs} - {None}
                moved = [qid for qid in in_error if plan.advance(qid)]  # type: ignore[arg-type]
                if not moved:
                    raise AssertionError(
                        f"{self.service.slug}: {visit.url} refuses every answer the walk has: "
                        f"{_error_texts(after.html)} (posted {fields})"
                    )
                page = after
                continue
            after_kind = self.kind_of(after)
            if after_kind in self.JOURNEY and not (
                after_kind == "question" and after.path == visit.path
            ):
                walk.answered.append(result)
                if ref.group is not None and not ref.is_add_another and step.index is not None:
                    self.items[ref.group.id] = max(self.items.get(ref.group.id, 0), step.index + 1)
                return after
            # Not a page of the journey: an exit. Go back and choose differently.
            self._arrive(walk, after)
            result.exits.append(after.url)
            if not plan.next_option():
                raise AssertionError(
                    f"{self.service.slug}: every answer on {visit.url} leads out of the journey "
                    f"(last to {after.url})"
                )
            page = self.transport.get(visit.url)
            assert page.path == visit.path, f"going back to {visit.url} arrived at {page.url}"
        raise AssertionError(f"{self.service.slug}: {visit.url} was never answered")


def _options_on_page(html: str, question: Question) -> list[Any]:
    """A choice whose options are read at run time (a force's prices): the options the page
    offers, else (none known there) something typed."""
    pattern = rf'name="{re.escape(question.id)}" type="radio" value="([^"]+)"'
    found = [unescape(value) for value in re.findall(pattern, html)]
    return found or ["Example 42"]


def _text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _error_texts(html: str) -> list[str]:
    summary = _ERROR_LINK.search(html)
    return (
        [_text_of(item) for item in re.findall(r"<a[^>]*>(.*?)</a>", summary.group(1), re.S)]
        if summary
        else []
    )


def pay_with_client(client: TestClient) -> Callable[[Visit], Visit]:
    """Pay from the payment page as a person would: on to GOV.UK Pay (the tests' simulator),
    a mock card that succeeds, then back to the service's return address."""

    def pay(visit: Visit) -> Visit:
        from tests.support.pay import running_simulator

        simulator = running_simulator()
        response = client.post(
            visit.url, data={"csrf_token": csrf_of(visit.html)}, follow_redirects=False
        )
        card_page = response.headers.get("location", "")
        assert card_page.startswith(simulator.url), f"payment led to {card_page!r}"
        payment_id = urlsplit(card_page).path.rstrip("/").split("/")[-1]
        assert simulator.complete(payment_id) == "success"
        returned = simulator.return_url(payment_id)
        back = client.get(_path_and_query(returned))
        return Visit(_path_and_query(str(back.url)), back.status_code, back.text)

    return pay


def walk_service(
    client: TestClient, service: Service, *, until: str = "confirmation", **options: Any
) -> Walk:
    """Apply for ``service`` with the test client (a browser without JavaScript)."""
    options.setdefault("pay", pay_with_client(client))
    return ServiceWalker(service, ClientTransport(client), **options).walk(until)


def reference_of(html: str) -> str | None:
    """The application's reference as a page shows it (task list, confirmation)."""
    match = re.search(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})\b", html)
    return match.group(1) if match else None


def every_page_url(service: Service) -> Iterator[str]:
    """A URL for each page of the service (an item page for the first item)."""
    for page_id, ref in service.pages.items():
        is_item = ref.group is not None and not ref.is_add_another
        yield f"/apply/{service.slug}/{page_id}" + ("/0" if is_item else "")
