"""The components around the form of every question page, in Python, the same HTML as their
macros: ``govukButton`` and ``govukErrorSummary`` (components/*/macro.html)."""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import soft_str

from ._runtime import (
    MISSING,
    Markup,
    attr,
    attribute_if,
    content,
    escape,
    extra_classes,
    govuk_attributes,
    html_or_text,
)

# The `_startIcon` macro's output, as the start button writes it (after the text, no line break).
_START_ICON = (
    '  <svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19"'
    ' viewBox="0 0 33 40" aria-hidden="true" focusable="false">\n'
    '    <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/>\n'
    "  </svg>"
)


def _lower(value: Any) -> str:
    """Jinja's ``lower`` filter, escaped as ``{{ }}`` writes it (``true``, ``false``...)."""
    return escape(soft_str(value).lower())


def govuk_button(params: Any = MISSING) -> Markup:
    start = attr(params, "isStartButton")
    common = (  # the macro's commonAttributes, of the link or the button
        f' class="govuk-button{extra_classes(params)}{" govuk-button--start" if start else ""}"'
        f' data-module="govuk-button"{govuk_attributes(attr(params, "attributes"))}'
        f"{attribute_if('id', attr(params, 'id'))}"
    )
    inside = f">\n  {content(params, 2)}{_START_ICON if start else ''}\n"
    href = attr(params, "href")
    if href:
        return Markup(
            f'<a href="{escape(href)}" role="button" draggable="false"{common}{inside}</a>'
        )
    behaviour = ' disabled aria-disabled="true"' if attr(params, "disabled") else ""
    prevent = attr(params, "preventDoubleClick")
    # `params.preventDoubleClick != undefined`: anything but a missing value, None and false too.
    if type(prevent) is not jinja2.Undefined:
        behaviour += f' data-prevent-double-click="{_lower(prevent)}"'
    return Markup(
        f'<button type="{escape(attr(params, "type") or "submit")}"'
        f"{attribute_if('value', attr(params, 'value'))}{attribute_if('name', attr(params, 'name'))}"
        f"{behaviour}{common}{inside}</button>"
    )


def _error_item(entry: Any) -> str:
    """One ``<li>`` of the error list: a link to the field when there is an ``href``."""
    href = attr(entry, "href")
    if href:
        link = f'<a href="{escape(href)}"{govuk_attributes(attr(entry, "attributes"))}>{content(entry, 12)}</a>'
    else:
        link = content(entry, 10)
    return f"          <li>\n            {link}\n          </li>\n"


def govuk_error_summary(params: Any = MISSING, caller: Any = None) -> Markup:
    disable_auto_focus = attr(params, "disableAutoFocus")
    auto_focus = ""
    if not isinstance(
        disable_auto_focus, jinja2.Undefined
    ):  # `is not undefined`: None and false too
        auto_focus = f' data-disable-auto-focus="{_lower(disable_auto_focus)}"'
    # (The macro's `{#- ... #}` comment swallows the line break before <div role="alert">, but not
    # the two spaces after it.)
    html = (
        f'<div class="govuk-error-summary{extra_classes(params)}"{auto_focus}'
        f'{govuk_attributes(attr(params, "attributes"))} data-module="govuk-error-summary">'
        '  <div role="alert">\n'
        '    <h2 class="govuk-error-summary__title">\n'
        f"      {html_or_text(attr(params, 'titleHtml'), attr(params, 'titleText'), 6)}\n"
        "    </h2>\n"
        '    <div class="govuk-error-summary__body">\n'
    )
    if caller:
        html += f"      <p>\n        {caller()}\n      </p>\n"
    elif attr(params, "descriptionHtml") or attr(params, "descriptionText"):
        description = html_or_text(
            attr(params, "descriptionHtml"), attr(params, "descriptionText"), 8
        )
        html += f"      <p>\n        {description}\n      </p>\n"
    errors = attr(params, "errorList")
    if len(errors):
        html += '        <ul class="govuk-list govuk-error-summary__list">\n'
        html += "".join([_error_item(entry) for entry in errors])
        html += "        </ul>\n"
    return Markup(f"{html}    </div>\n  </div>\n</div>\n")
