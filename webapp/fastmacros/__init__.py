"""Faster GOV.UK Frontend macros, with byte-for-byte the same HTML.

govuk-frontend-jinja's component macros spend most of their time in two places:

* every call of a component macro runs its ``{% from ... import ... %}`` lines again (they sit
  inside the macro body), looking templates up and building import namespaces each time;
* ``govukAttributes``, the generic attribute renderer every component calls several times, is a
  Jinja macro with a loop, namespaces and string formatting.

This package serves the same templates through a loader that (1) hoists those imports to the
top of each template, where they run once when the template is first loaded, and (2) replaces
the ``govukAttributes`` macro with :func:`govuk_attributes`, a Python function with the same
rules.

The components that cost most on our pages are replaced outright: their template becomes
``{% set govukX = <Python renderer> %}``, so importing the macro gives a Python function that
writes the macro's HTML. They are:

* summary_list.py: ``govukSummaryList`` (check answers, add-another lists);
* form.py: the fields of question pages, ``govukInput``, ``govukDateInput``, ``govukTextarea``
  and ``govukCharacterCount``, and the ``govukLabel``, ``govukHint``, ``govukErrorMessage`` and
  ``govukFieldset`` inside every field;
* choices.py: ``govukRadios`` and ``govukCheckboxes`` (one shared template);
* page.py: ``govukButton`` and ``govukErrorSummary``, around the form of every question page.

The Jinja rules they share (``params.x`` lookups, ``govukAttributes``, ``indent``...) are in
_runtime.py. Every other component keeps its (hoisted) macro.

tests/unit/test_render_equivalence.py renders every official GOV.UK Frontend fixture of every
component we use both ways and requires byte-identical output.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Callable
from types import SimpleNamespace

import jinja2

from ._runtime import govuk_attributes
from .choices import govuk_checkboxes, govuk_radios
from .form import (
    govuk_character_count,
    govuk_date_input,
    govuk_error_message,
    govuk_fieldset,
    govuk_hint,
    govuk_input,
    govuk_label,
    govuk_textarea,
)
from .page import govuk_button, govuk_error_summary
from .summary_list import govuk_summary_list

PACKAGE = "govuk_frontend_jinja"

# `{% from "..." import name %}` or `{%- from ... -%}`, on a line of its own inside a macro.
_IMPORT = re.compile(r'\{%(-?)\s*from\s+"(?P<path>[^"]+)"\s+import\s+(?P<names>[\w, ]+?)\s*(-?)%\}')
ATTRIBUTES_TEMPLATE = f"{PACKAGE}/macros/attributes.html"

# Components whose macro is replaced outright by a Python renderer (template -> name, function).
PYTHON_MACROS: dict[str, tuple[str, Callable[..., object]]] = {
    "components/summary-list/macro.html": ("govukSummaryList", govuk_summary_list),
    "components/hint/macro.html": ("govukHint", govuk_hint),
    "components/label/macro.html": ("govukLabel", govuk_label),
    "components/error-message/macro.html": ("govukErrorMessage", govuk_error_message),
    "components/fieldset/macro.html": ("govukFieldset", govuk_fieldset),
    "components/textarea/macro.html": ("govukTextarea", govuk_textarea),
    "components/character-count/macro.html": ("govukCharacterCount", govuk_character_count),
    "components/checkboxes/macro.html": ("govukCheckboxes", govuk_checkboxes),
    "components/radios/macro.html": ("govukRadios", govuk_radios),
    "components/input/macro.html": ("govukInput", govuk_input),
    "components/date-input/macro.html": ("govukDateInput", govuk_date_input),
    "components/button/macro.html": ("govukButton", govuk_button),
    "components/error-summary/macro.html": ("govukErrorSummary", govuk_error_summary),
}
# One global holds every renderer: Jinja checks each environment global on every
# `{% from ... import ... %}`, so thirteen globals would cost about 0.1 ms a page.
RENDERERS_GLOBAL = "_fastmacros"


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
    """govuk-frontend-jinja's templates: the components in :data:`PYTHON_MACROS` as their Python
    renderers, the other components rewritten by :func:`_hoist` (macros/ left as they are).
    ``python_macros=False`` hoists every component instead (for comparison in bench/render.py)."""

    def __init__(self, *, python_macros: bool = True) -> None:
        self.package = jinja2.PackageLoader(PACKAGE)
        self.python_macros = PYTHON_MACROS if python_macros else {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.package.get_source(environment, template)
        if template in self.python_macros:
            # The template exports the Python renderer under the macro's name, so that
            # `{% from ... import govukX %}` gives the function itself (no macro call in between).
            name = self.python_macros[template][0]
            source = f"{{% set {name} = {RENDERERS_GLOBAL}.{name} %}}"
        elif template.startswith("components/") and template.endswith("/macro.html"):
            source = _hoist(source)
        return source, filename, uptodate


def loader(*, python_macros: bool = True) -> jinja2.BaseLoader:
    """The loader to mount under the ``govuk_frontend_jinja/`` prefix."""
    return FastGovukLoader(python_macros=python_macros)


class FastImportTemplate(jinja2.Template):
    """A template whose ``{% from ... import ... %}`` checks for new globals at C speed.

    On every import Jinja asks which of the importing page's globals the imported template lacks
    (``set - ChainMap.keys()``), testing each key against each map in Python: a page of a dozen
    imports spent about 0.1 ms on it. Taking the difference with each map in one call answers
    the same question; when there is a difference, Jinja's own code handles it as before.
    """

    def _get_default_module(
        self, ctx: jinja2.runtime.Context | None = None
    ) -> jinja2.environment.TemplateModule:
        if (
            ctx is not None
            and isinstance(self.globals, ChainMap)
            and not ctx.globals_keys.difference(*self.globals.maps)
        ):
            ctx = None  # nothing new to pass in: the cached module is the one Jinja would return
        return super()._get_default_module(ctx)


def install(env: jinja2.Environment) -> None:
    """Make :func:`govuk_attributes` the ``govukAttributes`` every hoisted macro calls, make
    the Python renderers available to the templates that export them, and make imports cheap."""
    env.template_class = FastImportTemplate
    env.globals["govukAttributes"] = govuk_attributes
    env.globals[RENDERERS_GLOBAL] = SimpleNamespace(**dict(PYTHON_MACROS.values()))
