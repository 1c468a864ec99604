"""``govukRadios`` and ``govukCheckboxes`` (components/*/macro.html) in Python, the same HTML.

The two macros are one template with a few differences, and so are these renderers:
:func:`_choices` is the shared template (hint, error message, dividers, items, conditional
reveals, fieldset) and :func:`_choice_item` the shared ``_radioItem``/``_checkboxItem``. What
differs (an item's name, when it is checked, its aria-describedby, ``data-behaviour``) is worked
out by :func:`govuk_radios` and :func:`govuk_checkboxes`, in the ``render_item`` they pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2.runtime import markup_join

from ._runtime import (
    MISSING,
    Markup,
    attr,
    attribute_if,
    escape,
    extra_classes,
    govuk_attributes,
    has_text,
    indent,
    item,
)
from .form import govuk_hint, govuk_label, grouped, hint_and_error, input_list

# (item, its id, the group's aria-describedby) -> the item's HTML
ItemRenderer = Callable[[Any, Any, Any], str]


def _is_checked(entry: Any, fallback: Any) -> Any:
    """``item.checked | default(fallback, true)``: the item's own ``checked``, if true."""
    checked = attr(entry, "checked")
    return checked if checked else fallback


def _with_classes(own_class: str, params: Any) -> Any:
    """``own_class ~ (' ' ~ params.classes if params and params.classes else "")``."""
    classes = attr(params, "classes") if params else MISSING
    return markup_join((own_class, markup_join((" ", classes)) if classes else ""))


def _item_hint_id(entry: Any, item_id: Any) -> Any:
    """The id of the item's hint, "" if it has none to show."""
    return markup_join((item_id, "-item-hint")) if has_text(attr(entry, "hint")) else ""


def _choice_item(
    module: str,
    input_type: str,
    entry: Any,
    item_id: Any,
    name: Any,
    is_checked: Any,
    more_attributes: str,
    hint_id: Any,
) -> str:
    """The ``_radioItem``/``_checkboxItem`` macro for an item that is not a divider.

    ``more_attributes`` are those only one of the macros writes (after ``data-aria-controls``);
    ``hint_id`` is :func:`_item_hint_id`.
    """
    conditional = attr(entry, "conditional")
    has_conditional = conditional and attr(conditional, "html")
    conditional_id = markup_join(("conditional-", item_id))
    html = (
        f'    <div class="govuk-{module}__item">\n'
        f'      <input class="govuk-{module}__input" id="{escape(item_id)}" name="{escape(name)}"'
        f' type="{input_type}" value="{escape(attr(entry, "value"))}"'
        f"{' checked' if is_checked else ''}{' disabled' if attr(entry, 'disabled') else ''}"
        f"{attribute_if('data-aria-controls', conditional_id) if has_conditional else ''}"
        f"{more_attributes}{govuk_attributes(attr(entry, 'attributes'))}>\n"
    )
    label = attr(entry, "label")
    rendered = govuk_label(
        {
            "html": attr(entry, "html"),
            "text": attr(entry, "text"),
            "classes": _with_classes(f"govuk-{module}__label", label),
            "attributes": attr(label, "attributes") if label else MISSING,
            "for": item_id,
        }
    )
    html += f"      {indent(rendered.strip(), 6)}\n"
    if hint_id:
        hint = attr(entry, "hint")
        rendered = govuk_hint(
            {
                "id": hint_id,
                "classes": _with_classes(f"govuk-{module}__hint", hint),
                "attributes": attr(hint, "attributes"),
                "html": attr(hint, "html"),
                "text": attr(hint, "text"),
            }
        )
        html += f"      {indent(rendered.strip(), 6)}\n"
    html += "    </div>\n"
    if has_conditional:
        hidden = "" if is_checked else f" govuk-{module}__conditional--hidden"
        html += (
            f'    <div class="govuk-{module}__conditional{hidden}" id="{escape(conditional_id)}">\n'
            f"      {Markup(attr(conditional, 'html')).strip()}\n    </div>\n"
        )
    return html


def _choices(params: Any, module: str, described_by: Any, render_item: ItemRenderer) -> Markup:
    """The shared template: hint and error message, then the items (a divider, or what
    ``render_item`` writes), in the form group and the optional fieldset."""
    id_prefix = attr(params, "idPrefix") or attr(params, "name")
    inner, described_by = hint_and_error(params, id_prefix, described_by, 2)
    items = ""
    for index, entry in enumerate(item(params, "items"), 1):
        if not entry:
            continue
        divider = attr(entry, "divider")
        if divider:
            items += f'    <div class="govuk-{module}__divider">{escape(divider)}</div>\n'
            continue
        # The first item's id has no number, so that the error summary can link to it.
        item_id = attr(entry, "id") or markup_join((id_prefix, f"-{index}" if index > 1 else ""))
        items += render_item(entry, item_id, described_by)
    opening_tag = (
        f'  <div class="govuk-{module}{extra_classes(params)}"{govuk_attributes(attr(params, "attributes"))}'
        f' data-module="govuk-{module}">\n'
    )
    return grouped(params, inner + input_list(params, opening_tag, items), described_by)


def govuk_radios(params: Any = MISSING) -> Markup:
    name = attr(params, "name")
    value = attr(params, "value")

    def render_item(entry: Any, item_id: Any, described_by: Any) -> str:
        # Checked if it says so, else if it has the radios' value (unless it says `checked: false`).
        has_value = (
            (attr(entry, "value") == value and attr(entry, "checked") is not False)
            if value
            else False
        )
        hint_id = _item_hint_id(entry, item_id)
        # Described by its own hint only: the group's hint and error belong to the fieldset.
        return _choice_item(
            "radios",
            "radio",
            entry,
            item_id,
            name,
            _is_checked(entry, has_value),
            attribute_if("aria-describedby", hint_id),
            hint_id,
        )

    fieldset = attr(params, "fieldset")
    described_by = (
        attr(fieldset, "describedBy") if fieldset and attr(fieldset, "describedBy") else ""
    )
    return _choices(params, "radios", described_by, render_item)


def govuk_checkboxes(params: Any = MISSING) -> Markup:
    name = attr(params, "name")
    values = attr(params, "values")
    fieldset = attr(params, "fieldset")

    def render_item(entry: Any, item_id: Any, described_by: Any) -> str:
        # Checked if it says so, else if its value is among the checkboxes' values (unless it says
        # `checked: false`); `params.get(...)` is the macro's own call.
        value = attr(entry, "value")
        has_value = (
            (value in params.get("values", []) and attr(entry, "checked") is not False)
            if values
            else False
        )
        hint_id = _item_hint_id(entry, item_id)
        # With no fieldset to carry them, the group's hint and error describe each checkbox.
        item_described_by = markup_join(
            (described_by if not fieldset else "", " ", hint_id)
        ).strip()
        more_attributes = attribute_if("data-behaviour", attr(entry, "behaviour")) + attribute_if(
            "aria-describedby", item_described_by
        )
        return _choice_item(
            "checkboxes",
            "checkbox",
            entry,
            item_id,
            attr(entry, "name") or name,
            _is_checked(entry, has_value),
            more_attributes,
            hint_id,
        )

    described_by = attr(params, "describedBy") or ""
    if fieldset and attr(fieldset, "describedBy"):
        described_by = attr(fieldset, "describedBy")
    return _choices(params, "checkboxes", described_by, render_item)
