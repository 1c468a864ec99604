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

__all__ = ["MISSING", "Markup", "attr", "content", "escape", "fields", "govuk_attributes", "indent", "item", "missing"]

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


def content(params: Any, width: int) -> str:
    """``params.html | safe | trim | indent(width) if params.html else params.text``, as output."""
    get = params.get if type(params) is dict else _Attributes(params).get
    html = get("html", MISSING)
    if html:
        return indent(Markup(html).strip(), width)
    return escape(get("text", MISSING))


def govuk_attributes(attributes: Any) -> Markup:
    """The ``govukAttributes`` macro of GOV.UK Frontend (macros/attributes.html), in Python.

    A string is output as it is; a mapping gives `` name="value"`` pairs in order. A value may be
    ``{"value": ..., "optional": True}``: then None/undefined/False omit the attribute and True
    writes the bare name. Booleans that are not optional are written "true"/"false".
    """
    if not attributes:
        return _EMPTY
    if isinstance(attributes, str):
        return Markup(attributes)
    if not isinstance(attributes, Mapping):
        return _EMPTY
    html = ""
    for name, value in attributes.items():
        if isinstance(value, Mapping) and "val" in value and not missing(value["val"]) and len(value):
            value = value["val"]  # a value passed through Nunjucks' `safe` filter
        if isinstance(value, Mapping):
            option_value = value.get("value", jinja2.Undefined())
            optional = value.get("optional", jinja2.Undefined())
        else:
            option_value = str(value).lower() if isinstance(value, bool) else value
            optional = False
        if optional is True and option_value is True:
            html = f"{html} {escape(name)}"
        elif optional is not True or (not missing(option_value) and option_value is not False):
            html = f'{html} {escape(name)}="{escape(option_value)}"'
    return Markup(html)
