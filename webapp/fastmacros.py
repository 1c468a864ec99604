"""Faster GOV.UK Frontend macros, with byte-for-byte the same HTML.

govuk-frontend-jinja's component macros spend most of their time in two places:

* every call of a component macro runs its ``{% from ... import ... %}`` lines again (they sit
  inside the macro body), looking templates up and building import namespaces each time;
* ``govukAttributes``, the generic attribute renderer every component calls several times, is a
  Jinja macro with a loop, namespaces and string formatting.

This module serves the same templates through a loader that (1) hoists those imports to the
top of each template, where they run once when the template is first loaded, and (2) replaces
the ``govukAttributes`` macro with :func:`govuk_attributes`, a Python function with the same
rules. Nothing else in the templates changes. tests/unit/test_render_equivalence.py renders the
official GOV.UK Frontend fixtures for every component we use both ways and requires identical
output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from markupsafe import Markup, escape

PACKAGE = "govuk_frontend_jinja"

# `{% from "..." import name %}` or `{%- from ... -%}`, on a line of its own inside a macro.
_IMPORT = re.compile(r'\{%(-?)\s*from\s+"(?P<path>[^"]+)"\s+import\s+(?P<names>[\w, ]+?)\s*(-?)%\}')
ATTRIBUTES_TEMPLATE = f"{PACKAGE}/macros/attributes.html"


def _is_missing(value: Any) -> bool:
    """Nunjucks' `undefined` and `null`: a Jinja Undefined, or None."""
    return value is None or isinstance(value, jinja2.Undefined)


def govuk_attributes(attributes: Any) -> Markup:
    """The ``govukAttributes`` macro of GOV.UK Frontend (macros/attributes.html), in Python.

    A string is output as it is; a mapping gives `` name="value"`` pairs in order. A value may be
    ``{"value": ..., "optional": True}``: then None/undefined/False omit the attribute and True
    writes the bare name. Booleans that are not optional are written "true"/"false".
    """
    if isinstance(attributes, str):
        return Markup(attributes)
    if not isinstance(attributes, Mapping) or not attributes:
        return Markup("")
    html = ""
    for name, value in attributes.items():
        if isinstance(value, Mapping) and "val" in value and not _is_missing(value["val"]) and len(value):
            value = value["val"]  # a value passed through Nunjucks' `safe` filter
        if isinstance(value, Mapping):
            option_value = value.get("value", jinja2.Undefined())
            optional = value.get("optional", jinja2.Undefined())
        else:
            option_value = str(value).lower() if isinstance(value, bool) else value
            optional = False
        if optional is True and option_value is True:
            html = f"{html} {escape(name)}"
        elif optional is not True or (not _is_missing(option_value) and option_value is not False):
            html = f'{html} {escape(name)}="{escape(option_value)}"'
    return Markup(html)


def _hoist(source: str) -> str:
    """Move a macro template's imports to its top; drop the govukAttributes import (a global).

    Each import tag is replaced by a comment with the same whitespace control, so the text the
    macro outputs is unchanged.
    """
    hoisted: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match["path"] != ATTRIBUTES_TEMPLATE:
            line = f'{{% from "{match["path"]}" import {match["names"].strip()} %}}'
            if line not in hoisted:
                hoisted.append(line)
        return "{#" + match.group(1) + " " + match.group(4) + "#}"

    body = _IMPORT.sub(replace, source)
    return "".join(hoisted) + body


class FastGovukLoader(jinja2.BaseLoader):
    """govuk-frontend-jinja's templates, rewritten by :func:`_hoist` (macros/ left as they are)."""

    def __init__(self) -> None:
        self.package = jinja2.PackageLoader(PACKAGE)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.package.get_source(environment, template)
        if template.startswith("components/") and template.endswith("/macro.html"):
            source = _hoist(source)
        return source, filename, uptodate


def loader() -> jinja2.BaseLoader:
    """The loader to mount under the ``govuk_frontend_jinja/`` prefix."""
    return FastGovukLoader()


def install(env: jinja2.Environment) -> None:
    """Make :func:`govuk_attributes` the ``govukAttributes`` every hoisted macro calls."""
    env.globals["govukAttributes"] = govuk_attributes
