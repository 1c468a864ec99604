"""The home page in a real browser, with JavaScript on and off: it renders and passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.support.browser import assert_accessible

pytestmark = pytest.mark.browser


def test_home_page_with_javascript(page: Page) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto("/")
    assert page.locator("h1").inner_text() == "Police services online"
    assert "govuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")
    assert_accessible(page)
    assert errors == []  # no CSP violations or script errors


def test_home_page_without_javascript(nojs_page: Page) -> None:
    nojs_page.goto("/")
    assert nojs_page.locator("h1").inner_text() == "Police services online"
    assert "js-enabled" not in (nojs_page.locator("body").get_attribute("class") or "")
    assert_accessible(nojs_page)
