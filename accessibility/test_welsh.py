"""The language select and Welsh pages in Chromium: axe finds nothing on the home page, a start
page and the accessibility statement in either language; choosing Cymraeg by
keyboard reloads the same page in Welsh (<html lang="cy">), and choosing English brings it back."""

from __future__ import annotations

from typing import Any

from accessibility.conftest import Site, run_axe
from webapp.services.report_lost_or_stolen import SERVICE

PAGES = ["/", f"/apply/{SERVICE.slug}", "/accessibility"]


def test_welsh_and_english_pages_pass_axe(site: Site) -> None:
    context = site.new_context()
    found: dict[str, Any] = {}
    try:
        page = context.new_page()
        for language in ("en", "cy"):
            for path in PAGES:
                page.goto(f"{path}?lang={language}")
                assert page.get_attribute("html", "lang") == language, path
                violations = run_axe(page)["violations"]
                if violations:
                    found[f"{language} {path}"] = [v["id"] for v in violations]
    finally:
        context.close()
    assert found == {}


def test_choosing_cymraeg_by_keyboard_keeps_the_page(site: Site) -> None:
    context = site.new_context()
    try:
        page = context.new_page()
        page.goto(f"/apply/{SERVICE.slug}")
        english_heading = page.inner_text("h1")
        link = page.locator('a[hreflang="cy"]')
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        assert page.url.endswith(f"/apply/{SERVICE.slug}")
        assert page.get_attribute("html", "lang") == "cy"
        assert page.inner_text("h1") != english_heading
        assert page.locator('span[aria-current="true"][lang="cy"]').inner_text() == "Cymraeg"
        page.locator('a[hreflang="en"]').click()
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == "en"
        assert page.inner_text("h1") == english_heading
    finally:
        context.close()
