"""The firearms journey renders the same HTML for the same answers.

A person applies without JavaScript with one fixed, realistic set of answers (COMPLETE from
tests/support/firearms.py); the HTML of every page they meet - the start page, the force page,
the task list each time they are back on it, each question and add-another page, one error
state, check answers, the declaration and the confirmation - is compared with the golden files
in tests/golden/firearm-certificate/, in the order met. What legitimately differs between runs
(CSRF tokens, CSP nonces, asset hashes, the reference, today's dates, upload ids) is masked
first, so a difference is a real change to what the service shows.

A change that is meant to change these pages regenerates them on purpose:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/integration/test_firearms_golden.py

and the new files are reviewed and committed with the change.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from tests.support.firearms import BASE, COMPLETE, form_for, step_of
from tests.support.forms import csrf_from, png_bytes
from tests.support.paying import pay
from webapp.uk_time import uk_today

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "firearm-certificate"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

TASK_LINK = re.compile(r'class="govuk-link govuk-task-list__link" href="([^"]+)"')


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """SQLite only: the HTML does not depend on the database."""
    return sqlite_url


def _dates_of(day: date) -> list[str]:
    """The ways a page may write a day (longest first, so a shorter form never cuts one up)."""
    return [
        day.strftime("%A ") + f"{day.day} {day:%B %Y}",
        f"{day.day} {day:%B %Y}",
        f"{day.day} {day:%b %Y}",
        f"{day:%d/%m/%Y}",
        day.isoformat(),
    ]


def _date_masks() -> list[tuple[re.Pattern[str], str]]:
    """Today (and the days either side, for a run across midnight) and the certificate expiry
    COMPLETE puts 120 days ahead of today."""
    today = uk_today()
    expiry = today + timedelta(days=120)
    masks: list[tuple[re.Pattern[str], str]] = []
    for day, name in [
        (expiry, "EXPIRY"),
        (today, "TODAY"),
        (today - timedelta(days=1), "TODAY"),
        (today + timedelta(days=1), "TODAY"),
    ]:
        masks.extend((re.compile(re.escape(text)), f"[{name}]") for text in _dates_of(day))
    # The expiry as typed into its date input (day, month, year boxes).
    for part, value in COMPLETE["sgc_expiry"].items():
        masks.append(
            (
                re.compile(rf'(name="sgc_expiry-{part}"[^>]*value=")' + re.escape(value) + '"'),
                rf'\1[EXPIRY-{part.upper()}]"',
            )
        )
    return masks


_MASKS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r'(name="csrf_token" value=")[^"]*"'), r'\1[CSRF]"'),
    (re.compile(r'nonce="[^"]*"'), 'nonce="[NONCE]"'),
    (re.compile(r"(/static/dist/[\w-]+)\.[0-9a-f]{8,}\.(\w+)"), r"\1.[HASH].\2"),
    (re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b"), "[REFERENCE]"),
    (re.compile(r"\b\d{1,2}:\d{2}\s?(?:am|pm)\b", re.IGNORECASE), "[TIME]"),
]


def normalise(html: str) -> str:
    for pattern, replacement in _MASKS + _date_masks():
        html = pattern.sub(replacement, html)
    return html


@dataclass
class Recorder:
    """Every page met, in order, as (file name, masked HTML)."""

    client: TestClient
    pages: list[tuple[str, str]] = field(default_factory=list)

    def get(self, url: str, label: str | None = None) -> str:
        response = self.client.get(url, follow_redirects=False)
        assert response.status_code == 200, (url, response.status_code)
        self.record(url, response.text, label)
        return response.text

    def record(self, url: str, html: str, label: str | None = None) -> None:
        name = (
            label or urlsplit(url).path.removeprefix(BASE).strip("/").replace("/", "-") or "start"
        )
        self.pages.append((f"{len(self.pages) + 1:03d}-{name}.html", normalise(html)))

    def post(self, url: str, html: str, data: dict, files=None) -> str:  # type: ignore[no-untyped-def]
        response = self.client.post(
            url, data={**data, "csrf_token": csrf_from(html)}, files=files, follow_redirects=False
        )
        assert response.status_code == 303, (url, response.status_code, response.text[-2000:])
        location = urlsplit(response.headers["location"])
        return location.path + (f"?{location.query}" if location.query else "")


def _not_completed(tasks_html: str, link: str) -> bool:
    after = tasks_html.split(f'href="{link}"', 1)[1]
    return "Completed" not in after.split("govuk-task-list__status", 1)[1][:200]


def walk(client: TestClient) -> list[tuple[str, str]]:
    """Apply from the start page to the confirmation, recording every page."""
    pages = Recorder(client)
    html = pages.get(BASE)
    url = pages.post(f"{BASE}/start", html, {})
    assert url == f"{BASE}/force"
    html = pages.get(url)
    url = pages.post(url, html, {"postcode": "LS1 1UR"})
    first_question = True
    for _ in range(40):
        assert url == f"{BASE}/tasks", url
        tasks = pages.get(url)
        links = [link for link in TASK_LINK.findall(tasks) if not link.endswith("/check")]
        todo = next((link for link in links if _not_completed(tasks, link)), None)
        if todo is None:
            break
        url = todo
        while urlsplit(url).path != f"{BASE}/tasks":
            step = step_of(url)
            assert step is not None, url
            html = pages.get(url)
            if first_question:
                # One error state: the page posted empty, as it comes back to the person.
                error = client.post(url, data={"csrf_token": csrf_from(html)})
                assert error.status_code == 200 and "<title>Error: " in error.text
                pages.record(url, error.text, label=f"{step.page_id}-error")
                first_question = False
            form = dict(form_for(step))
            files = None
            if "photo" in form:
                form.pop("photo")
                files = {"photo": ("me.png", png_bytes(), "image/png")}
            url = pages.post(url, html, form, files=files)
    else:
        raise AssertionError("task list never completed")
    pages.get(f"{BASE}/check")
    html = pages.get(f"{BASE}/declaration")
    url = pages.post(f"{BASE}/declaration", html, {"confirm": "yes"})
    assert url == f"{BASE}/payment"
    pages.get(url)
    back = pay(client, BASE)  # on the GOV.UK Pay simulator, not recorded: not our page
    assert back.headers["location"] == f"{BASE}/confirmation"
    pages.get(f"{BASE}/confirmation")
    return pages


def test_the_firearms_journey_renders_the_same_html(client: TestClient) -> None:
    pages = walk(client).pages
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.glob("*.html"):
            old.unlink()
        for name, html in pages:
            (GOLDEN / name).write_text(html, encoding="utf-8")
        return
    expected = sorted(path.name for path in GOLDEN.glob("*.html"))
    assert expected, f"no golden files in {GOLDEN}: run with UPDATE_GOLDEN=1 to write them"
    met = [name for name, _ in pages]
    if met != expected:
        pytest.fail(
            "the journey met other pages than the golden files "
            "(UPDATE_GOLDEN=1 rewrites them if the change is meant):\n"
            + "\n".join(difflib.unified_diff(expected, met, "golden", "now", lineterm="")),
            pytrace=False,
        )
    differences = []
    for name, html in pages:
        golden = (GOLDEN / name).read_text(encoding="utf-8")
        if html != golden:
            diff = difflib.unified_diff(
                golden.splitlines(),
                html.splitlines(),
                f"golden/{name}",
                f"now/{name}",
                lineterm="",
                n=2,
            )
            differences.append("\n".join(list(diff)[:60]))
    if differences:
        pytest.fail(
            f"{len(differences)} of {len(pages)} pages render differently "
            "(UPDATE_GOLDEN=1 rewrites the golden files if the change is meant):\n\n"
            + "\n\n".join(differences),
            pytrace=False,
        )
