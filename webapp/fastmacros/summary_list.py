"""``govukSummaryList`` (components/summary-list/macro.html) in Python, the same HTML."""

from __future__ import annotations

from typing import Any

from ._runtime import MISSING, Markup, attr, content, escape, fields, govuk_attributes, html_or_text, indent, item


def _classes(params: Any) -> str:
    classes = fields(params).get("classes", MISSING)
    return f" {escape(classes)}" if classes else ""


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
            title = Markup(indent(title_html, 6)) if title_html else escape(attr(card_title, "text"))
            span = f"{span} ({title})"
        text = f'{text}<span class="govuk-visually-hidden">{span}</span>'
    link = (
        f'<a class="govuk-link{_classes(action)}" href="{escape(action_.get("href", MISSING))}"'
        f"{govuk_attributes(action_.get('attributes', MISSING))}>{text}</a>"
    )
    return Markup(link.strip())


def _summary_card(params: Any, inner: Markup) -> str:
    title = attr(params, "title")
    level = attr(title, "headingLevel") if title and attr(title, "headingLevel") else 2
    html = f'<div class="govuk-summary-card{_classes(params)}"{govuk_attributes(attr(params, "attributes"))}>\n'
    html += '  <div class="govuk-summary-card__title-wrapper">\n'
    if title:
        level = escape(level)
        html += (
            f'    <h{level} class="govuk-summary-card__title{_classes(title)}">\n'
            f"      {content(title, 6)}\n"
            f"    </h{level}>\n"
        )
    actions = attr(params, "actions")
    items = item(actions, "items") if actions else MISSING
    if actions and len(items):
        if len(items) == 1:
            html += (
                f'    <div class="govuk-summary-card__actions{_classes(actions)}">\n'
                f"      {indent(_action_link(items[0], title), 4)}\n"
                "    </div>\n"
            )
        else:
            html += f'    <ul class="govuk-summary-card__actions{_classes(actions)}">\n'
            for action in items:
                html += (
                    '      <li class="govuk-summary-card__action">\n'
                    f"        {indent(_action_link(action, title), 8)}\n"
                    "      </li>\n"
                )
            html += "    </ul>\n"
    html += "  </div>\n\n  <div class=\"govuk-summary-card__content\">\n"
    html += f"    {inner.strip()}\n  </div>\n</div>\n"
    return html


_PLAIN_ROW = frozenset(("key", "value", "actions"))
_PLAIN_ACTION = frozenset(("href", "text", "visuallyHiddenText"))


def _plain_row(row: Any) -> str | None:
    """A row as check answers sends it ({"key": {"text"}, "value": {"html"}, "actions": one
    {"href", "text", "visuallyHiddenText"}}, nothing else) written straight out, or None for any
    other row. It is most of what the page costs; the text is what the general code writes."""
    if type(row) is not dict or row.keys() != _PLAIN_ROW:
        return None
    key, value, actions = row["key"], row["value"], row["actions"]
    if not (type(key) is dict and key.keys() == {"text"} and type(value) is dict and value.keys() == {"html"}):
        return None
    if not (type(actions) is dict and actions.keys() == {"items"} and type(actions["items"]) is list):
        return None
    items = actions["items"]
    if len(items) != 1 or type(items[0]) is not dict or items[0].keys() != _PLAIN_ACTION:
        return None
    action = items[0]
    if not action["visuallyHiddenText"]:
        return None
    link = (
        f'<a class="govuk-link" href="{escape(action["href"])}">{escape(action["text"])}'
        f'<span class="govuk-visually-hidden"> {escape(action["visuallyHiddenText"])}</span></a>'
    )
    return (
        '  <div class="govuk-summary-list__row">\n'
        '    <dt class="govuk-summary-list__key">\n'
        f"      {escape(key['text'])}\n"
        "    </dt>\n"
        '    <dd class="govuk-summary-list__value">\n'
        f"      {html_or_text(value['html'], MISSING, 6)}\n"
        "    </dd>\n"
        '    <dd class="govuk-summary-list__actions">\n'
        f"{indent(Markup(link.strip()), 6, True)}\n"
        "    </dd>\n"
        "  </div>\n"
    )


def govuk_summary_list(params: Any = MISSING) -> Markup:
    params_ = fields(params)
    rows = params_.get("rows", MISSING)
    if type(rows) is list and not any(params_.get(name, MISSING) for name in ("card", "classes", "attributes")):
        plain = [_plain_row(row) for row in rows]
        if all(row is not None for row in plain):
            return Markup('<dl class="govuk-summary-list">\n' + "".join(plain) + "</dl>")  # type: ignore[arg-type]
    any_row_has_actions = False
    for row in rows:
        actions = fields(row).get("actions", MISSING)
        if actions and len(item(actions, "items")):
            any_row_has_actions = True
    card = params_.get("card", MISSING)
    card_title = attr(card, "title") if card else MISSING
    parts = [f'<dl class="govuk-summary-list{_classes(params)}"{govuk_attributes(params_.get("attributes", MISSING))}>\n']
    for row in rows:
        if not row:
            continue
        row_ = fields(row)
        actions = row_.get("actions", MISSING)
        items = item(actions, "items") if actions else MISSING
        no_actions = " govuk-summary-list__row--no-actions" if any_row_has_actions and not (actions and items) else ""
        key = row_.get("key", MISSING)
        value = row_.get("value", MISSING)
        parts.append(
            f'  <div class="govuk-summary-list__row{no_actions}{_classes(row)}">\n'
            f'    <dt class="govuk-summary-list__key{_classes(key)}">\n'
            f"      {content(key, 6)}\n"
            "    </dt>\n"
            f'    <dd class="govuk-summary-list__value{_classes(value)}">\n'
            f"      {content(value, 6)}\n"
            "    </dd>\n"
        )
        if actions and len(items):
            parts.append(f'    <dd class="govuk-summary-list__actions{_classes(actions)}">\n')
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
        return Markup(_summary_card(card, indent(summary_list, 4)))
    return summary_list
