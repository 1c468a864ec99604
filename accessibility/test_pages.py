"""Every page and state: axe, structure, autocomplete, target size, input edges, error handling."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from accessibility.conftest import Sweep
from accessibility.report import Audit

pytestmark = pytest.mark.browser


def test_axe_finds_nothing_on_any_page(sweep: Sweep, audit: Audit) -> None:
    assert len(sweep.states) > 100, "the registry reaches every page and error state"
    audit.assert_none("axe")


def test_titles_headings_landmarks_and_language(sweep: Sweep, audit: Audit) -> None:
    audit.assert_none("structure")


def test_page_titles_are_unique(sweep: Sweep, audit: Audit) -> None:
    """2.4.2: two different pages never share a title. Item pages of a repeating group (the first
    and second referee) are one page shown twice, so they count once."""
    by_title: dict[str, list[str]] = defaultdict(list)
    for key, info in sweep.audits.items():
        if sweep.states[key].kind in ("error", "dialog"):
            continue
        page = re.sub(r"/\d+$", "", key)
        if page not in by_title[info["title"]]:
            by_title[info["title"]].append(page)
    for title, pages in by_title.items():
        for page in pages:
            if len(pages) > 1:
                audit.fail(
                    "titles-unique",
                    page,
                    f"The title {title!r} is shared with {', '.join(p for p in pages if p != page)}",
                    url=sweep.audits[page]["url"] if page in sweep.audits else "",
                )
            else:
                audit.passed(page, "titles-unique")
    audit.assert_none("titles-unique")


def test_personal_fields_declare_their_purpose(sweep: Sweep, audit: Audit) -> None:
    audit.assert_none("autocomplete")


def test_targets_are_at_least_24_pixels(sweep: Sweep, audit: Audit) -> None:
    audit.assert_none("target-size")


def test_input_edges_have_3_to_1_contrast(sweep: Sweep, audit: Audit) -> None:
    audit.assert_none("input-contrast")


def test_errors_are_identified_focused_and_linked(sweep: Sweep, audit: Audit) -> None:
    """Every error state: title starts 'Error: ', focus moves to the summary, each summary link
    focuses its field (the first input of a date, the first radio), what was typed is kept."""
    assert sum(1 for s in sweep.states.values() if s.kind == "error") > 40
    audit.assert_none("errors")
