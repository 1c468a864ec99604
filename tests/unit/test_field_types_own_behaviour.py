"""Nothing outside webapp/engine/fields tests a field's class: what differs by type is asked of
the field (its component, error anchor, look on paper, role in the PDF, what an upload accepts),
so a new field type is one module and no caller needs to learn about it."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from webapp.engine import fields
from webapp.engine.fields import KNOWN_MACROS, Acceptance, Field

ROOT = Path(__file__).resolve().parents[2]
OWN_PACKAGE = ROOT / "webapp" / "engine" / "fields"


def _type_names() -> set[str]:
    """Every field type and upload acceptance kind, public or private, by class name."""
    names = set()
    for module in (getattr(fields, name) for name in dir(fields)):
        if inspect.ismodule(module) and module.__name__.startswith(fields.__name__):
            for name, value in vars(module).items():
                if inspect.isclass(value) and issubclass(value, (Field, Acceptance)):
                    names.add(name)
    return names


TYPES = _type_names()


def _named(node: ast.expr) -> set[str]:
    """The class names an isinstance/issubclass second argument mentions."""
    found = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            found.add(part.id)
        elif isinstance(part, ast.Attribute):
            found.add(part.attr)
    return found


def _is_macro(node: ast.expr) -> bool:
    """A field's component name: ``x.macro``, a variable ``macro``, or a literal name."""
    if isinstance(node, ast.Attribute):
        return node.attr == "macro"
    if isinstance(node, ast.Name):
        return node.id == "macro"
    return isinstance(node, ast.Constant) and node.value in KNOWN_MACROS - {"fieldset"}


def branches_on_field_types(source: str) -> list[tuple[int, str]]:
    """(line, text) of each isinstance/issubclass on a field type, ``type(x) is/== Type``, and
    comparison of a field's ``.macro`` (or anything) with a component's name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("isinstance", "issubclass")
            and len(node.args) == 2
            and _named(node.args[1]) & TYPES
        ):
            found.append((node.lineno, ast.unparse(node)))
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            typed = any(
                isinstance(side, ast.Call)
                and isinstance(side.func, ast.Name)
                and side.func.id == "type"
                for side in sides
            )
            if typed and any(_named(side) & TYPES for side in sides):
                found.append((node.lineno, ast.unparse(node)))
            if any(_is_macro(side) for side in sides):
                found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_check_finds_branches_on_field_types() -> None:
    assert {"FileUpload", "Checkboxes", "_Choice", "DateTime", "Photo"} <= TYPES
    source = (
        "if isinstance(q.field, FileUpload): pass\n"
        "ok = isinstance(f, (fields.Text, Date))\n"
        "if type(field) is TextArea: pass\n"
        "if q.field.macro == 'govukDateInput': pass\n"
        "if macro in ('govukRadios', 'govukCheckboxes'): pass\n"
        "fine = isinstance(value, dict) and field.is_upload\n"
    )
    assert [line for line, _text in branches_on_field_types(source)] == [1, 2, 3, 4, 5]


def test_no_code_outside_the_fields_package_branches_on_a_field_type() -> None:
    offenders = []
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        if OWN_PACKAGE in path.parents:
            continue
        for line, text in branches_on_field_types(path.read_text("utf-8")):
            offenders.append(f"{path.relative_to(ROOT)}:{line}: {text}")
    assert not offenders, "ask the field instead:\n" + "\n".join(offenders)
