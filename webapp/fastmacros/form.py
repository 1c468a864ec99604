"""The form components a question page is made of, in Python, the same HTML as their macros:
``govukHint``, ``govukLabel``, ``govukErrorMessage``, ``govukFieldset``, ``govukTextarea``,
``govukCharacterCount`` and ``govukCheckboxes`` (components/*/macro.html)."""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.runtime import markup_join

from ._runtime import MISSING, Markup, attr, content, escape, govuk_attributes, indent, item


def _classes(params: Any) -> str:
    classes = attr(params, "classes")
    return f" {escape(classes)}" if classes else ""


def _id(params: Any) -> str:
    value = attr(params, "id")
    return f' id="{escape(value)}"' if value else ""


def _attribute(name: str, value: Any) -> str:
    """`` name="value"`` when value is truthy (``{%- if value %} name="{{ value }}"{% endif %}``)."""
    return f' {name}="{escape(value)}"' if value else ""


def govuk_hint(params: Any = MISSING) -> Markup:
    return Markup(
        f'<div{_id(params)} class="govuk-hint{_classes(params)}"{govuk_attributes(attr(params, "attributes"))}>\n'
        f"  {content(params, 2)}\n</div>\n"
    )


def govuk_label(params: Any = MISSING) -> Markup:
    if not (attr(params, "html") or attr(params, "text")):
        return Markup("")
    label_for = attr(params, "for")
    label = (
        f'<label class="govuk-label{_classes(params)}"{govuk_attributes(attr(params, "attributes"))}'
        f'{_attribute("for", label_for)}>\n'
        f"  {content(params, 2)}\n</label>"
    )
    if attr(params, "isPageHeading"):
        return Markup(f'<h1 class="govuk-label-wrapper">\n  {indent(label, 2)}\n</h1>\n')
    return Markup(f"{label}\n")


def govuk_error_message(params: Any = MISSING) -> Markup:
    hidden = attr(params, "visuallyHiddenText")
    if isinstance(hidden, jinja2.Undefined):  # `| default("Error")`
        hidden = "Error"
    text = content(params, 2)
    line = f'  <span class="govuk-visually-hidden">{escape(hidden)}:</span> {text}\n' if hidden else f"  {text}\n"
    return Markup(
        f'<p{_id(params)} class="govuk-error-message{_classes(params)}"{govuk_attributes(attr(params, "attributes"))}>\n'
        f"{line}</p>\n"
    )


def govuk_fieldset(params: Any = MISSING, caller: Any = None) -> Markup:
    role = attr(params, "role")
    described_by = attr(params, "describedBy")
    html = (
        f'<fieldset class="govuk-fieldset{_classes(params)}"'
        f"{_attribute('role', role)}{_attribute('aria-describedby', described_by)}"
        f'{govuk_attributes(attr(params, "attributes"))}>\n'
    )
    legend = attr(params, "legend")
    if attr(legend, "html") or attr(legend, "text"):
        html += f'  <legend class="govuk-fieldset__legend{_classes(legend)}">\n'
        if attr(legend, "isPageHeading"):
            html += f'    <h1 class="govuk-fieldset__heading">\n      {content(legend, 6)}\n    </h1>\n'
        else:
            html += f"    {content(legend, 4)}\n"
        html += "  </legend>\n"
    if caller:
        html += f"{caller()}\n"
    else:
        inner = attr(params, "html")
        if inner:
            html += f"  {Markup(inner)}\n"
    return Markup(f"{html}</fieldset>\n")


def _before_after(form_group: Any, name: str, width: int) -> str:
    """``formGroup.<name>.html | safe | trim | indent(width) if ...html else ...text``."""
    return content(attr(form_group, name), width)


def _label_params(label: Any, for_id: Any) -> dict[str, Any]:
    return {
        "html": attr(label, "html"), "text": attr(label, "text"), "classes": attr(label, "classes"),
        "isPageHeading": attr(label, "isPageHeading"), "attributes": attr(label, "attributes"), "for": for_id,
    }


def _hint_and_error(params: Any, id_prefix: Any, described_by: Any, width: int) -> tuple[str, Any]:
    """The hint and error message lines that textarea and checkboxes write, and aria-describedby."""
    html = ""
    hint = attr(params, "hint")
    if hint:
        hint_id = markup_join((id_prefix, "-hint"))
        described_by = markup_join((described_by, " ", hint_id)) if described_by else hint_id
        rendered = govuk_hint({
            "id": hint_id, "classes": attr(hint, "classes"), "attributes": attr(hint, "attributes"),
            "html": attr(hint, "html"), "text": attr(hint, "text"),
        })
        html += f"  {indent(rendered.strip(), width)}\n"
    error = attr(params, "errorMessage")
    if error:
        error_id = markup_join((id_prefix, "-error"))
        described_by = markup_join((described_by, " ", error_id)) if described_by else error_id
        rendered = govuk_error_message({
            "id": error_id, "classes": attr(error, "classes"), "attributes": attr(error, "attributes"),
            "html": attr(error, "html"), "text": attr(error, "text"),
            "visuallyHiddenText": attr(error, "visuallyHiddenText"),
        })
        html += f"  {indent(rendered.strip(), width)}\n"
    return html, described_by


def govuk_textarea(params: Any = MISSING) -> Markup:
    described_by = attr(params, "describedBy") or ""
    field_id = attr(params, "id") or attr(params, "name")
    form_group = attr(params, "formGroup")
    error = attr(params, "errorMessage")
    label = govuk_label(_label_params(attr(params, "label"), field_id))
    html = (
        f'<div class="govuk-form-group{" govuk-form-group--error" if error else ""}'
        f'{_classes(form_group) if form_group else ""}"'
        f'{govuk_attributes(attr(form_group, "attributes") if form_group else MISSING)}>\n'
        f"  {indent(label.strip(), 2)}\n"
    )
    lines, described_by = _hint_and_error(params, field_id, described_by, 2)
    html += lines
    if form_group and attr(form_group, "beforeInput"):
        html += f"  {_before_after(form_group, 'beforeInput', 2)}\n"
    spellcheck = attr(params, "spellcheck")
    autocomplete = attr(params, "autocomplete")
    html += (
        f'  <textarea class="govuk-textarea{" govuk-textarea--error" if error else ""}{_classes(params)}"'
        f' id="{escape(field_id)}" name="{escape(attr(params, "name"))}" rows="{escape(attr(params, "rows") or 5)}"'
        f"{_attribute('spellcheck', str(spellcheck).lower()) if spellcheck is True or spellcheck is False else ''}"
        f'{" disabled" if attr(params, "disabled") else ""}'
        f"{_attribute('aria-describedby', described_by)}{_attribute('autocomplete', autocomplete)}"
        f'{govuk_attributes(attr(params, "attributes"))}>{escape(attr(params, "value"))}</textarea>\n'
    )
    if form_group and attr(form_group, "afterInput"):
        html += f"  {_before_after(form_group, 'afterInput', 2)}\n"
    return Markup(f"{html}</div>\n")


def _i18n_attributes(key: str, message: Any = MISSING, messages: Any = MISSING) -> str:
    """The ``govukI18nAttributes`` macro (macros/i18n.html)."""
    if messages:
        return "".join(
            f' data-i18n.{key}.{escape(rule)}="{escape(text)}"' for rule, text in messages.items()
        )
    if message:
        return f' data-i18n.{key}="{escape(message)}"'
    return ""


def govuk_character_count(params: Any = MISSING) -> Markup:
    maxwords = attr(params, "maxwords")
    maxlength = attr(params, "maxlength")
    has_no_limit = not maxwords and not maxlength
    description = attr(params, "textareaDescriptionText")
    description_text = description or markup_join(
        ("You can enter up to %{count} ", "words" if maxwords else "characters")
    )
    count = maxwords or maxlength
    if has_no_limit:
        description_no_limit = MISSING
    elif hasattr(description_text, "__html__"):
        description_no_limit = description_text.replace("%{count}", str(count))
    else:
        description_no_limit = str(description_text).replace("%{count}", str(count))
    field_id = attr(params, "id") or attr(params, "name")
    form_group = attr(params, "formGroup")
    count_message = attr(params, "countMessage")
    hint = govuk_hint({
        "text": description_no_limit,
        "id": markup_join((field_id, "-info")),
        "classes": markup_join((
            "govuk-character-count__message",
            markup_join((" ", attr(count_message, "classes"))) if count_message and attr(count_message, "classes") else MISSING,
        )),
    })
    count_message_html = f"{hint.strip()}\n"
    if form_group and attr(form_group, "afterInput"):
        after = attr(form_group, "afterInput")
        after_html = attr(after, "html")
        count_message_html += f"{Markup(after_html).strip() if after_html else escape(attr(after, 'text'))}\n"
    attributes = str(govuk_attributes({
        "data-module": "govuk-character-count",
        "data-maxlength": {"value": maxlength, "optional": True},
        "data-threshold": {"value": attr(params, "threshold"), "optional": True},
        "data-maxwords": {"value": maxwords, "optional": True},
    }))
    if has_no_limit and description:
        attributes += _i18n_attributes("textarea-description", messages={"other": description})
    attributes += _i18n_attributes("characters-under-limit", messages=attr(params, "charactersUnderLimitText"))
    attributes += _i18n_attributes("characters-at-limit", message=attr(params, "charactersAtLimitText"))
    attributes += _i18n_attributes("characters-over-limit", messages=attr(params, "charactersOverLimitText"))
    attributes += _i18n_attributes("words-under-limit", messages=attr(params, "wordsUnderLimitText"))
    attributes += _i18n_attributes("words-at-limit", message=attr(params, "wordsAtLimitText"))
    attributes += _i18n_attributes("words-over-limit", messages=attr(params, "wordsOverLimitText"))
    if form_group:
        for _name, _value in attr(form_group, "attributes"):  # the macro's loop: it changes nothing
            pass
    label = attr(params, "label")
    classes = attr(params, "classes")
    textarea = govuk_textarea({
        "id": field_id,
        "name": attr(params, "name"),
        "describedBy": markup_join((field_id, "-info")),
        "rows": attr(params, "rows"),
        "spellcheck": attr(params, "spellcheck"),
        "value": attr(params, "value"),
        "formGroup": {
            "classes": markup_join((
                "govuk-character-count",
                markup_join((" ", attr(form_group, "classes"))) if form_group and attr(form_group, "classes") else MISSING,
            )),
            "attributes": Markup(attributes),
            "beforeInput": attr(form_group, "beforeInput") if form_group else MISSING,
            "afterInput": {"html": Markup(count_message_html)},
        },
        "classes": markup_join(("govuk-js-character-count", markup_join((" ", classes)) if classes else MISSING)),
        "label": _label_params(label, field_id),
        "hint": attr(params, "hint"),
        "errorMessage": attr(params, "errorMessage"),
        "attributes": attr(params, "attributes"),
    })
    return Markup(f"{textarea.strip()}\n")


def _checkbox_item(params: Any, entry: Any, index: int, id_prefix: Any, described_by: Any, has_fieldset: bool) -> str:
    """The ``_checkboxItem`` macro."""
    entry_id = attr(entry, "id")
    item_id = entry_id if entry_id else markup_join((id_prefix, f"-{index}" if index > 1 else ""))
    item_name = attr(entry, "name") or attr(params, "name")
    conditional_id = markup_join(("conditional-", item_id))
    divider = attr(entry, "divider")
    if divider:
        return f'    <div class="govuk-checkboxes__divider">{escape(divider)}</div>\n'
    checked = attr(entry, "checked")
    value = attr(entry, "value")
    fallback = (value in params.get("values", []) and checked is not False) if attr(params, "values") else False
    is_checked = fallback if isinstance(checked, jinja2.Undefined) or not checked else checked
    hint = attr(entry, "hint")
    has_hint = hint and (attr(hint, "text") or attr(hint, "html"))
    item_hint_id = markup_join((item_id, "-item-hint")) if has_hint else ""
    item_described_by = markup_join((described_by if not has_fieldset else "", " ", item_hint_id)).strip()
    conditional = attr(entry, "conditional")
    has_conditional = conditional and attr(conditional, "html")
    label = attr(entry, "label")
    html = (
        '    <div class="govuk-checkboxes__item">\n'
        f'      <input class="govuk-checkboxes__input" id="{escape(item_id)}" name="{escape(item_name)}"'
        f' type="checkbox" value="{escape(value)}"'
        f'{" checked" if is_checked else ""}{" disabled" if attr(entry, "disabled") else ""}'
        f"{_attribute('data-aria-controls', conditional_id) if has_conditional else ''}"
        f"{_attribute('data-behaviour', attr(entry, 'behaviour'))}"
        f"{_attribute('aria-describedby', item_described_by)}"
        f'{govuk_attributes(attr(entry, "attributes"))}>\n'
    )
    label_classes = attr(label, "classes") if label else MISSING
    rendered = govuk_label({
        "html": attr(entry, "html"), "text": attr(entry, "text"),
        "classes": markup_join(("govuk-checkboxes__label", markup_join((" ", label_classes)) if label_classes else "")),
        "attributes": attr(label, "attributes") if label else MISSING,
        "for": item_id,
    })
    html += f"      {indent(rendered.strip(), 6)}\n"
    if has_hint:
        hint_classes = attr(hint, "classes")
        rendered = govuk_hint({
            "id": item_hint_id,
            "classes": markup_join(("govuk-checkboxes__hint", markup_join((" ", hint_classes)) if hint_classes else "")),
            "attributes": attr(hint, "attributes"), "html": attr(hint, "html"), "text": attr(hint, "text"),
        })
        html += f"      {indent(rendered.strip(), 6)}\n"
    html += "    </div>\n"
    if has_conditional:
        html += (
            f'    <div class="govuk-checkboxes__conditional{"" if is_checked else " govuk-checkboxes__conditional--hidden"}"'
            f' id="{escape(conditional_id)}">\n      {Markup(attr(conditional, "html")).strip()}\n    </div>\n'
        )
    return html


def govuk_checkboxes(params: Any = MISSING) -> Markup:
    id_prefix = attr(params, "idPrefix") or attr(params, "name")
    described_by = attr(params, "describedBy") or ""
    fieldset = attr(params, "fieldset")
    if fieldset and attr(fieldset, "describedBy"):
        described_by = attr(fieldset, "describedBy")
    has_fieldset = bool(fieldset)
    inner, described_by = _hint_and_error(params, id_prefix, described_by, 2)
    form_group = attr(params, "formGroup")
    inner += (
        f'  <div class="govuk-checkboxes{_classes(params)}"{govuk_attributes(attr(params, "attributes"))}'
        ' data-module="govuk-checkboxes">\n'
    )
    if form_group and attr(form_group, "beforeInputs"):
        inner += f"    {_before_after(form_group, 'beforeInputs', 4)}\n"
    for index, entry in enumerate(item(params, "items"), 1):
        if entry:
            inner += _checkbox_item(params, entry, index, id_prefix, described_by, has_fieldset)
    if form_group and attr(form_group, "afterInputs"):
        inner += f"    {_before_after(form_group, 'afterInputs', 4)}\n"
    inner += "  </div>\n"
    if has_fieldset:
        body = govuk_fieldset({
            "describedBy": described_by, "classes": attr(fieldset, "classes"),
            "attributes": attr(fieldset, "attributes"), "legend": attr(fieldset, "legend"),
            "html": Markup(inner).strip(),
        })
        body = indent(body.strip(), 2)
    else:
        body = inner.strip()
    # (the macro writes a blank line first)
    return Markup(
        f'\n<div class="govuk-form-group{" govuk-form-group--error" if attr(params, "errorMessage") else ""}'
        f'{_classes(form_group) if form_group else ""}"'
        f'{govuk_attributes(attr(form_group, "attributes") if form_group else MISSING)}>\n'
        f"  {body}\n</div>\n"
    )
