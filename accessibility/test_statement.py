"""The accessibility statement is generated from statement.json, and lists exactly the failures
the suite finds."""

from __future__ import annotations

import html

import pytest

from accessibility.conftest import Site
from accessibility.report import CHECKS, Audit, load_known_issues
from webapp.accessibility_statement import load_statement

pytestmark = pytest.mark.browser


def test_statement_page_shows_the_data_file(site: Site) -> None:
    statement = load_statement()
    response = site.context("anon").request.get("/accessibility")
    assert response.status == 200
    text = html.unescape(response.text())
    assert statement.tested_by in text
    assert statement.last_reviewed in text
    for issue in statement.known_issues:
        assert issue.summary in text and issue.criterion in text and issue.plan in text
    if statement.known_issues or not statement.manual_audit:
        assert "partially compliant" in text


def test_known_issues_name_a_check() -> None:
    for issue in load_known_issues():
        assert issue.check.split(":")[0] in CHECKS, f"{issue.id}: unknown check {issue.check}"
        assert issue.pages, issue.id


def test_statement_lists_exactly_what_the_suite_finds(
    audit: Audit, request: pytest.FixtureRequest
) -> None:
    """Runs last (see conftest). Every failure found is either listed or has already failed its
    own test; here, a listed issue that no check finds any more fails: take it out of the statement."""
    unlisted = [f for f in audit.findings if f.status == "fail"]
    fixed = audit.fixed_known_issues()
    message = []
    if fixed:
        message.append(
            "Listed in accessibility/statement.json but no longer found (fixed? remove them): "
            + ", ".join(issue.id for issue in fixed)
        )
    if unlisted:
        message.append(
            f"{len(unlisted)} failure(s) found that the statement does not list; see the report."
        )
    assert not message, "\n".join(message)
