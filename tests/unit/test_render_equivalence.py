"""The faster GOV.UK macros (webapp/fastmacros/) write exactly the HTML that
govuk-frontend-jinja writes, for every official GOV.UK Frontend fixture of every component the
service uses; and that HTML is the official fixture's HTML. Where a component's macro is
replaced by a Python renderer (fastmacros.PYTHON_MACROS), these fixtures run that renderer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.filters import do_indent
from markupsafe import Markup

from webapp.fastmacros import PYTHON_MACROS, RENDERERS_GLOBAL, _hoist, govuk_attributes
from webapp.fastmacros._runtime import indent
from webapp.templating import create_environment

FIXTURES = (
    Path(__file__).resolve().parents[2]
    / "node_modules"
    / "govuk-frontend"
    / "dist"
    / "govuk"
    / "components"
)

# Every component a page of ours renders (templates/, and the field renderer).
COMPONENTS = {
    "back-link": "govukBackLink",
    "button": "govukButton",
    "character-count": "govukCharacterCount",
    "checkboxes": "govukCheckboxes",
    "date-input": "govukDateInput",
    "details": "govukDetails",
    "error-message": "govukErrorMessage",
    "error-summary": "govukErrorSummary",
    "fieldset": "govukFieldset",
    "file-upload": "govukFileUpload",
    "hint": "govukHint",
    "input": "govukInput",
    "inset-text": "govukInsetText",
    "label": "govukLabel",
    "notification-banner": "govukNotificationBanner",
    "pagination": "govukPagination",
    "panel": "govukPanel",
    "phase-banner": "govukPhaseBanner",
    "radios": "govukRadios",
    "select": "govukSelect",
    "service-navigation": "govukServiceNavigation",
    "skip-link": "govukSkipLink",
    "summary-list": "govukSummaryList",
    "table": "govukTable",
    "tag": "govukTag",
    "task-list": "govukTaskList",
    "textarea": "govukTextarea",
    "warning-text": "govukWarningText",
}


def _cases() -> list[Any]:
    cases = []
    for component, macro in sorted(COMPONENTS.items()):
        data = json.loads((FIXTURES / component / "fixtures.json").read_text("utf-8"))
        for fixture in data["fixtures"]:
            cases.append(
                pytest.param(component, macro, fixture, id=f"{component}: {fixture['name']}")
            )
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    return create_environment(fast=False), create_environment(fast=True)


def _render(env: jinja2.Environment, component: str, macro: str, options: dict[str, Any]) -> str:
    template = env.from_string(
        f'{{% from "govuk_frontend_jinja/components/{component}/macro.html" import {macro} %}}{{{{ {macro}(params) }}}}'
    )
    return template.render(params=options)


def normalise(html: str) -> str:
    """Whitespace between and around tags is not significant here, nor the spelling of an escaped
    quote (Nunjucks writes &quot;, MarkupSafe &#34;); everything else is."""
    html = html.replace("&#34;", "&quot;").replace("&#x27;", "&#39;")
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s+(/?>)", r"\1", html)
    html = re.sub(r"\s*(<[^>]+>)\s*", r"\1", html)
    return html.strip()


def test_there_are_fixtures_for_every_component_we_use() -> None:
    assert len(CASES) > 300
    assert {case.values[0] for case in CASES} == set(COMPONENTS)


@pytest.mark.parametrize(("component", "macro", "fixture"), CASES)
def test_fast_macros_write_identical_html(
    environments: tuple[jinja2.Environment, jinja2.Environment],
    component: str,
    macro: str,
    fixture: dict[str, Any],
) -> None:
    reference, fast = environments
    expected = _render(reference, component, macro, fixture["options"])
    actual = _render(fast, component, macro, fixture["options"])
    assert actual == expected  # byte for byte, whitespace included
    assert normalise(actual) == normalise(fixture["html"])  # and it is GOV.UK Frontend's markup


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        (None, ""),
        ("", ""),
        (' data-x="<raw>"', ' data-x="<raw>"'),
        ({}, ""),
        (
            {"id": "a", "aria-hidden": True, "hidden": False},
            ' id="a" aria-hidden="true" hidden="false"',
        ),
        ({"title": '"<&>'}, ' title="&#34;&lt;&amp;&gt;"'),
        ({"x": {"value": None, "optional": True}, "y": {"value": False, "optional": True}}, ""),
        ({"x": {"value": True, "optional": True}, "y": {"value": "", "optional": True}}, ' x y=""'),
        ({"x": {"value": None}}, ' x="None"'),  # not optional: written as Jinja writes None
        ({"x": {"val": "v", "length": 1}}, ' x="v"'),
        ({"x": Markup("<b>")}, ' x="<b>"'),
        ({"n": 0}, ' n="0"'),
    ],
)
def test_govuk_attributes_rules(attributes: Any, expected: str) -> None:
    assert str(govuk_attributes(attributes)) == expected
    env = create_environment(fast=False)
    template = env.from_string(
        '{% from "govuk_frontend_jinja/macros/attributes.html" import govukAttributes %}{{ govukAttributes(a) }}'
    )
    assert template.render(a=attributes) == expected


def test_hoisting_moves_imports_out_of_the_macro_body() -> None:
    source = (
        "{% macro govukX(params) %}\n"
        '{% from "govuk_frontend_jinja/macros/attributes.html" import govukAttributes -%}\n'
        '{% from "govuk_frontend_jinja/components/hint/macro.html" import govukHint %}\n'
        "<div {{- govukAttributes(params.attributes) }}>{{ govukHint(params.hint) }}</div>\n"
        "{% endmacro %}"
    )
    out = _hoist(source)
    assert out.startswith(
        '{% from "govuk_frontend_jinja/components/hint/macro.html" import govukHint %}{% macro'
    )
    assert "attributes.html" not in out


@pytest.mark.parametrize(
    "value", ["", "a", "a\nb", "a\n\nb\n", "\n", " x \r\n y\x0bz\u2028w", "<b>\n&amp;"]
)
@pytest.mark.parametrize("markup", [False, True])
@pytest.mark.parametrize("first", [False, True])
def test_indent_is_jinjas_indent_filter(value: str, markup: bool, first: bool) -> None:
    source = Markup(value) if markup else value
    expected = do_indent(source, 4, first)
    actual = indent(source, 4, first)
    assert actual == expected
    assert type(actual) is type(expected)


@pytest.mark.parametrize(
    ("template", "name", "renderer"), [(t, n, r) for t, (n, r) in PYTHON_MACROS.items()]
)
def test_the_fast_environment_imports_the_python_renderers(
    environments: tuple[jinja2.Environment, jinja2.Environment],
    template: str,
    name: str,
    renderer: Any,
) -> None:
    """So the fixtures above exercise the Python renderers, not a macro."""
    _, fast = environments
    assert getattr(fast.globals[RENDERERS_GLOBAL], name) is renderer
    module = fast.get_template(f"govuk_frontend_jinja/{template}").module
    assert getattr(module, name) is renderer
    assert {
        component for component, macro in COMPONENTS.items() if macro == name
    }  # and it has fixtures


CALLER_CASES = [
    # The way templates/components/fields.html renders an address: a fieldset around a call block.
    '{% call govukFieldset({"legend": {"text": "Address <1>", "classes": "govuk-fieldset__legend--m"}}) %}'
    '\n  <div class="govuk-hint">Hint & more</div>\n{{ inner }}\n{% endcall %}',
    '{% call govukFieldset({"legend": {"html": "<b>A</b>\n  b", "isPageHeading": true}, "describedBy": "x"}) %}'
    "{{ inner }}{% endcall %}",
    '{% call govukFieldset({"legend": {}, "classes": "c", "attributes": {"id": "f"}}) %}{% endcall %}',
]


@pytest.mark.parametrize("source", CALLER_CASES)
def test_fieldset_with_a_call_block(
    environments: tuple[jinja2.Environment, jinja2.Environment], source: str
) -> None:
    header = '{% from "govuk_frontend_jinja/components/fieldset/macro.html" import govukFieldset %}'
    rendered = [
        env.from_string(header + source).render(inner=Markup("<input>\n<input>"))
        for env in environments
    ]
    assert rendered[0] == rendered[1]


APP_CASES = [
    # Params as the form engine and templates build them: Markup for revealed HTML, values in Welsh.
    (
        "checkboxes",
        "govukCheckboxes",
        {
            "name": "c",
            "fieldset": {
                "legend": {
                    "text": "Pick",
                    "isPageHeading": True,
                    "classes": "govuk-fieldset__legend--l",
                }
            },
            "hint": {"text": "Select all"},
            "errorMessage": {"text": "Dewiswch"},
            "values": ["a"],
            "items": [
                {
                    "value": "a",
                    "text": "A & B",
                    "conditional": {"html": Markup("<div>\n  <p>x</p>\n</div>\n")},
                },
                {
                    "value": "b",
                    "text": "B",
                    "hint": {"text": "b"},
                    "conditional": {"html": Markup("<p>y</p>")},
                },
                None,
                {"divider": "neu"},
                {"value": "n", "text": "None", "behaviour": "exclusive"},
            ],
        },
    ),
    (
        "character-count",
        "govukCharacterCount",
        {
            "name": "t",
            "id": "t-id",
            "maxlength": 500,
            "value": "line 1\n<line 2>",
            "label": {"text": "Tell us", "classes": "govuk-label--s"},
            "hint": {"html": Markup("<b>Hint</b>")},
            "errorMessage": {"text": "Too long"},
            "threshold": 75,
            "textareaDescriptionText": "Hyd at %{count} nod",
        },
    ),
    (
        "date-input",
        "govukDateInput",
        {
            "id": "dob",
            "namePrefix": "dob",
            "hint": {"text": "For example, 27 3 1980"},
            "errorMessage": {"text": "Rhowch <ddyddiad>"},
            "fieldset": {
                "legend": {
                    "text": "Date of birth",
                    "classes": "govuk-fieldset__legend--l",
                    "isPageHeading": True,
                }
            },
            "items": [
                {
                    "name": "day",
                    "label": "Dydd",
                    "value": "3<",
                    "classes": "govuk-input--width-2 govuk-input--error",
                },
                {
                    "name": "month",
                    "label": Markup("Mis"),
                    "value": "",
                    "classes": "govuk-input--width-2",
                },
                {
                    "name": "year",
                    "value": None,
                    "classes": "govuk-input--width-4",
                    "autocomplete": "bday-year",
                },
            ],
        },
    ),
    (
        "input",
        "govukInput",
        {
            "id": "fac_number",
            "name": "fac_number",
            "type": "text",
            "value": "",
            "errorMessage": None,
            "hint": None,
            "label": {"text": "Certificate number", "classes": "govuk-label--s"},
            "classes": "govuk-input--width-10",
            "prefix": {"text": "£"},
            "spellcheck": False,
            "formGroup": {"afterInput": {"html": Markup("<p>\n  after\n</p>")}},
        },
    ),
    (
        "radios",
        "govukRadios",
        {
            "idPrefix": "kind",
            "name": "kind",
            "hint": None,
            "errorMessage": {"text": "Dewiswch un"},
            "value": "renewal",
            "fieldset": {
                "legend": {
                    "text": "New or renewal?",
                    "classes": "govuk-fieldset__legend--l",
                    "isPageHeading": True,
                }
            },
            "items": [
                {"value": "grant", "text": "A new certificate", "checked": False},
                {
                    "value": "renewal",
                    "text": "A renewal",
                    "hint": {"text": "Before it expires"},
                    "conditional": {"html": Markup("<div>\n  <input>\n</div>\n")},
                },
                {"divider": "neu"},
                None,
                {"value": "other", "html": Markup("<b>Other</b>")},
            ],
        },
    ),
    (
        "error-summary",
        "govukErrorSummary",
        {
            "titleText": Markup("There is a problem"),
            "errorList": [
                {"text": "Enter your <date of birth>", "href": "#dob-day"},
                {"html": Markup("Upload\n<b>a photo</b>")},
            ],
        },
    ),
    (
        "button",
        "govukButton",
        {
            "text": "Save and come back later",
            "classes": "govuk-button--secondary",
            "name": "save",
            "value": "later",
            "attributes": {"formnovalidate": "formnovalidate"},
            "preventDoubleClick": True,
        },
    ),
    (
        "summary-list",
        "govukSummaryList",
        {
            "rows": [
                {
                    "key": {"text": "Name <b>"},
                    "value": {"html": Markup("Ann<br>Lee\nSmith")},
                    "actions": {
                        "items": [
                            {"href": "/c?a=1&b=2", "text": "Change", "visuallyHiddenText": "name"}
                        ]
                    },
                },
                {"key": {"text": "Nothing"}, "value": {"text": ""}},
            ],
            "card": {
                "title": {"text": "Card & co"},
                "actions": {"items": [{"href": "#", "text": "Remove"}]},
            },
        },
    ),
]


@pytest.mark.parametrize(("component", "macro", "options"), APP_CASES)
def test_app_shaped_params(
    environments: tuple[jinja2.Environment, jinja2.Environment],
    component: str,
    macro: str,
    options: dict[str, Any],
) -> None:
    reference, fast = environments
    assert _render(fast, component, macro, options) == _render(reference, component, macro, options)


def test_imports_still_see_globals_the_importing_template_was_given() -> None:
    """FastImportTemplate skips Jinja's per-import check only when it would find nothing: a
    global given to one template (not the environment) still reaches the macros it imports."""
    env = create_environment()
    env.loader = jinja2.DictLoader(
        {
            "macros.html": "{% macro greet() %}{{ greeting | default('none') }}{% endmacro %}",
            "page.html": '{% from "macros.html" import greet %}{{ greet() }}',
        }
    )
    assert env.get_template("page.html").render() == "none"
    assert env.get_template("page.html", globals={"greeting": "hello"}).render() == "hello"


def test_whole_pages_are_the_same_html_either_way() -> None:
    """Home, check answers (a full application) and every question page, rendered as the app
    renders them and with govuk-frontend-jinja as shipped: the same bytes (what bench/render.py
    compares the cost of)."""
    from bench.render import _app, every_question_page, page_renderers

    fast, shipped = page_renderers(_app(fast=True)), page_renderers(_app(fast=False))
    for name, render in fast.items():
        assert render().body == shipped[name]().body, name
    question = next(name for name in fast if name.startswith("question page"))
    for step in every_question_page():
        assert (
            fast[question](step.page_id, step.index).body
            == shipped[question](step.page_id, step.index).body
        ), step
