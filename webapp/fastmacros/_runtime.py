"""What the Python renderers share: Jinja's rules for reading params, and the filters they use.

Each renderer follows its macro line by line; these helpers keep Jinja's semantics where the
macros rely on them: ``params.x`` reads an attribute first and then a key (so ``params.values``
of a dict is the ``values`` method), a missing value is Undefined (empty and false), ``{{ x }}``
escapes anything that is not Markup, and ``safe | trim | indent(n)`` keep Markup as Markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import Markup, escape

__all__ = [
    "MISSING",
    "Markup",
    "attr",
    "attribute",
    "attribute_if",
    "content",
    "escape",
    "extra_classes",
    "fields",
    "govuk_attributes",
    "has_text",
    "html_or_text",
    "indent",
    "item",
    "missing",
    "optional_attribute",
]

# What `params.x` gives when there is no x: renders as "", is false, has no length.
MISSING = jinja2.Undefined()

_DICT_ATTRIBUTES = frozenset(dir(dict))
_EMPTY = Markup("")


def missing(value: Any) -> bool:
    """Nunjucks' `undefined` and `null`: a Jinja Undefined, or None."""
    return value is None or isinstance(value, jinja2.Undefined)


def attr(obj: Any, name: str) -> Any:
    """Jinja's ``obj.name``: the attribute if there is one, else the item, else Undefined.

    (Where Jinja would raise, reading an attribute of Undefined, this gives Undefined: the
    shipped macros fail on such input, so no page relies on it.)
    """
    if type(obj) is dict:
        if name in _DICT_ATTRIBUTES:
            return getattr(obj, name)
        return obj.get(name, MISSING)
    if obj is None or isinstance(obj, jinja2.Undefined):
        return MISSING
    try:
        return getattr(obj, name)
    except AttributeError:
        pass
    try:
        return obj[name]
    except (TypeError, LookupError, AttributeError):
        return MISSING


class _Attributes:
    """``.get(name)`` with Jinja's ``obj.name`` rules, for an object that is not a dict."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def get(self, name: str, default: Any = MISSING) -> Any:
        return attr(self.obj, name)


def fields(obj: Any) -> Any:
    """Something whose ``.get(name, MISSING)`` is Jinja's ``obj.name``, for a name that is not
    an attribute of dict: the dict itself (fast), or a wrapper that follows :func:`attr`."""
    return obj if type(obj) is dict else _Attributes(obj)


def item(obj: Any, key: str) -> Any:
    """Jinja's ``obj['key']``: the item if there is one, else the attribute, else Undefined."""
    if type(obj) is dict:
        if key in obj:
            return obj[key]
        return getattr(obj, key) if key in _DICT_ATTRIBUTES else MISSING
    if obj is None or isinstance(obj, jinja2.Undefined):
        return MISSING
    try:
        return obj[key]
    except (AttributeError, TypeError, LookupError):
        try:
            return getattr(obj, key)
        except AttributeError:
            return MISSING


def extra_classes(params: Any) -> str:
    """`` {{ params.classes }}`` after a component's own class, if it has any."""
    classes = attr(params, "classes")
    return f" {escape(classes)}" if classes else ""


def attribute_if(name: str, value: Any) -> str:
    """`` name="value"`` when value is truthy (``{%- if value %} name="{{ value }}"{% endif %}``)."""
    return f' {name}="{escape(value)}"' if value else ""


def has_text(value: Any) -> bool:
    """``value and (value.text or value.html)``: a prefix, a suffix, an item's hint... to show."""
    return bool(value and (attr(value, "text") or attr(value, "html")))


def indent(value: str, width: int, first: bool = False) -> str:
    """Jinja's ``indent`` filter (blank lines stay empty), on the text: Markup in, Markup out.

    The filter works line by line on Markup, escaping as it joins; the text it produces is the
    text this gives, at a fraction of the cost. A value with no line break is returned as it is
    (every character str.splitlines() splits on is unprintable).
    """
    if not first and value.isprintable():
        return value
    pad = " " * width
    lines = f"{value}\n".splitlines()
    text = lines[0]
    if len(lines) > 1:
        text += "\n" + "\n".join([pad + line if line else line for line in lines[1:]])
    if first:
        text = pad + text
    return Markup(text) if isinstance(value, Markup) else text


def html_or_text(html: Any, text: Any, width: int) -> str:
    """``html | safe | trim | indent(width) if html else text``, as output."""
    if html:
        return indent(Markup(html).strip(), width)
    return escape(text)


def content(params: Any, width: int) -> str:
    """``params.html | safe | trim | indent(width) if params.html else params.text``, as output."""
    get = params.get if type(params) is dict else _Attributes(params).get
    return html_or_text(get("html", MISSING), get("text", MISSING), width)


def optional_attribute(name: str, value: Any) -> str:
    """A ``{"value": value, "optional": true}`` pair of ``govukAttributes``: None, undefined and
    False leave the attribute out, True writes the bare name."""
    if value is True:
        return f" {escape(name)}"
    if missing(value) or value is False:
        return ""
    return f' {escape(name)}="{escape(value)}"'


def attribute(name: str, value: Any) -> str:
    """One `` name="value"`` pair of ``govukAttributes``, by its rules.

    A value may be ``{"value": ..., "optional": True}`` (see :func:`optional_attribute`), or a
    value passed through Nunjucks' `safe` filter (``{"val": ...}``). Booleans that are not
    optional are written "true"/"false".
    """
    if isinstance(value, Mapping) and "val" in value and not missing(value["val"]) and len(value):
        value = value["val"]  # a value passed through Nunjucks' `safe` filter
    if isinstance(value, Mapping):
        if value.get("optional", MISSING) is True:
            return optional_attribute(name, value.get("value", MISSING))
        value = value.get("value", MISSING)
    elif isinstance(value, bool):
        value = str(value).lower()
    return f' {escape(name)}="{escape(value)}"'


def govuk_attributes(attributes: Any) -> Markup:
    """The ``govukAttributes`` macro of GOV.UK Frontend (macros/attributes.html), in Python.

    A string is output as it is; a mapping gives `` name="value"`` pairs in order (see
    :func:`attribute`).
    """
    if not attributes:
        return _EMPTY
    if isinstance(attributes, str):
        return Markup(attributes)
    if not isinstance(attributes, Mapping):
        return _EMPTY
    return Markup("".join([attribute(name, value) for name, value in attributes.items()]))
