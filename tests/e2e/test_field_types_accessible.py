"""The field types no service asks yet (a date and time, a choice read at run time) pass axe in a
real browser, blank and showing errors, as every service's own pages do in accessibility/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import Markup
from playwright.sync_api import Browser, Page

from tests.support.browser import assert_accessible
from tests.unit.test_field_types import SERVICE, TODAY, render
from webapp import engine
from webapp.engine import Step
from webapp.engine.fields import run_time_facts
from webapp.templating import create_environment

ROOT = Path(__file__).resolve().parents[2]
_MANIFEST = json.loads((ROOT / "static" / "dist" / "manifest.json").read_text("utf-8"))
STYLESHEET = (ROOT / "static" / "dist" / _MANIFEST["application.css"]).read_text("utf-8")

pytestmark = pytest.mark.browser


@pytest.fixture
def blank_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


PAGE = create_environment().from_string(
    '{% from "govuk_frontend_jinja/components/error-summary/macro.html" import govukErrorSummary %}'
    '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}'
    '<!DOCTYPE html><html lang="en" class="govuk-template"><head><title>Question</title></head>'
    '<body class="govuk-template__body"><main class="govuk-main-wrapper">'
    '{% if errors %}{{ govukErrorSummary({"titleText": "There is a problem", "errorList": errors}) }}'
    '{% endif %}<form method="post" novalidate>{{ fields }}{{ govukButton({"text": "Continue"}) }}'
    "</form></main></body></html>"
)


def show(page: Page, view: engine.PageView) -> None:
    """The field as a question page shows it, styled by the service's own stylesheet."""
    page.set_content(PAGE.render(errors=view.error_summary, fields=Markup(render(view))))
    page.add_style_tag(content=STYLESHEET)


@pytest.mark.parametrize("posted", [{}, {"when-day": "31", "when-month": "2", "when-hour": "25"}])
def test_date_time_is_accessible(blank_page: Page, posted: dict[str, str]) -> None:
    step = Step("when")
    result = engine.submit(SERVICE, {}, step, posted, today=TODAY)
    errors = result.errors if posted else ()
    show(blank_page, engine.page_view(SERVICE, {}, step, raws=result.raws, errors=errors))
    assert blank_page.locator("#when-hour").count() == 1
    assert_accessible(blank_page)


@pytest.mark.parametrize("places", [None, ["Leeds Central", "Bradford"]])
def test_runtime_choice_is_accessible(blank_page: Page, places: list[str] | None) -> None:
    step = Step("station")
    facts = {"places": places} if places is not None else {}
    with run_time_facts(facts):
        result = engine.submit(SERVICE, {}, step, {}, today=TODAY)
        show(
            blank_page, engine.page_view(SERVICE, {}, step, raws=result.raws, errors=result.errors)
        )
    assert blank_page.locator("input[name=station]").count() == (len(places) if places else 1)
    assert_accessible(blank_page)
