"""The form components a question page is made of, in Python, the same HTML as their macros:
``govukHint``, ``govukLabel``, ``govukErrorMessage``, ``govukFieldset``, ``govukTextarea``,
``govukCharacterCount``, ``govukInput`` and ``govukDateInput`` (components/*/macro.html); and
what they share with the radios and checkboxes of choices.py (the form group, the hint and
error message lines, the optional fieldset around a group of inputs)."""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.runtime import markup_join
from markupsafe import soft_str

from ._runtime import (
    MISSING,
    Markup,
    attr,
    attribute,
    attribute_if,
    content,
    escape,
    extra_classes,
    govuk_attributes,
    has_text,
    indent,
    item,
    optional_attribute,
)


def _id(params: Any) -> str:
    value = attr(params, "id")
    return f' id="{escape(value)}"' if value else ""


def govuk_hint(params: Any = MISSING) -> Markup:
    return Markup(
        f'<div{_id(params)} class="govuk-hint{extra_classes(params)}"{govuk_attributes(attr(params, "attributes"))}>\n'
        f"  {content(params, 2)}\n</div>\n"
    )


def govuk_label(params: Any = MISSING) -> Markup:
    if not (attr(params, "html") or attr(params, "text")):
        return Markup("")
    label_for = attr(params, "for")
    label = (
        f'<label class="govuk-label{extra_classes(params)}"{govuk_attributes(attr(params, "attributes"))}'
        f"{attribute_if('for', label_for)}>\n"
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
    line = (
        f'  <span class="govuk-visually-hidden">{escape(hidden)}:</span> {text}\n'
        if hidden
        else f"  {text}\n"
    )
    return Markup(
        f'<p{_id(params)} class="govuk-error-message{extra_classes(params)}"{govuk_attributes(attr(params, "attributes"))}>\n'
        f"{line}</p>\n"
    )


def govuk_fieldset(params: Any = MISSING, caller: Any = None) -> Markup:
    role = attr(params, "role")
    described_by = attr(params, "describedBy")
    html = (
        f'<fieldset class="govuk-fieldset{extra_classes(params)}"'
        f"{attribute_if('role', role)}{attribute_if('aria-describedby', described_by)}"
        f"{govuk_attributes(attr(params, 'attributes'))}>\n"
    )
    legend = attr(params, "legend")
    if attr(legend, "html") or attr(legend, "text"):
        html += f'  <legend class="govuk-fieldset__legend{extra_classes(legend)}">\n'
        if attr(legend, "isPageHeading"):
            html += (
                f'    <h1 class="govuk-fieldset__heading">\n      {content(legend, 6)}\n    </h1>\n'
            )
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
        "html": attr(label, "html"),
        "text": attr(label, "text"),
        "classes": attr(label, "classes"),
        "isPageHeading": attr(label, "isPageHeading"),
        "attributes": attr(label, "attributes"),
        "for": for_id,
    }


def _also_described_by(described_by: Any, element_id: Any) -> Any:
    """``aria-describedby`` with one more id on the end (the macros' space-joined list)."""
    return markup_join((described_by, " ", element_id)) if described_by else element_id


def hint_and_error(params: Any, id_prefix: Any, described_by: Any, width: int) -> tuple[str, Any]:
    """The hint and error message lines every input component writes below its label or legend,
    and the aria-describedby they add up to (``described_by`` and their ids)."""
    html = ""
    hint = attr(params, "hint")
    if hint:
        hint_id = markup_join((id_prefix, "-hint"))
        described_by = _also_described_by(described_by, hint_id)
        rendered = govuk_hint(
            {
                "id": hint_id,
                "classes": attr(hint, "classes"),
                "attributes": attr(hint, "attributes"),
                "html": attr(hint, "html"),
                "text": attr(hint, "text"),
            }
        )
        html += f"  {indent(rendered.strip(), width)}\n"
    error = attr(params, "errorMessage")
    if error:
        error_id = markup_join((id_prefix, "-error"))
        described_by = _also_described_by(described_by, error_id)
        rendered = govuk_error_message(
            {
                "id": error_id,
                "classes": attr(error, "classes"),
                "attributes": attr(error, "attributes"),
                "html": attr(error, "html"),
                "text": attr(error, "text"),
                "visuallyHiddenText": attr(error, "visuallyHiddenText"),
            }
        )
        html += f"  {indent(rendered.strip(), width)}\n"
    return html, described_by


def _form_group_open(params: Any) -> str:
    """The opening tag of the form group every input component wraps itself in."""
    form_group = attr(params, "formGroup")
    return (
        f'<div class="govuk-form-group{" govuk-form-group--error" if attr(params, "errorMessage") else ""}'
        f'{extra_classes(form_group) if form_group else ""}"'
        f"{govuk_attributes(attr(form_group, 'attributes') if form_group else MISSING)}>\n"
    )


def _labelled_field(params: Any, field_id: Any, described_by: Any) -> tuple[str, Any]:
    """What textarea and input write before their element: the form group's opening tag, the
    label, the hint and the error message; and the aria-describedby that they add up to."""
    label = govuk_label(_label_params(attr(params, "label"), field_id))
    html = f"{_form_group_open(params)}  {indent(label.strip(), 2)}\n"
    lines, described_by = hint_and_error(params, field_id, described_by, 2)
    return html + lines, described_by


def govuk_textarea(params: Any = MISSING) -> Markup:
    field_id = attr(params, "id") or attr(params, "name")
    form_group = attr(params, "formGroup")
    error = attr(params, "errorMessage")
    html, described_by = _labelled_field(params, field_id, attr(params, "describedBy") or "")
    if form_group and attr(form_group, "beforeInput"):
        html += f"  {_before_after(form_group, 'beforeInput', 2)}\n"
    spellcheck = attr(params, "spellcheck")
    autocomplete = attr(params, "autocomplete")
    html += (
        f'  <textarea class="govuk-textarea{" govuk-textarea--error" if error else ""}{extra_classes(params)}"'
        f' id="{escape(field_id)}" name="{escape(attr(params, "name"))}" rows="{escape(attr(params, "rows") or 5)}"'
        f"{attribute_if('spellcheck', str(spellcheck).lower()) if spellcheck is True or spellcheck is False else ''}"
        f"{' disabled' if attr(params, 'disabled') else ''}"
        f"{attribute_if('aria-describedby', described_by)}{attribute_if('autocomplete', autocomplete)}"
        f"{govuk_attributes(attr(params, 'attributes'))}>{escape(attr(params, 'value'))}</textarea>\n"
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
    description_no_limit: Any
    if has_no_limit:
        description_no_limit = MISSING
    elif hasattr(description_text, "__html__"):
        description_no_limit = description_text.replace("%{count}", str(count))
    else:
        description_no_limit = str(description_text).replace("%{count}", str(count))
    field_id = attr(params, "id") or attr(params, "name")
    form_group = attr(params, "formGroup")
    count_message = attr(params, "countMessage")
    hint = govuk_hint(
        {
            "text": description_no_limit,
            "id": markup_join((field_id, "-info")),
            "classes": markup_join(
                (
                    "govuk-character-count__message",
                    markup_join((" ", attr(count_message, "classes")))
                    if count_message and attr(count_message, "classes")
                    else MISSING,
                )
            ),
        }
    )
    count_message_html = f"{hint.strip()}\n"
    if form_group and attr(form_group, "afterInput"):
        after = attr(form_group, "afterInput")
        after_html = attr(after, "html")
        count_message_html += (
            f"{Markup(after_html).strip() if after_html else escape(attr(after, 'text'))}\n"
        )
    attributes = str(
        govuk_attributes(
            {
                "data-module": "govuk-character-count",
                "data-maxlength": {"value": maxlength, "optional": True},
                "data-threshold": {"value": attr(params, "threshold"), "optional": True},
                "data-maxwords": {"value": maxwords, "optional": True},
            }
        )
    )
    if has_no_limit and description:
        attributes += _i18n_attributes("textarea-description", messages={"other": description})
    attributes += _i18n_attributes(
        "characters-under-limit", messages=attr(params, "charactersUnderLimitText")
    )
    attributes += _i18n_attributes(
        "characters-at-limit", message=attr(params, "charactersAtLimitText")
    )
    attributes += _i18n_attributes(
        "characters-over-limit", messages=attr(params, "charactersOverLimitText")
    )
    attributes += _i18n_attributes(
        "words-under-limit", messages=attr(params, "wordsUnderLimitText")
    )
    attributes += _i18n_attributes("words-at-limit", message=attr(params, "wordsAtLimitText"))
    attributes += _i18n_attributes("words-over-limit", messages=attr(params, "wordsOverLimitText"))
    if form_group:
        for _name, _value in attr(form_group, "attributes"):  # the macro's loop: it changes nothing
            pass
    label = attr(params, "label")
    classes = attr(params, "classes")
    textarea = govuk_textarea(
        {
            "id": field_id,
            "name": attr(params, "name"),
            "describedBy": markup_join((field_id, "-info")),
            "rows": attr(params, "rows"),
            "spellcheck": attr(params, "spellcheck"),
            "value": attr(params, "value"),
            "formGroup": {
                "classes": markup_join(
                    (
                        "govuk-character-count",
                        markup_join((" ", attr(form_group, "classes")))
                        if form_group and attr(form_group, "classes")
                        else MISSING,
                    )
                ),
                "attributes": Markup(attributes),
                "beforeInput": attr(form_group, "beforeInput") if form_group else MISSING,
                "afterInput": {"html": Markup(count_message_html)},
            },
            "classes": markup_join(
                ("govuk-js-character-count", markup_join((" ", classes)) if classes else MISSING)
            ),
            "label": _label_params(label, field_id),
            "hint": attr(params, "hint"),
            "errorMessage": attr(params, "errorMessage"),
            "attributes": attr(params, "attributes"),
        }
    )
    return Markup(f"{textarea.strip()}\n")


def input_list(params: Any, opening_tag: str, items: str) -> str:
    """The ``<div>`` around the inputs of radios, checkboxes and date input: its opening tag
    (indented 2), ``formGroup.beforeInputs``, the items, ``formGroup.afterInputs``."""
    form_group = attr(params, "formGroup")
    html = opening_tag
    if form_group and attr(form_group, "beforeInputs"):
        html += f"    {_before_after(form_group, 'beforeInputs', 4)}\n"
    html += items
    if form_group and attr(form_group, "afterInputs"):
        html += f"    {_before_after(form_group, 'afterInputs', 4)}\n"
    return f"{html}  </div>\n"


def grouped(
    params: Any,
    inner: str,
    described_by: Any,
    *,
    first_line: str = "\n",
    fieldset_pad: str = "  ",
    role: Any = MISSING,
) -> Markup:
    """The end of radios, checkboxes and date input: ``innerHtml`` (hint, error message, inputs)
    in the fieldset of ``params.fieldset`` if there is one, in the form group.

    The macros differ only in whitespace: radios and checkboxes write a blank line first and indent
    the fieldset's first line by 2; date input writes neither (a ``-#}`` comment swallows the
    indentation) but asks the fieldset for ``role="group"``."""
    fieldset = attr(params, "fieldset")
    if fieldset:
        rendered = govuk_fieldset(
            {
                "describedBy": described_by,
                "classes": attr(fieldset, "classes"),
                "role": role,
                "attributes": attr(fieldset, "attributes"),
                "legend": attr(fieldset, "legend"),
                "html": Markup(inner).strip(),
            }
        )
        body = fieldset_pad + indent(rendered.strip(), 2)
    else:
        body = f"  {inner.strip()}"
    return Markup(f"{first_line}{_form_group_open(params)}{body}\n</div>\n")


def _extra(extra: Any) -> str:
    """``formGroup.beforeInput``/``afterInput`` inside the input wrapper: its html indented 4 (the
    first line too), or its text as it is."""
    html = attr(extra, "html")
    return indent(Markup(html).strip(), 4, True) if html else escape(attr(extra, "text"))


def _affix(affix: Any, kind: str) -> str:
    """The ``_affixItem`` macro (prefix or suffix) as the wrapper writes it: its two spaces of
    indentation, then ``| indent(2, true)``."""
    html = (
        f'<div class="govuk-input__{kind}{extra_classes(affix)}" aria-hidden="true"'
        f"{govuk_attributes(attr(affix, 'attributes'))}>{content(affix, 4)}</div>"
    )
    return f"    {indent(html, 2)}\n"


def _input_element(params: Any, field_id: Any, described_by: Any) -> str:
    """The ``_inputElement`` macro: the ``<input>`` and its attributes, in the macro's order."""
    spellcheck = attr(params, "spellcheck")
    error = " govuk-input--error" if attr(params, "errorMessage") else ""
    return (
        f'<input class="govuk-input{extra_classes(params)}{error}"'
        f"{attribute('id', field_id)}{attribute('name', attr(params, 'name'))}"
        f"{attribute('type', attr(params, 'type') or 'text')}"
        # `params.spellcheck | string | lower if params.spellcheck in [true, false] else false`
        f"{optional_attribute('spellcheck', str(spellcheck).lower() if spellcheck in (True, False) else False)}"
        f"{optional_attribute('value', attr(params, 'value'))}"
        f"{optional_attribute('disabled', attr(params, 'disabled'))}"
        f"{optional_attribute('aria-describedby', described_by)}"
        f"{optional_attribute('autocomplete', attr(params, 'autocomplete'))}"
        f"{optional_attribute('autocapitalize', attr(params, 'autocapitalize'))}"
        f"{optional_attribute('pattern', attr(params, 'pattern'))}"
        f"{optional_attribute('inputmode', attr(params, 'inputmode'))}"
        f"{govuk_attributes(attr(params, 'attributes'))}>"
    )


def govuk_input(params: Any = MISSING) -> Markup:
    field_id = attr(params, "id") or attr(params, "name")
    # Undefined, not "": with no hint, error or describedBy there is no aria-describedby at all.
    html, described_by = _labelled_field(params, field_id, attr(params, "describedBy") or MISSING)
    element = _input_element(params, field_id, described_by)
    prefix, suffix = attr(params, "prefix"), attr(params, "suffix")
    form_group = attr(params, "formGroup")
    before = attr(form_group, "beforeInput") if form_group else MISSING
    after = attr(form_group, "afterInput") if form_group else MISSING
    has_prefix, has_suffix, has_before, has_after = map(has_text, (prefix, suffix, before, after))
    if not (has_prefix or has_suffix or has_before or has_after):
        return Markup(f"{html}  {element}\n</div>\n")
    wrapper = attr(params, "inputWrapper")
    html += (
        f'  <div class="govuk-input__wrapper{extra_classes(wrapper) if wrapper else ""}"'
        f"{govuk_attributes(attr(wrapper, 'attributes') if wrapper else MISSING)}>\n"
    )
    if has_before:
        html += f"{_extra(before)}\n"
    if has_prefix:
        html += _affix(prefix, "prefix")
    html += f"    {element}\n"
    if has_suffix:
        html += _affix(suffix, "suffix")
    if has_after:
        html += f"{_extra(after)}\n"
    return Markup(f"{html}  </div>\n</div>\n")


# The items of a date input given none (or an empty list).
_DATE_ITEMS = (
    {"name": "day", "classes": "govuk-input--width-2"},
    {"name": "month", "classes": "govuk-input--width-2"},
    {"name": "year", "classes": "govuk-input--width-4"},
)


def _date_item(params: Any, entry: Any) -> str:
    """One ``govuk-date-input__item``: a govukInput with the macro's params."""
    name = attr(entry, "name")
    name_prefix = attr(params, "namePrefix")
    classes = attr(entry, "classes")
    rendered = govuk_input(
        {
            "label": {
                "text": attr(entry, "label")
                or soft_str(name).capitalize(),  # `item.name | capitalize`
                "classes": "govuk-date-input__label",
            },
            "id": attr(entry, "id") or markup_join((attr(params, "id"), "-", name)),
            # `"govuk-date-input__input " ~ (item.classes if item.classes)`: a trailing space if none
            "classes": markup_join(("govuk-date-input__input ", classes if classes else "")),
            "name": markup_join((name_prefix, "-", name)) if name_prefix else name,
            "value": attr(entry, "value"),
            "type": "text",
            "inputmode": attr(entry, "inputmode") or "numeric",
            "autocomplete": attr(entry, "autocomplete"),
            "pattern": attr(entry, "pattern"),
            "attributes": attr(entry, "attributes"),
        }
    )
    return f'    <div class="govuk-date-input__item">\n      {indent(rendered.strip(), 6)}\n    </div>\n'


def govuk_date_input(params: Any = MISSING) -> Markup:
    fieldset = attr(params, "fieldset")
    described_by = (
        attr(fieldset, "describedBy") if fieldset and attr(fieldset, "describedBy") else ""
    )
    entries = (
        item(params, "items") if "items" in params and len(item(params, "items")) else _DATE_ITEMS
    )
    inner, described_by = hint_and_error(params, attr(params, "id"), described_by, 2)
    opening_tag = (
        f'  <div class="govuk-date-input{extra_classes(params)}"{govuk_attributes(attr(params, "attributes"))}'
        f"{_id(params)}>\n"
    )
    inner += input_list(
        params, opening_tag, "".join([_date_item(params, entry) for entry in entries])
    )
    return grouped(params, inner, described_by, first_line="", fieldset_pad="", role="group")
