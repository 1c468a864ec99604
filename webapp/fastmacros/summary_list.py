"""``govukSummaryList`` (components/summary-list/macro.html) in Python, the same HTML."""

from __future__ import annotations

from typing import Any

from ._runtime import (
    MISSING,
    Markup,
    attr,
    content,
    escape,
    extra_classes,
    fields,
    govuk_attributes,
    indent,
    item,
)


def _action_link(action: Any, card_title: Any) -> Markup:
    """The ``_actionLink`` macro, trimmed as every caller trims it."""
    action_ = fields(action)
    html = action_.get("html", MISSING)
    text = indent(Markup(html), 4) if html else escape(action_.get("text", MISSING))
    hidden = action_.get("visuallyHiddenText", MISSING)
    if hidden or card_title:
        span = ""
        if hidden:
            span = f" {escape(hidden)}"
        if card_title:
            title_html = attr(card_title, "html")
            title = (
                Markup(indent(title_html, 6)) if title_html else escape(attr(card_title, "text"))
            )
            span = f"{span} ({title})"
        text = f'{text}<span class="govuk-visually-hidden">{span}</span>'
    link = (
        f'<a class="govuk-link{extra_classes(action)}" href="{escape(action_.get("href", MISSING))}"'
        f"{govuk_attributes(action_.get('attributes', MISSING))}>{text}</a>"
    )
    return Markup(link.strip())


def _summary_card(params: Any, inner: Markup) -> str:
    title = attr(params, "title")
    level = attr(title, "headingLevel") if title and attr(title, "headingLevel") else 2
    html = f'<div class="govuk-summary-card{extra_classes(params)}"{govuk_attributes(attr(params, "attributes"))}>\n'
    html += '  <div class="govuk-summary-card__title-wrapper">\n'
    if title:
        level = escape(level)
        html += (
            f'    <h{level} class="govuk-summary-card__title{extra_classes(title)}">\n'
            f"      {content(title, 6)}\n"
            f"    </h{level}>\n"
        )
    actions = attr(params, "actions")
    items = item(actions, "items") if actions else MISSING
    if actions and len(items):
        if len(items) == 1:
            html += (
                f'    <div class="govuk-summary-card__actions{extra_classes(actions)}">\n'
                f"      {indent(_action_link(items[0], title), 4)}\n"
                "    </div>\n"
            )
        else:
            html += f'    <ul class="govuk-summary-card__actions{extra_classes(actions)}">\n'
            for action in items:
                html += (
                    '      <li class="govuk-summary-card__action">\n'
                    f"        {indent(_action_link(action, title), 8)}\n"
                    "      </li>\n"
                )
            html += "    </ul>\n"
    html += '  </div>\n\n  <div class="govuk-summary-card__content">\n'
    html += f"    {inner.strip()}\n  </div>\n</div>\n"
    return html


def govuk_summary_list(params: Any = MISSING) -> Markup:
    params_ = fields(params)
    rows = params_.get("rows", MISSING)
    any_row_has_actions = False
    for row in rows:
        actions = fields(row).get("actions", MISSING)
        if actions and len(item(actions, "items")):
            any_row_has_actions = True
    card = params_.get("card", MISSING)
    card_title = attr(card, "title") if card else MISSING
    parts = [
        f'<dl class="govuk-summary-list{extra_classes(params)}"{govuk_attributes(params_.get("attributes", MISSING))}>\n'
    ]
    for row in rows:
        if not row:
            continue
        row_ = fields(row)
        actions = row_.get("actions", MISSING)
        items = item(actions, "items") if actions else MISSING
        no_actions = (
            " govuk-summary-list__row--no-actions"
            if any_row_has_actions and not (actions and items)
            else ""
        )
        key = row_.get("key", MISSING)
        value = row_.get("value", MISSING)
        parts.append(
            f'  <div class="govuk-summary-list__row{no_actions}{extra_classes(row)}">\n'
            f'    <dt class="govuk-summary-list__key{extra_classes(key)}">\n'
            f"      {content(key, 6)}\n"
            "    </dt>\n"
            f'    <dd class="govuk-summary-list__value{extra_classes(value)}">\n'
            f"      {content(value, 6)}\n"
            "    </dd>\n"
        )
        if actions and len(items):
            parts.append(f'    <dd class="govuk-summary-list__actions{extra_classes(actions)}">\n')
            if len(items) == 1:
                parts.append(f"{indent(_action_link(items[0], card_title), 6, True)}\n")
            else:
                parts.append('      <ul class="govuk-summary-list__actions-list">\n')
                for action in items:
                    parts.append(
                        '        <li class="govuk-summary-list__actions-list-item">\n'
                        f"          {indent(_action_link(action, card_title), 8)}\n"
                        "        </li>\n"
                    )
                parts.append("      </ul>\n")
            parts.append("    </dd>\n")
        parts.append("  </div>\n")
    parts.append("</dl>")
    summary_list = Markup("".join(parts))
    if card:
        return Markup(_summary_card(card, Markup(indent(summary_list, 4))))
    return summary_list
